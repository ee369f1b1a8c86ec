#include "loyalty/release.hpp"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <vector>

#include "loyalty/base32.hpp"
#include "loyalty/time.hpp"

namespace loyalty {
namespace {

constexpr std::string_view kHeader = "LOYALTY-KIOSK RELEASE 1";
constexpr std::string_view kSignatureKey = "signature";
constexpr std::uint32_t kMaxVersionPart = 99'999;

static_assert(sizeof(crypto_hash_sha256_state) <= 128);

/// The signed lines, in their one order.
constexpr std::array<std::string_view, 9> kKeys = {
    "package", "version", "minimum_from", "channel", "bundle", "size", "sha256", "issued_at", "expires_at"};

/// Names (package, channel, bundle): what a Debian file or package name may hold, nothing that could
/// break a line or a path.
bool isName(std::string_view text) {
    if (text.empty() || text.size() > 128 || text.front() == '.' || text.front() == '-') return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '-' || c == '_' || c == '+' || c == '~';
    });
}

bool isSha256Hex(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

std::expected<std::uint64_t, std::string> parseCount(std::string_view text, std::uint64_t max) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() ||
        (text.size() > 1 && text[0] == '0') || value > max)
        return std::unexpected("\"" + std::string(text) + "\" is not a whole number from 0 to " +
                               std::to_string(max));
    return value;
}

std::string signedPart(const ReleaseManifest& m) {
    const std::array<std::string, 9> values = {m.package,
                                               formatReleaseVersion(m.version),
                                               formatReleaseVersion(m.minimumFrom),
                                               m.channel,
                                               m.bundle,
                                               std::to_string(m.size),
                                               m.sha256,
                                               formatIso8601(m.issuedAt),
                                               formatIso8601(m.expiresAt)};
    std::string text = std::string(kHeader) + "\n";
    for (std::size_t i = 0; i < kKeys.size(); ++i) text += std::string(kKeys[i]) + "=" + values[i] + "\n";
    return text;
}

/// Every field's own rule; the error names the field.
std::expected<void, std::string> checkFields(const ReleaseManifest& m) {
    if (!isName(m.package)) return std::unexpected("package: not a package name");
    if (!isName(m.channel)) return std::unexpected("channel: not a channel name");
    if (!isName(m.bundle)) return std::unexpected("bundle: not a plain file name");
    if (m.size == 0 || m.size > kMaxBundleBytes) return std::unexpected("size: 1 byte to 1 GiB");
    if (!isSha256Hex(m.sha256)) return std::unexpected("sha256: not 64 lowercase hex digits");
    if (m.minimumFrom > m.version) return std::unexpected("minimum_from: above the version itself");
    if (m.expiresAt <= m.issuedAt) return std::unexpected("expires_at: not after issued_at");
    return {};
}

/// Stores `value` of line `key` into `m`.
std::expected<void, std::string> setField(ReleaseManifest& m, std::string_view key, std::string_view value) {
    const auto version = [&](ReleaseVersion& out) -> std::expected<void, std::string> {
        auto parsed = parseReleaseVersion(value);
        if (!parsed) return std::unexpected(parsed.error());
        out = *parsed;
        return {};
    };
    const auto time = [&](UnixSeconds& out) -> std::expected<void, std::string> {
        auto parsed = parseIso8601(value);
        if (!parsed) return std::unexpected(std::string(describe(parsed.error())));
        out = *parsed;
        return {};
    };
    if (key == "package")
        m.package = value;
    else if (key == "version")
        return version(m.version);
    else if (key == "minimum_from")
        return version(m.minimumFrom);
    else if (key == "channel")
        m.channel = value;
    else if (key == "bundle")
        m.bundle = value;
    else if (key == "size") {
        auto size = parseCount(value, kMaxBundleBytes);
        if (!size) return std::unexpected(size.error());
        m.size = *size;
    } else if (key == "sha256")
        m.sha256 = value;
    else if (key == "issued_at")
        return time(m.issuedAt);
    else if (key == "expires_at")
        return time(m.expiresAt);
    return {};
}

std::unexpected<ManifestProblem> malformed(std::string detail) {
    return std::unexpected(ManifestProblem{ManifestError::Malformed, std::move(detail)});
}

/// The next line of `text` from `pos` (without its LF); false if there is no LF-terminated line.
bool nextLine(std::string_view text, std::size_t& pos, std::string_view& line) {
    const auto end = text.find('\n', pos);
    if (end == std::string_view::npos) return false;
    line = text.substr(pos, end - pos);
    pos = end + 1;
    return true;
}

}  // namespace

std::expected<ReleaseVersion, std::string> parseReleaseVersion(std::string_view text) {
    const auto refuse = [&] {
        return std::unexpected("\"" + std::string(text.substr(0, 40)) +
                               "\" is not a version MAJOR.MINOR.PATCH");
    };
    std::array<std::uint32_t, 3> parts{};
    std::size_t pos = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const bool last = i + 1 == parts.size();
        const auto end = last ? text.size() : text.find('.', pos);
        if (end == std::string_view::npos) return refuse();
        const auto number = parseCount(text.substr(pos, end - pos), kMaxVersionPart);
        if (!number) return refuse();
        parts[i] = static_cast<std::uint32_t>(*number);
        pos = end + 1;
    }
    return ReleaseVersion{parts[0], parts[1], parts[2]};
}

std::string formatReleaseVersion(const ReleaseVersion& v) {
    return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
}

std::string signReleaseManifest(const ReleaseManifest& manifest, const SigningKeyPair& releaseKey) {
    if (auto ok = checkFields(manifest); !ok) throw std::invalid_argument("release manifest " + ok.error());
    const std::string text = signedPart(manifest);
    const auto signature =
        sign(releaseKey, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    return text + std::string(kSignatureKey) + "=" + encodeBase32(signature) + "\n";
}

namespace {

/// A manifest read but not yet trusted: its fields, the bytes its signature covers, the signature.
struct ReadManifest {
    ReleaseManifest manifest;
    std::string_view signedText;
    Signature signature{};
};

std::expected<ReadManifest, ManifestProblem> readManifest(std::string_view text) {
    if (text.size() > kMaxManifestBytes)
        return std::unexpected(
            ManifestProblem{ManifestError::TooLarge, "over " + std::to_string(kMaxManifestBytes) + " bytes"});
    std::size_t pos = 0;
    std::string_view line;
    if (!nextLine(text, pos, line) || line != kHeader)
        return malformed("the first line is not \"" + std::string(kHeader) + "\"");
    ReadManifest read;
    for (const auto key : kKeys) {
        if (!nextLine(text, pos, line)) return malformed("line " + std::string(key) + "= is missing");
        if (!line.starts_with(key) || line.size() <= key.size() || line[key.size()] != '=')
            return malformed("expected line " + std::string(key) + "=, found \"" +
                             std::string(line.substr(0, 40)) + "\"");
        if (auto set = setField(read.manifest, key, line.substr(key.size() + 1)); !set)
            return malformed(std::string(key) + ": " + set.error());
    }
    read.signedText = text.substr(0, pos);
    if (!nextLine(text, pos, line) || !line.starts_with("signature="))
        return malformed("line signature= is missing");
    if (pos != text.size()) return malformed("text after the signature line");
    const auto signatureBytes = decodeBase32(line.substr(kSignatureKey.size() + 1));
    if (!signatureBytes || signatureBytes->size() != kSignatureBytes)
        return malformed("signature: not 64 bytes in base32");
    std::copy(signatureBytes->begin(), signatureBytes->end(), read.signature.begin());
    return read;
}

}  // namespace

std::expected<ReleaseManifest, ManifestProblem> verifyReleaseManifest(std::string_view text,
                                                                      const PublicKey& releaseKey) {
    auto read = readManifest(text);
    if (!read) return std::unexpected(read.error());
    if (!verify(releaseKey,
                std::span(reinterpret_cast<const std::uint8_t*>(read->signedText.data()),
                          read->signedText.size()),
                read->signature))
        return std::unexpected(
            ManifestProblem{ManifestError::BadSignature, "not signed by the release key, or altered"});
    // Checked after the signature: a well-signed manifest with an impossible field is still refused.
    if (auto ok = checkFields(read->manifest); !ok) return malformed(ok.error());
    return std::move(read->manifest);
}

std::expected<ReleaseManifest, ManifestProblem> readUnverifiedReleaseManifest(std::string_view text) {
    auto read = readManifest(text);
    if (!read) return std::unexpected(read.error());
    if (auto ok = checkFields(read->manifest); !ok) return malformed(ok.error());
    return std::move(read->manifest);
}

std::expected<void, ReleaseRefusal> checkReleaseApplies(const ReleaseManifest& manifest,
                                                        const InstalledState& installed, UnixSeconds now) {
    if (manifest.package != installed.package) return std::unexpected(ReleaseRefusal::WrongPackage);
    if (manifest.channel != installed.channel) return std::unexpected(ReleaseRefusal::WrongChannel);
    if (now >= manifest.expiresAt) return std::unexpected(ReleaseRefusal::Expired);
    if (manifest.version <= installed.running || manifest.version <= installed.highestInstalled)
        return std::unexpected(ReleaseRefusal::NotNewer);
    if (installed.running < manifest.minimumFrom) return std::unexpected(ReleaseRefusal::TooOldToUpdate);
    return {};
}

std::string_view describe(ManifestError error) {
    switch (error) {
        case ManifestError::TooLarge:
            return "the manifest is too large";
        case ManifestError::Malformed:
            return "the manifest is malformed";
        case ManifestError::BadSignature:
            return "the manifest's signature does not verify with the release key";
    }
    return "unknown manifest error";
}

std::string_view code(ReleaseRefusal refusal) {
    switch (refusal) {
        case ReleaseRefusal::WrongPackage:
            return "wrong_package";
        case ReleaseRefusal::WrongChannel:
            return "wrong_channel";
        case ReleaseRefusal::Expired:
            return "expired";
        case ReleaseRefusal::NotNewer:
            return "not_newer";
        case ReleaseRefusal::TooOldToUpdate:
            return "too_old_to_update";
    }
    return "unknown";
}

std::string_view describe(ReleaseRefusal refusal) {
    switch (refusal) {
        case ReleaseRefusal::WrongPackage:
            return "the release is for another package";
        case ReleaseRefusal::WrongChannel:
            return "the release is for another channel";
        case ReleaseRefusal::Expired:
            return "the release manifest has expired";
        case ReleaseRefusal::NotNewer:
            return "the release is not newer than the running or an installed version";
        case ReleaseRefusal::TooOldToUpdate:
            return "the running version is older than the release's minimum_from";
    }
    return "unknown refusal";
}

Sha256::Sha256() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot initialise");
    crypto_hash_sha256_init(reinterpret_cast<crypto_hash_sha256_state*>(m_state.data()));
}

void Sha256::update(std::span<const std::uint8_t> bytes) {
    crypto_hash_sha256_update(reinterpret_cast<crypto_hash_sha256_state*>(m_state.data()), bytes.data(),
                              bytes.size());
}

std::string Sha256::hexDigest() {
    std::array<std::uint8_t, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256_final(reinterpret_cast<crypto_hash_sha256_state*>(m_state.data()), digest.data());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return std::string(hex.data());
}

}  // namespace loyalty
