#include "key_file.hpp"

#include "hal/atomic_file.hpp"

#include <fmt/core.h>

#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <sstream>

namespace kioskctl {
namespace {

/// Key files are a few hundred bytes; anything much larger is not a key.
constexpr std::uintmax_t kMaxKeyFileBytes = 64 * 1024;

}  // namespace

std::expected<std::string, std::string> readSmallFile(const std::filesystem::path& path,
                                                      std::uintmax_t limit) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return std::unexpected(fmt::format("cannot read {}: {}", path.string(), ec.message()));
    if (size > limit) return std::unexpected(fmt::format("{} is larger than {} bytes", path.string(), limit));
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in) return std::unexpected(fmt::format("cannot read {}", path.string()));
    return buffer.str();
}

std::expected<loyalty::PublicKey, std::string> readPublicKeyFile(const std::filesystem::path& path) {
    const auto text = readSmallFile(path, kMaxKeyFileBytes);
    if (!text) return std::unexpected(text.error());
    const auto key = loyalty::parsePublicKey(*text);
    if (!key) return std::unexpected(fmt::format("{}: {}", path.string(), loyalty::describe(key.error())));
    return *key;
}

std::expected<loyalty::SigningKeyPair, std::string> readSecretKeyFile(const std::filesystem::path& path) {
    const auto text = readSmallFile(path, kMaxKeyFileBytes);
    if (!text) return std::unexpected(text.error());
    auto keys = loyalty::parseSecretKey(*text);
    if (!keys) return std::unexpected(fmt::format("{}: {}", path.string(), loyalty::describe(keys.error())));
    return std::move(*keys);
}

std::expected<std::pair<std::filesystem::path, std::filesystem::path>, std::string> writeKeyPair(
    const std::filesystem::path& dir, const std::string& name, std::string_view secretComment,
    std::string_view publicComment) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return std::unexpected(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
    const auto secretPath = dir / (name + ".key");
    const auto publicPath = dir / (name + ".pub");
    for (const auto& path : {secretPath, publicPath})
        if (std::filesystem::exists(path, ec))
            return std::unexpected(fmt::format("{} exists; refusing to replace a key", path.string()));
    const auto keys = loyalty::SigningKeyPair::generate();
    if (auto ok = hal::writeFileAtomically(secretPath, loyalty::formatSecretKey(keys, secretComment), 0600,
                                           hal::Existing::Keep);
        !ok)
        return std::unexpected(ok.error());
    if (auto ok = hal::writeFileAtomically(
            publicPath, loyalty::formatPublicKey(keys.publicKey(), publicComment), 0644, hal::Existing::Keep);
        !ok) {
        ::unlink(secretPath.c_str());
        return std::unexpected(ok.error());
    }
    return std::pair{secretPath, publicPath};
}

}  // namespace kioskctl
