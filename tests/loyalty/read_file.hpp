#pragma once
// Test helper: the whole text of a file of the source tree (configs under assets/), or "" if missing.

#include <fstream>
#include <sstream>
#include <string>

namespace loyalty::test {

inline std::string readSourceFile(const std::string& relativePath) {
    std::ifstream in(std::string(KIOSK_SOURCE_DIR) + "/" + relativePath);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

}  // namespace loyalty::test
