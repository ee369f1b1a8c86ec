#pragma once
// The success moment's sound: a short two-tone chime (docs/kiosk-ux.md, "Motion and feedback"),
// synthesised when the device opens (no sound file) and played through SDL's audio queue.
//
// Contract
// - UI thread only. open() runs at start-up; play() never blocks on audio: it copies the samples into
//   SDL's queue, which SDL's own audio thread feeds to the device.
// - Opened after ui::Host::create (which initialises SDL) and destroyed before the Host (whose SDL_Quit
//   ends every subsystem).
// - The device is the one SDL chooses: SDL_AUDIODRIVER picks the driver (tests use "disk", which writes
//   the samples to SDL_DISKAUDIOFILE).

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <vector>

namespace ui {

/// The chime as mono signed 16-bit samples at `rate` Hz: two sine tones, G5 then C6, each struck and
/// fading out, about 0.6 s in all; its loudest sample is `volumePercent` (1..100) of full scale.
[[nodiscard]] std::vector<std::int16_t> chimeSamples(int rate, int volumePercent);

class Chime {
  public:
    /// Opens the default audio device for the chime at `volumePercent` (1..100). Error: why no device
    /// opened (no sound card, no sound server, an unknown SDL_AUDIODRIVER): the kiosk runs silent.
    [[nodiscard]] static std::expected<std::unique_ptr<Chime>, std::string> open(int volumePercent);
    ~Chime();
    Chime(const Chime&) = delete;
    Chime& operator=(const Chime&) = delete;

    /// Plays the chime from its start (a chime still sounding is cut short).
    void play();

  private:
    Chime(std::uint32_t device, std::vector<std::int16_t> samples);

    std::uint32_t m_device;
    std::vector<std::int16_t> m_samples;
};

}  // namespace ui
