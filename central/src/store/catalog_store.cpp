#include "store/catalog_store.hpp"

namespace central {

DbResult<std::vector<std::string>> CatalogStore::storesTrusting(const std::string& publicKey) {
    auto rows =
        m_c.query("SELECT store_id FROM store_keys WHERE public_key = $1 ORDER BY store_id", {publicKey});
    if (!rows) return std::unexpected(rows.error());
    std::vector<std::string> stores;
    for (const auto& row : *rows) stores.push_back(row.text(0));
    return stores;
}

}  // namespace central
