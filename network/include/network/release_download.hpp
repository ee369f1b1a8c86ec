#pragma once
// The update agent's downloads from central (docs/api.md, "Releases and rollouts"): a release's
// manifest (small text) and its bundle in HTTP ranges, resumable, into a staging file.
//
// Contract
// - Same rules as CentralClient (central_client.hpp): blocking, nothing throws, the client's URL,
//   credential, TLS settings and timeouts (per range). Only paths under /v1/releases/ are fetched, so
//   an offer cannot send the kiosk's credential anywhere else.
// - downloadRanges appends to `staging` from the size it already has (a download cut by a network
//   failure, a kill or a power cut resumes there). A range is written only once it arrived whole and
//   matches its Content-Range, then fsync'd: the file always ends on a range boundary. A write that
//   fails (disk full) is cut back to the last boundary.
// - The whole resource (Content-Range's total) must be at most `maxBytes`, and equal `expectedSize`
//   when that is given: the download stops before writing anything that breaks either.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "network/central_client.hpp"

namespace net {

/// A path on central the agent may fetch: "/v1/releases/…", letters, digits, '/', '-', '_', '.' only,
/// no "..". Central's offer carries these (manifest_url, bundle_url).
[[nodiscard]] bool isReleasePath(std::string_view path);

struct RangedDownload {
    std::uint64_t maxBytes = 0;      ///< cap on the whole resource (required)
    std::uint64_t expectedSize = 0;  ///< the manifest's size; 0 = not known
    /// After every range written: the bytes held and the total. Return false to stop (the file keeps
    /// what arrived; call again to resume).
    std::function<bool(std::uint64_t have, std::uint64_t total)> progress;
};

struct Downloaded {
    std::uint64_t bytes = 0;  ///< the staging file's size now
    std::uint64_t total = 0;  ///< the resource's size (0 if no range was needed nor received)
    [[nodiscard]] bool complete() const { return total != 0 && bytes == total; }
};

/// GET `path` in ranges (Range: bytes=N-) into `staging` (created 0600 if absent). Errors: those of
/// central_client.hpp; TooLarge when the total is over the cap; BadResponse for a range that is not
/// the one asked for, a total that changed or differs from expectedSize; InvalidRequest with code
/// "disk_full" or "staging_write_failed" when the staging file cannot be written (nothing half-written
/// stays), "staging_too_large" when it already holds more than expectedSize.
[[nodiscard]] Result<Downloaded> downloadRanges(const CentralClient& client, const std::string& path,
                                                const std::filesystem::path& staging,
                                                const RangedDownload& options);

/// GET `path` as text (a release manifest), at most `maxBytes`.
[[nodiscard]] Result<std::string> fetchText(const CentralClient& client, const std::string& path,
                                            std::size_t maxBytes);

}  // namespace net
