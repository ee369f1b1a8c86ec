#include "kiosk/sync/voucher_archive.hpp"

#include "sqlite.hpp"

namespace kiosk::sync {

using sqlite::ioError;
using sqlite::Statement;

StoreResult<void> VoucherArchive::saveVoucher(const IssuedVoucher& voucher) {
    if (voucher.code.empty() || voucher.qrPayload.empty())
        return std::unexpected(
            StoreError{StoreError::Kind::Invalid, "a voucher needs its code and QR payload"});
    const auto db = m_database.lock();
    // Central answers a retried redemption with the same voucher: the first copy (and its printed
    // flag) stays.
    Statement insert(db.get(),
                     "INSERT INTO vouchers(code, qr_payload, title_vi, title_en, value_dong, issued_at, "
                     "expires_at, terms_vi, terms_en, printed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                     "ON CONFLICT(code) DO NOTHING");
    if (!insert.ok()) return std::unexpected(ioError(db.get(), "save voucher"));
    insert.bind(1, voucher.code);
    insert.bind(2, voucher.qrPayload);
    insert.bind(3, voucher.title.vi);
    insert.bind(4, voucher.title.en);
    insert.bind(5, voucher.valueDong);
    insert.bind(6, voucher.issuedAt);
    insert.bind(7, voucher.expiresAt);
    insert.bind(8, voucher.terms.vi);
    insert.bind(9, voucher.terms.en);
    insert.bind(10, std::int64_t{voucher.printed});
    if (insert.step() != SQLITE_DONE) return std::unexpected(ioError(db.get(), "save voucher"));
    return {};
}

StoreResult<void> VoucherArchive::markVoucherPrinted(const std::string& code) {
    const auto db = m_database.lock();
    Statement update(db.get(), "UPDATE vouchers SET printed = 1 WHERE code = ?");
    if (!update.ok()) return std::unexpected(ioError(db.get(), "mark voucher printed"));
    update.bind(1, code);
    if (update.step() != SQLITE_DONE) return std::unexpected(ioError(db.get(), "mark voucher printed"));
    if (sqlite3_changes(db.get()) == 0)
        return std::unexpected(StoreError{StoreError::Kind::NotFound, "no voucher " + code});
    return {};
}

StoreResult<std::vector<IssuedVoucher>> VoucherArchive::vouchers(std::size_t limit) {
    const auto db = m_database.lock();
    Statement select(db.get(),
                     "SELECT code, qr_payload, title_vi, title_en, value_dong, issued_at, expires_at, "
                     "terms_vi, terms_en, printed FROM vouchers ORDER BY printed, id DESC LIMIT ?");
    if (!select.ok()) return std::unexpected(ioError(db.get(), "vouchers"));
    select.bind(1, static_cast<std::int64_t>(limit));
    std::vector<IssuedVoucher> rows;
    int rc;
    while ((rc = select.step()) == SQLITE_ROW)
        rows.push_back(IssuedVoucher{select.text(0),
                                     select.text(1),
                                     {select.text(2), select.text(3)},
                                     select.integer(4),
                                     select.integer(5),
                                     select.integer(6),
                                     {select.text(7), select.text(8)},
                                     select.integer(9) != 0});
    if (rc != SQLITE_DONE) return std::unexpected(ioError(db.get(), "vouchers"));
    return rows;
}

}  // namespace kiosk::sync
