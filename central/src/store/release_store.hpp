#pragma once
// Published releases (releases) and their bundles, kept in fixed-size chunks (release_chunks, base64
// text so both engines store them alike). Every call runs in the caller's open transaction (or a
// plain lease for reads) on `c`. Private to central_core; SQL only here.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "central/database.hpp"
#include "loyalty/receipt.hpp"

namespace central {

class ReleaseStore {
  public:
    explicit ReleaseStore(Connection& c) : m_c(c) {}

    struct Release {
        std::int64_t id = 0;
        std::string package;
        std::string version;
        std::string channel;
        std::int64_t size = 0;
        std::string sha256;
        std::string manifest;
        loyalty::UnixSeconds publishedAt = 0;
    };

    /// Stores chunk `index` of the bundle `sha256` (replacing an earlier upload of the same chunk).
    [[nodiscard]] DbResult<void> putChunk(const std::string& sha256, std::int64_t index,
                                          const std::string& bytes);
    /// Chunk `index` of `sha256`, nullopt when it was not uploaded.
    [[nodiscard]] DbResult<std::optional<std::string>> chunk(const std::string& sha256, std::int64_t index);
    /// The uploaded chunk sizes of `sha256`, in chunk order (index, bytes).
    [[nodiscard]] DbResult<std::vector<std::pair<std::int64_t, std::int64_t>>> chunkSizes(
        const std::string& sha256);
    /// Inserts `release` unless (package, version, channel) exists; the stored release either way.
    [[nodiscard]] DbResult<Release> insert(const Release& release);
    [[nodiscard]] DbResult<std::optional<Release>> find(std::int64_t id);
    [[nodiscard]] DbResult<std::vector<Release>> list();

  private:
    Connection& m_c;
};

}  // namespace central
