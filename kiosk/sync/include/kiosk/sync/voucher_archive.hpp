#pragma once
// The vouchers central issued through this kiosk, kept so staff can reprint one (issue 5: a print that
// fails midway leaves the voucher safe on central).
//
// Contract: as LocalStore (any thread, blocks on disk I/O, errors are values).

#include <cstdint>
#include <string>
#include <vector>

#include "kiosk/sync/database.hpp"
#include "loyalty/localized_text.hpp"
#include "loyalty/receipt.hpp"

namespace kiosk::sync {

/// What the ticket prints, nothing about the member.
struct IssuedVoucher {
    std::string code;
    std::string qrPayload;  ///< central's signed voucher token, exactly as the QR must encode it
    loyalty::LocalizedText title;
    std::int64_t valueDong = 0;
    loyalty::UnixSeconds issuedAt = 0;
    loyalty::UnixSeconds expiresAt = 0;  ///< first second it is no longer valid
    loyalty::LocalizedText terms;
    bool printed = false;  ///< a whole ticket came out of the printer at least once
};

class VoucherArchive {
  public:
    /// `database` must outlive this part.
    explicit VoucherArchive(Database& database) : m_database(database) {}

    /// Keeps a voucher central issued (code and QR payload required: Invalid otherwise). Saving a code
    /// already kept changes nothing.
    [[nodiscard]] StoreResult<void> saveVoucher(const IssuedVoucher& voucher);
    /// NotFound if the code was never saved.
    [[nodiscard]] StoreResult<void> markVoucherPrinted(const std::string& code);
    /// The vouchers kept: those not printed yet first (what staff must reprint is never pushed out by
    /// later vouchers), then the printed ones; newest first within each.
    [[nodiscard]] StoreResult<std::vector<IssuedVoucher>> vouchers(std::size_t limit = 20);

  private:
    Database& m_database;
};

}  // namespace kiosk::sync
