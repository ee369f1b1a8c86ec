// central's configuration file (central/settings.hpp): any TOML text, read the way central reads it
// (`central --config FILE`). A refused file is a std::runtime_error naming the key; nothing else may
// escape. Invariants: an accepted file gives a listen port in 0..65535, positive worker, queue and body
// limits, and stores with an id and a key file; loading the same file twice gives the same settings.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "central/settings.hpp"
#include "fuzz_check.hpp"

namespace {

/// The file `--config` names, removed when the fuzzer exits.
struct ConfigFile {
    std::string path =
        (std::filesystem::temp_directory_path() / ("fuzz-central-" + std::to_string(::getpid()) + ".toml"))
            .string();
    ~ConfigFile() { std::filesystem::remove(path); }
};

const std::string& configPath() {
    static const ConfigFile file;
    return file.path;
}

std::optional<central::Settings> load() {
    std::string program = "central", flag = "--config", file = configPath();
    char* argv[] = {program.data(), flag.data(), file.data(), nullptr};
    try {
        return central::loadSettings(3, argv);
    } catch (const std::runtime_error& e) {
        FUZZ_CHECK(std::string_view(e.what()).size() > 0);
        return std::nullopt;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    {
        std::ofstream out(configPath(), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        FUZZ_CHECK(out.good());
    }
    const auto settings = load();
    const auto again = load();
    FUZZ_CHECK(settings.has_value() == again.has_value());
    if (!settings) return 0;
    FUZZ_CHECK(settings->listenPort >= 0 && settings->listenPort <= 65535);
    FUZZ_CHECK(settings->workers >= 1 && settings->maxQueued >= 1 && settings->maxBodyBytes >= 1);
    for (const auto& [id, file] : settings->stores) FUZZ_CHECK(!id.empty() && !file.empty());
    FUZZ_CHECK(settings->listenHost == again->listenHost && settings->listenPort == again->listenPort &&
               settings->adminToken == again->adminToken && settings->stores == again->stores &&
               settings->devEnrollmentCode == again->devEnrollmentCode);
    return 0;
}
