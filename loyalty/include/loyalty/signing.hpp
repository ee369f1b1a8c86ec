#pragma once
// Ed25519 signatures (libsodium) for everything a party signs: a store's POS signs receipts, the
// central service signs vouchers. Pure computation, no I/O: reading and writing key FILES is the job
// of the caller (kioskctl, kiosk, central); this header only turns key TEXT into keys and back.
//
// Threads: every function may be called from any thread. libsodium is initialised once, on first use
// (sodium_init behind a function-local static); if it cannot initialise (no entropy source) the first
// call throws std::runtime_error — in practice at start-up.
//
// Key text format (written by formatPublicKey / formatSecretKey, documented in docs/receipt-qr.md):
//     # any number of comment lines, e.g. the store id and "DEVELOPMENT ONLY"
//     LOYALTY-KIOSK ED25519 PUBLIC KEY        (or: LOYALTY-KIOSK ED25519 SECRET KEY)
//     <the 32-byte public key, or the 32-byte secret seed, in base32 (52 characters)>
// Blank lines and lines starting with '#' are ignored, surrounding whitespace (and CR) trimmed.

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <string_view>

namespace loyalty {

inline constexpr std::size_t kPublicKeyBytes = 32;
inline constexpr std::size_t kSecretKeyBytes = 64;  ///< libsodium's form: 32-byte seed + public key
inline constexpr std::size_t kSeedBytes = 32;
inline constexpr std::size_t kSignatureBytes = 64;

using PublicKey = std::array<std::uint8_t, kPublicKeyBytes>;
using Signature = std::array<std::uint8_t, kSignatureBytes>;
using KeySeed = std::array<std::uint8_t, kSeedBytes>;

/// An Ed25519 key pair. A value type; the secret half is wiped from memory when an instance dies.
class SigningKeyPair {
  public:
    /// A fresh key pair from the operating system's random source.
    [[nodiscard]] static SigningKeyPair generate();
    /// The key pair a 32-byte seed determines (the same seed always gives the same keys).
    [[nodiscard]] static SigningKeyPair fromSeed(const KeySeed& seed);

    SigningKeyPair(const SigningKeyPair&) = default;
    SigningKeyPair(SigningKeyPair&&) = default;
    SigningKeyPair& operator=(const SigningKeyPair&) = default;
    SigningKeyPair& operator=(SigningKeyPair&&) = default;
    ~SigningKeyPair();

    [[nodiscard]] const PublicKey& publicKey() const { return m_public; }
    /// The 64-byte libsodium secret key (seed followed by the public key).
    [[nodiscard]] std::span<const std::uint8_t, kSecretKeyBytes> secretKey() const { return m_secret; }
    [[nodiscard]] KeySeed seed() const;

  private:
    SigningKeyPair() = default;
    PublicKey m_public{};
    std::array<std::uint8_t, kSecretKeyBytes> m_secret{};
};

/// Signs `message` (detached signature, 64 bytes).
[[nodiscard]] Signature sign(const SigningKeyPair& keys, std::span<const std::uint8_t> message);

/// True only if `signature` is a valid Ed25519 signature of exactly `message` by `key`. libsodium
/// refuses non-canonical signatures, so a signature cannot be altered into another valid one.
[[nodiscard]] bool verify(const PublicKey& key, std::span<const std::uint8_t> message,
                          const Signature& signature);

enum class KeyTextError {
    NoKey,            ///< no header line at all (empty text, only comments)
    WrongHeader,      ///< the first line is not the expected header (e.g. a secret key given as public)
    BadEncoding,      ///< the key line is not canonical base32
    WrongSize,        ///< the key line decodes to the wrong number of bytes
    TrailingContent,  ///< more non-comment lines after the key line
};

/// Public key text; `comment` (may be empty, may span lines) is written as '#' lines before it.
[[nodiscard]] std::string formatPublicKey(const PublicKey& key, std::string_view comment = {});
[[nodiscard]] std::expected<PublicKey, KeyTextError> parsePublicKey(std::string_view text);

/// Secret key text (holds the seed; the public half is derived when parsed). Keep it secret: the
/// caller writes it to a file readable only by its owner.
[[nodiscard]] std::string formatSecretKey(const SigningKeyPair& keys, std::string_view comment = {});
[[nodiscard]] std::expected<SigningKeyPair, KeyTextError> parseSecretKey(std::string_view text);

[[nodiscard]] std::string_view describe(KeyTextError error);

}  // namespace loyalty
