#pragma once
// The whole content of a file, as bytes ("" if it cannot be read): a log, a key, a config of the source
// tree (readSourceFile("assets/config/campaign.toml")).

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace test_support {

inline std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// A file of the source tree (KIOSK_SOURCE_DIR, defined for every test target and harness).
inline std::string readSourceFile(const std::string& relativePath) {
    return readFile(std::filesystem::path(KIOSK_SOURCE_DIR) / relativePath);
}

}  // namespace test_support
