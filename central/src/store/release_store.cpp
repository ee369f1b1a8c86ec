#include "store/release_store.hpp"

#include <sodium.h>

namespace central {
namespace {

std::string toBase64(const std::string& bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::optional<std::string> fromBase64(const std::string& text) {
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                          nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::nullopt;
    out.resize(length);
    return out;
}

constexpr const char* kColumns =
    "release_id, package, version, channel, size, sha256, manifest, published_at FROM releases";

ReleaseStore::Release toRelease(const Row& row) {
    return {row.integer(0), row.text(1), row.text(2), row.text(3),
            row.integer(4), row.text(5), row.text(6), row.integer(7)};
}

}  // namespace

DbResult<void> ReleaseStore::putChunk(const std::string& sha256, std::int64_t index,
                                      const std::string& bytes) {
    auto done = m_c.query(
        "INSERT INTO release_chunks (sha256, chunk, bytes, data) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (sha256, chunk) DO UPDATE SET bytes = excluded.bytes, data = excluded.data",
        {sha256, index, static_cast<std::int64_t>(bytes.size()), toBase64(bytes)});
    if (!done) return std::unexpected(done.error());
    return {};
}

DbResult<std::optional<std::string>> ReleaseStore::chunk(const std::string& sha256, std::int64_t index) {
    auto rows =
        m_c.query("SELECT data FROM release_chunks WHERE sha256 = $1 AND chunk = $2", {sha256, index});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<std::string>{};
    auto bytes = fromBase64(rows->front().text(0));
    if (!bytes) return std::unexpected(DbError{DbError::Kind::Other, "a stored bundle chunk is not base64"});
    return bytes;
}

DbResult<std::vector<std::pair<std::int64_t, std::int64_t>>> ReleaseStore::chunkSizes(
    const std::string& sha256) {
    auto rows =
        m_c.query("SELECT chunk, bytes FROM release_chunks WHERE sha256 = $1 ORDER BY chunk", {sha256});
    if (!rows) return std::unexpected(rows.error());
    std::vector<std::pair<std::int64_t, std::int64_t>> sizes;
    for (const auto& row : *rows) sizes.emplace_back(row.integer(0), row.integer(1));
    return sizes;
}

DbResult<ReleaseStore::Release> ReleaseStore::insert(const Release& r) {
    auto ins = m_c.query(
        "INSERT INTO releases (package, version, channel, size, sha256, manifest, published_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (package, version, channel) DO NOTHING",
        {r.package, r.version, r.channel, r.size, r.sha256, r.manifest, r.publishedAt});
    if (!ins) return std::unexpected(ins.error());
    auto rows =
        m_c.query(std::string("SELECT ") + kColumns + " WHERE package = $1 AND version = $2 AND channel = $3",
                  {r.package, r.version, r.channel});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::unexpected(DbError{DbError::Kind::Other, "release not stored"});
    return toRelease(rows->front());
}

DbResult<std::optional<ReleaseStore::Release>> ReleaseStore::find(std::int64_t id) {
    auto rows = m_c.query(std::string("SELECT ") + kColumns + " WHERE release_id = $1", {id});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<Release>{};
    return toRelease(rows->front());
}

DbResult<std::vector<ReleaseStore::Release>> ReleaseStore::list() {
    auto rows = m_c.query(std::string("SELECT ") + kColumns + " ORDER BY release_id");
    if (!rows) return std::unexpected(rows.error());
    std::vector<Release> out;
    for (const auto& row : *rows) out.push_back(toRelease(row));
    return out;
}

}  // namespace central
