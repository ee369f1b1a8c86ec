#include "loyalty/signing.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "loyalty/base32.hpp"

namespace loyalty {

namespace {

constexpr std::string_view kPublicHeader = "LOYALTY-KIOSK ED25519 PUBLIC KEY";
constexpr std::string_view kSecretHeader = "LOYALTY-KIOSK ED25519 SECRET KEY";

static_assert(crypto_sign_PUBLICKEYBYTES == kPublicKeyBytes);
static_assert(crypto_sign_SECRETKEYBYTES == kSecretKeyBytes);
static_assert(crypto_sign_SEEDBYTES == kSeedBytes);
static_assert(crypto_sign_BYTES == kSignatureBytes);

void ensureSodium() {
    // A function-local static is initialised exactly once even with concurrent first calls.
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw std::runtime_error("libsodium could not initialise (no entropy source?)");
}

std::string_view trim(std::string_view s) {
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
    return s;
}

std::string withComment(std::string_view comment, std::string_view header, std::string_view body) {
    std::string out;
    std::string_view rest = comment;
    while (!rest.empty()) {
        const std::size_t end = rest.find('\n');
        out += "# ";
        out += rest.substr(0, end);
        out += '\n';
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    }
    out += header;
    out += '\n';
    out += body;
    out += '\n';
    return out;
}

/// Splits key text into its header and key lines (comments and blank lines skipped) and decodes the
/// key line into exactly N bytes.
template <std::size_t N>
std::expected<std::array<std::uint8_t, N>, KeyTextError> parseKeyText(std::string_view text,
                                                                      std::string_view header) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        const std::string_view line = trim(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (line.empty() || line.front() == '#') continue;
        lines.push_back(line);
    }
    if (lines.empty()) return std::unexpected(KeyTextError::NoKey);
    if (lines[0] != header) return std::unexpected(KeyTextError::WrongHeader);
    if (lines.size() < 2) return std::unexpected(KeyTextError::NoKey);
    if (lines.size() > 2) return std::unexpected(KeyTextError::TrailingContent);
    auto bytes = decodeBase32(lines[1]);
    if (!bytes) return std::unexpected(KeyTextError::BadEncoding);
    if (bytes->size() != N) return std::unexpected(KeyTextError::WrongSize);
    std::array<std::uint8_t, N> out{};
    std::copy(bytes->begin(), bytes->end(), out.begin());
    // The decoded bytes may be a secret seed: do not leave a copy behind in freed memory.
    sodium_memzero(bytes->data(), bytes->size());
    return out;
}

}  // namespace

SigningKeyPair SigningKeyPair::generate() {
    ensureSodium();
    SigningKeyPair keys;
    crypto_sign_keypair(keys.m_public.data(), keys.m_secret.data());
    return keys;
}

SigningKeyPair SigningKeyPair::fromSeed(const KeySeed& seed) {
    ensureSodium();
    SigningKeyPair keys;
    crypto_sign_seed_keypair(keys.m_public.data(), keys.m_secret.data(), seed.data());
    return keys;
}

SigningKeyPair::~SigningKeyPair() {
    sodium_memzero(m_secret.data(), m_secret.size());
}

KeySeed SigningKeyPair::seed() const {
    KeySeed out{};
    crypto_sign_ed25519_sk_to_seed(out.data(), m_secret.data());
    return out;
}

Signature sign(const SigningKeyPair& keys, std::span<const std::uint8_t> message) {
    ensureSodium();
    Signature signature{};
    crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), keys.secretKey().data());
    return signature;
}

bool verify(const PublicKey& key, std::span<const std::uint8_t> message, const Signature& signature) {
    ensureSodium();
    return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), key.data()) == 0;
}

std::string formatPublicKey(const PublicKey& key, std::string_view comment) {
    return withComment(comment, kPublicHeader, encodeBase32(key));
}

std::expected<PublicKey, KeyTextError> parsePublicKey(std::string_view text) {
    return parseKeyText<kPublicKeyBytes>(text, kPublicHeader);
}

std::string formatSecretKey(const SigningKeyPair& keys, std::string_view comment) {
    KeySeed seed = keys.seed();
    std::string text = withComment(comment, kSecretHeader, encodeBase32(seed));
    sodium_memzero(seed.data(), seed.size());
    return text;
}

std::expected<SigningKeyPair, KeyTextError> parseSecretKey(std::string_view text) {
    auto seed = parseKeyText<kSeedBytes>(text, kSecretHeader);
    if (!seed) return std::unexpected(seed.error());
    SigningKeyPair keys = SigningKeyPair::fromSeed(*seed);
    sodium_memzero(seed->data(), seed->size());
    return keys;
}

std::string_view describe(KeyTextError error) {
    switch (error) {
        case KeyTextError::NoKey:
            return "no key found in the key text";
        case KeyTextError::WrongHeader:
            return "not the expected kind of key (check you gave a public key where a public key is "
                   "needed and a secret key where a secret key is needed)";
        case KeyTextError::BadEncoding:
            return "the key line is not valid base32";
        case KeyTextError::WrongSize:
            return "the key line has the wrong length for an Ed25519 key";
        case KeyTextError::TrailingContent:
            return "unexpected extra lines after the key";
    }
    return "unknown key text error";
}

}  // namespace loyalty
