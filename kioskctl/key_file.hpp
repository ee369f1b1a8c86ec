#pragma once
// Key FILES for kioskctl commands (the key TEXT format is loyalty/signing.hpp's): reading them (a file
// larger than any key file is refused before it is read), and writing a new pair (each file through
// hal::writeFileAtomically, the one atomic write of the tree).

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include "loyalty/signing.hpp"

namespace kioskctl {

/// The whole of `path`, refused unread when it is larger than `limit` bytes.
[[nodiscard]] std::expected<std::string, std::string> readSmallFile(const std::filesystem::path& path,
                                                                    std::uintmax_t limit);

/// The public key in `path`; the error names the file and says what is wrong.
[[nodiscard]] std::expected<loyalty::PublicKey, std::string> readPublicKeyFile(
    const std::filesystem::path& path);

/// The key pair in the secret key file `path` (same errors).
[[nodiscard]] std::expected<loyalty::SigningKeyPair, std::string> readSecretKeyFile(
    const std::filesystem::path& path);

/// A fresh Ed25519 pair as DIR/NAME.key (0600) and DIR/NAME.pub (0644), each with its comment; refuses
/// to replace an existing file. Returns the two paths.
[[nodiscard]] std::expected<std::pair<std::filesystem::path, std::filesystem::path>, std::string>
writeKeyPair(const std::filesystem::path& dir, const std::string& name, std::string_view secretComment,
             std::string_view publicComment);

}  // namespace kioskctl
