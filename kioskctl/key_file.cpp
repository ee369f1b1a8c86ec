#include "key_file.hpp"

#include <fmt/core.h>

#include <cstdint>
#include <fstream>
#include <sstream>

namespace kioskctl {
namespace {

/// Key files are a few hundred bytes; anything much larger is not a key.
constexpr std::uintmax_t kMaxKeyFileBytes = 64 * 1024;

std::expected<std::string, std::string> readKeyText(const std::filesystem::path& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return std::unexpected(fmt::format("cannot read {}: {}", path.string(), ec.message()));
    if (size > kMaxKeyFileBytes)
        return std::unexpected(fmt::format("{} is too large to be a key file", path.string()));
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in) return std::unexpected(fmt::format("cannot read {}", path.string()));
    return buffer.str();
}

}  // namespace

std::expected<loyalty::PublicKey, std::string> readPublicKeyFile(const std::filesystem::path& path) {
    const auto text = readKeyText(path);
    if (!text) return std::unexpected(text.error());
    const auto key = loyalty::parsePublicKey(*text);
    if (!key) return std::unexpected(fmt::format("{}: {}", path.string(), loyalty::describe(key.error())));
    return *key;
}

std::expected<loyalty::SigningKeyPair, std::string> readSecretKeyFile(const std::filesystem::path& path) {
    const auto text = readKeyText(path);
    if (!text) return std::unexpected(text.error());
    auto keys = loyalty::parseSecretKey(*text);
    if (!keys) return std::unexpected(fmt::format("{}: {}", path.string(), loyalty::describe(keys.error())));
    return std::move(*keys);
}

}  // namespace kioskctl
