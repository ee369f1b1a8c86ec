#pragma once
// Signed release manifests: what head office ships to the fleet and what a kiosk's update agent
// trusts (docs/fleet.md). A manifest names one bundle (a .deb) by size and SHA-256 and is signed with
// the chain's Ed25519 *release key*, which never lives on central: central stores and hands out
// manifests but cannot forge one (the TUF idea of key separation). Freshness comes from an expiry
// date, anti-rollback from the version order. Pure computation, no I/O; callable from any thread.
//
// The manifest is text with one `key=value` per line in a fixed order, signed over its exact bytes
// (everything before the `signature=` line), so there is no canonical-JSON question to get wrong:
//
//     LOYALTY-KIOSK RELEASE 1
//     package=loyalty-kiosk
//     version=1.4.0
//     minimum_from=1.2.0
//     channel=stable
//     bundle=loyalty-kiosk_1.4.0_amd64.deb
//     size=5123456
//     sha256=<64 lowercase hex digits>
//     issued_at=2026-12-02T08:00:00+07:00
//     expires_at=2027-01-01T00:00:00+07:00
//     signature=<the 64-byte Ed25519 signature in base32>

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <string_view>

#include "loyalty/receipt.hpp"
#include "loyalty/signing.hpp"

namespace loyalty {

/// MAJOR.MINOR.PATCH, each 0-99999; ordered numerically (1.10.0 > 1.9.3).
struct ReleaseVersion {
    std::uint32_t major = 0;
    std::uint32_t minor = 0;
    std::uint32_t patch = 0;
    auto operator<=>(const ReleaseVersion&) const = default;
};

[[nodiscard]] std::expected<ReleaseVersion, std::string> parseReleaseVersion(std::string_view text);
[[nodiscard]] std::string formatReleaseVersion(const ReleaseVersion& version);

struct ReleaseManifest {
    std::string package;  ///< the Debian package it installs, e.g. "loyalty-kiosk"
    ReleaseVersion version;
    ReleaseVersion minimumFrom;  ///< a kiosk running an older version must take an earlier release first
    std::string channel;         ///< e.g. "stable", "pilot"
    std::string bundle;          ///< the bundle's file name (no directory)
    std::uint64_t size = 0;      ///< bytes
    std::string sha256;          ///< lowercase hex
    UnixSeconds issuedAt = 0;
    UnixSeconds expiresAt = 0;  ///< after this a kiosk refuses it (a stale or replayed release)
};

inline constexpr std::size_t kMaxManifestBytes = 4096;
inline constexpr std::uint64_t kMaxBundleBytes = 1ull << 30;  ///< 1 GiB

/// The signed manifest text. Throws std::invalid_argument if a field would not parse back (a name
/// with a line break, a size over kMaxBundleBytes, expiry not after issue, ...).
[[nodiscard]] std::string signReleaseManifest(const ReleaseManifest& manifest,
                                              const SigningKeyPair& releaseKey);

enum class ManifestError {
    TooLarge,      ///< over kMaxManifestBytes
    Malformed,     ///< not the format above (missing, extra, repeated or out-of-order lines, bad value)
    BadSignature,  ///< not signed by this release key, or altered after signing
};
[[nodiscard]] std::string_view describe(ManifestError error);

/// The manifest if `text` is well formed AND signed by `releaseKey`; the detail names the bad line.
struct ManifestProblem {
    ManifestError error;
    std::string detail;
};
[[nodiscard]] std::expected<ReleaseManifest, ManifestProblem> verifyReleaseManifest(
    std::string_view text, const PublicKey& releaseKey);

/// The fields of a well-formed manifest WITHOUT checking its signature: for central, which stores and
/// schedules releases but holds no key to trust them with. Whoever installs one verifies it first.
[[nodiscard]] std::expected<ReleaseManifest, ManifestProblem> readUnverifiedReleaseManifest(
    std::string_view text);

/// Why a genuine manifest is not for this kiosk now. Codes (code()) go into heartbeats and logs.
enum class ReleaseRefusal {
    WrongPackage,
    WrongChannel,
    Expired,
    NotNewer,        ///< same or older than the running or the highest version ever installed
    TooOldToUpdate,  ///< the running version is below minimum_from
};
[[nodiscard]] std::string_view code(ReleaseRefusal refusal);
[[nodiscard]] std::string_view describe(ReleaseRefusal refusal);

struct InstalledState {
    std::string package;
    std::string channel;
    ReleaseVersion running;
    ReleaseVersion highestInstalled;  ///< anti-rollback floor, kept by the agent across rollbacks
};

[[nodiscard]] std::expected<void, ReleaseRefusal> checkReleaseApplies(const ReleaseManifest& manifest,
                                                                      const InstalledState& installed,
                                                                      UnixSeconds now);

/// SHA-256 over data that arrives in pieces (a bundle read or downloaded in chunks).
class Sha256 {
  public:
    Sha256();
    void update(std::span<const std::uint8_t> bytes);
    /// The digest as lowercase hex; the object must not be updated afterwards.
    [[nodiscard]] std::string hexDigest();

  private:
    // libsodium's crypto_hash_sha256_state (104 bytes), kept opaque so no header includes <sodium.h>.
    alignas(8) std::array<std::uint8_t, 128> m_state{};
};

}  // namespace loyalty
