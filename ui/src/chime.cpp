#include "ui/chime.hpp"

#include <SDL.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ui {
namespace {

constexpr int kRate = 22'050;  // Hz: enough for tones of about 1 kHz; SDL converts for the device

/// One struck tone at `t` seconds after it starts: a 5 ms attack, then an exponential fade.
double tone(double frequency, double t, double fade) {
    if (t < 0) {
        return 0;
    }
    const double attack = std::min(1.0, t / 0.005);
    return attack * std::exp(-t / fade) * std::sin(2 * std::numbers::pi * frequency * t);
}

}  // namespace

std::vector<std::int16_t> chimeSamples(int rate, int volumePercent) {
    const auto count = static_cast<std::size_t>(rate * 65 / 100);  // 0.65 s
    std::vector<double> wave(count);
    for (std::size_t i = 0; i < count; ++i) {
        const double t = static_cast<double>(i) / rate;
        wave[i] = tone(783.99, t, 0.12) + tone(1046.50, t - 0.15, 0.20);  // G5, then C6
    }
    // The last 20 ms fade to silence: a wave cut mid-swing clicks.
    const auto tail = static_cast<std::size_t>(rate / 50);
    for (std::size_t i = 0; i < tail; ++i) {
        wave[count - 1 - i] *= static_cast<double>(i) / static_cast<double>(tail);
    }
    double peak = 0;
    for (const double v : wave) {
        peak = std::max(peak, std::abs(v));
    }
    const double gain = 32'767.0 * std::clamp(volumePercent, 0, 100) / 100.0 / peak;
    std::vector<std::int16_t> samples(count);
    std::transform(wave.begin(), wave.end(), samples.begin(),
                   [gain](double v) { return static_cast<std::int16_t>(std::lround(v * gain)); });
    return samples;
}

std::expected<std::unique_ptr<Chime>, std::string> Chime::open(int volumePercent) {
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        return std::unexpected(std::string("no audio device opened: ") + SDL_GetError());
    }
    SDL_AudioSpec want{};
    want.freq = kRate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    want.callback = nullptr;  // queued with SDL_QueueAudio
    const SDL_AudioDeviceID device = SDL_OpenAudioDevice(nullptr, 0, &want, nullptr, 0);
    if (device == 0) {
        std::string why = std::string("no audio device opened: ") + SDL_GetError();
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return std::unexpected(std::move(why));
    }
    SDL_PauseAudioDevice(device, 0);  // an empty queue plays silence
    return std::unique_ptr<Chime>(new Chime(device, chimeSamples(kRate, volumePercent)));
}

Chime::Chime(std::uint32_t device, std::vector<std::int16_t> samples)
    : m_device(device), m_samples(std::move(samples)) {}

Chime::~Chime() {
    SDL_CloseAudioDevice(m_device);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

void Chime::play() {
    SDL_ClearQueuedAudio(m_device);
    SDL_QueueAudio(m_device, m_samples.data(), static_cast<Uint32>(m_samples.size() * sizeof(std::int16_t)));
}

}  // namespace ui
