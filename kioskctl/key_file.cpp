#include "key_file.hpp"

#include <fmt/core.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kioskctl {
namespace {

/// Key files are a few hundred bytes; anything much larger is not a key.
constexpr std::uintmax_t kMaxKeyFileBytes = 64 * 1024;

std::string errnoText() {
    return std::strerror(errno);
}

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

std::expected<void, std::string> writeFileAtomically(const std::filesystem::path& path,
                                                     std::string_view content, mode_t mode, bool exclusive) {
    const std::filesystem::path temp =
        path.parent_path() / fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) return std::unexpected(fmt::format("cannot create {}: {}", temp.string(), errnoText()));
    std::size_t written = 0;
    bool ok = true;
    while (ok && written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) written += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    const std::string writeError = ok ? std::string() : errnoText();
    ok = (::close(fd) == 0) && ok;
    if (!ok) {
        ::unlink(temp.c_str());
        return std::unexpected(fmt::format("cannot write {}: {}", path.string(), writeError));
    }
    // link() fails if the target exists, where rename() would silently replace it.
    const int moved = exclusive ? ::link(temp.c_str(), path.c_str()) : ::rename(temp.c_str(), path.c_str());
    const std::string moveError = moved == 0 ? std::string() : errnoText();
    if (exclusive || moved != 0) ::unlink(temp.c_str());
    if (moved != 0) return std::unexpected(fmt::format("cannot write {}: {}", path.string(), moveError));
    return {};
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
    if (auto ok = writeFileAtomically(secretPath, loyalty::formatSecretKey(keys, secretComment), 0600, true);
        !ok)
        return std::unexpected(ok.error());
    if (auto ok = writeFileAtomically(publicPath, loyalty::formatPublicKey(keys.publicKey(), publicComment),
                                      0644, true);
        !ok) {
        ::unlink(secretPath.c_str());
        return std::unexpected(ok.error());
    }
    return std::pair{secretPath, publicPath};
}

}  // namespace kioskctl
