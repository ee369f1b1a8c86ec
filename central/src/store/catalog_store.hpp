#pragma once
// The catalog's rows: stores and the public keys their receipts are signed with (store_keys). Runs
// in the caller's open transaction (or a plain lease for reads) on `c`. Private to central_core; SQL
// only here. (The campaign, tier and reward rows are still read in service.cpp and written in
// service_admin.cpp: issue 11's admin step.)

#include <string>
#include <vector>

#include "central/database.hpp"

namespace central {

class CatalogStore {
  public:
    explicit CatalogStore(Connection& c) : m_c(c) {}

    /// The stores that trust `publicKey` (loyalty::formatPublicKey text), by id.
    [[nodiscard]] DbResult<std::vector<std::string>> storesTrusting(const std::string& publicKey);

  private:
    Connection& m_c;
};

}  // namespace central
