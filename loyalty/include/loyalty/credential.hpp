#pragma once
// THE kiosk credential format, for the kiosk that makes one and central that checks and stores its
// hash: "kc_" and 32 random bytes in base32 (55 characters, docs/api.md, enroll). Whoever holds one can
// claim points as that kiosk, so a credential is only ever made from the OS's cryptographic random
// source (libsodium, as SigningKeyPair::generate), and a proposed one must look random.
//
// Contract: free functions, callable from any thread, no I/O besides the random source.

#include <cstddef>
#include <string>
#include <string_view>

namespace loyalty {

inline constexpr std::string_view kCredentialPrefix = "kc_";
/// Random bytes behind a credential.
inline constexpr std::size_t kCredentialBytes = 32;
/// What to tell someone whose credential is not of this shape.
inline constexpr std::string_view kCredentialShape =
    "kc_ and 32 random bytes in base32 (52 characters of A-Z 2-7)";

/// A fresh credential: kCredentialPrefix and kCredentialBytes random bytes in base32.
[[nodiscard]] std::string makeCredential();

/// True for a credential of exactly makeCredential's shape whose characters also look random: its hash
/// becomes the kiosk's only key, so a patterned one ("kc_AAAA…") is refused too — 52 random characters
/// show fewer than 12 different ones with odds below 1e-16, a made-up one almost always does.
[[nodiscard]] bool isStrongCredential(std::string_view credential);

}  // namespace loyalty
