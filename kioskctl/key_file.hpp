#pragma once
// Reading key FILES for kioskctl commands (the key TEXT format is loyalty/signing.hpp's). A file
// larger than any key file is refused before it is read.

#include <expected>
#include <filesystem>
#include <string>

#include "loyalty/signing.hpp"

namespace kioskctl {

/// The public key in `path`; the error names the file and says what is wrong.
[[nodiscard]] std::expected<loyalty::PublicKey, std::string> readPublicKeyFile(
    const std::filesystem::path& path);

/// The key pair in the secret key file `path` (same errors).
[[nodiscard]] std::expected<loyalty::SigningKeyPair, std::string> readSecretKeyFile(
    const std::filesystem::path& path);

}  // namespace kioskctl
