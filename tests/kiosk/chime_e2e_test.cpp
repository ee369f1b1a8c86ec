// Issue 17, the success moment's optional sound, end to end: the real kiosk and the real central, with
// SDL's "disk" audio driver, which writes what the kiosk plays to SDL_DISKAUDIOFILE (mono signed 16-bit,
// as the kiosk opens its device). Points that land play the chime; a kiosk without [sound] chime_volume
// opens no audio device at all; one whose device does not open says so once and works on, silent.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "kiosk_harness.hpp"

namespace kiosk::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

/// The loudest sample of a disk driver's file (signed 16-bit, little-endian); -1 when there is no file.
int loudest(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return -1;
    }
    int peak = 0;
    std::array<char, 2> sample{};
    while (in.read(sample.data(), 2)) {
        const auto value = static_cast<std::int16_t>(static_cast<std::uint8_t>(sample[0]) |
                                                     static_cast<std::uint8_t>(sample[1]) << 8);
        peak = std::max(peak, std::abs(static_cast<int>(value)));
    }
    return peak;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++count;
    }
    return count;
}

class KioskChime : public KioskWithBackend {
  protected:
    /// The kiosk with [sound] chime_volume `volume` and SDL's disk audio driver writing to `audioFile`.
    void startWithDiskAudio(int volume, const fs::path& audioFile) {
        KioskOptions options;
        options.chimeVolume = volume;
        options.env = {"SDL_AUDIODRIVER=disk", "SDL_DISKAUDIOFILE=" + audioFile.string()};
        startConnectedKiosk(options);
    }
    /// A receipt of the development store earns points for 0901234567: the result with the member's tier.
    json earnPoints(const std::string& prefix) {
        const auto receipt = signReceipt(m_dir.path(), uniqueNumber(prefix), "256000");
        return earn(kiosk(), receipt, "0901234567");
    }
    fs::path m_audio = m_dir.path() / "audio.raw";
};

TEST_F(KioskChime, PointsThatLandPlayTheChime) {
    if (IsSkipped() || HasFatalFailure()) {
        return;
    }
    startWithDiskAudio(50, m_audio);
    if (HasFatalFailure()) {
        return;
    }
    EXPECT_LE(loudest(m_audio), 0) << "silent until points land";
    const json result = earnPoints("CHIME");
    ASSERT_EQ(result.value("screen", ""), "result") << result.dump();
    int peak = loudest(m_audio);
    // SDL's audio thread writes at the device's pace: the whole chime is there some 0.65 s after it began.
    for (int i = 0; i < 50 && peak <= 15'000; ++i) {
        std::this_thread::sleep_for(100ms);
        peak = loudest(m_audio);
    }
    // At 50 % the chime peaks at half of full scale.
    EXPECT_GT(peak, 15'000) << m_kiosk->log();
    EXPECT_LE(peak, 16'400);
}

TEST_F(KioskChime, WithoutAVolumeNoAudioDeviceIsOpened) {
    if (IsSkipped() || HasFatalFailure()) {
        return;
    }
    startWithDiskAudio(0, m_audio);
    if (HasFatalFailure()) {
        return;
    }
    const json result = earnPoints("NOCHIME");
    ASSERT_EQ(result.value("screen", ""), "result") << result.dump();
    std::this_thread::sleep_for(500ms);
    EXPECT_FALSE(fs::exists(m_audio)) << "the disk driver's file exists only once a device opened";
    EXPECT_EQ(m_kiosk->log().find("sound"), std::string::npos) << m_kiosk->log();
}

TEST_F(KioskChime, AKioskWhoseAudioDeviceDoesNotOpenSaysSoOnceAndWorksSilent) {
    if (IsSkipped() || HasFatalFailure()) {
        return;
    }
    startWithDiskAudio(50, m_dir.path() / "no-such-folder" / "audio.raw");
    if (HasFatalFailure()) {
        return;
    }
    for (const char* prefix : {"SILENT1", "SILENT2"}) {
        const json result = earnPoints(prefix);
        ASSERT_EQ(result.value("screen", ""), "result") << result.dump();
        ASSERT_TRUE(result.contains("tier")) << "points landed: " << result.dump();
        kiosk().send({{"cmd", "tap"}, {"id", "done"}});
    }
    EXPECT_EQ(occurrences(m_kiosk->log(), "sound is off: no audio device opened"), 1U) << m_kiosk->log();
}

}  // namespace
}  // namespace kiosk::test
