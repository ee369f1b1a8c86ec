#pragma once
// The tables of the console's customer care (docs/console.md): receipts brought back
// (receipt_returns), a member's own data for export, and the rows an erasure blanks or removes. Runs
// in the caller's connection (a transaction for writes). Private to central_core; SQL only here.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "central/database.hpp"
#include "loyalty/points.hpp"

namespace central {

/// How one exported column is meant: text, an integer (NULL stays null), or a voucher code (a bearer
/// secret: whoever shows it masks it).
enum class DataKind { Text, Integer, Voucher };
struct DataColumn {
    std::string_view name;
    DataKind kind;
};
/// One table's rows of a member, columns in the order of `columns`.
struct DataSection {
    std::string_view name;
    std::span<const DataColumn> columns;
    Rows rows;
};
/// The member row with its consents.
struct MemberRecord {
    std::int64_t memberId = 0;
    loyalty::Points balance = 0;
    loyalty::UnixSeconds createdAt = 0;
    bool consentJoin = false;
    bool consentMarketing = false;
    std::string consentTextVersion;
    loyalty::UnixSeconds consentAt = 0;
    std::string consentKiosk;
};

class CareStore {
  public:
    explicit CareStore(Connection& c) : m_c(c) {}

    struct Claim {
        std::int64_t memberId = 0;
        std::int64_t amountDong = 0;
        loyalty::Points points = 0;
        std::string store;
        std::string kiosk;
        std::string phoneE164;
    };
    [[nodiscard]] DbResult<std::optional<Claim>> claim(const std::string& receiptId);

    struct Return {
        std::string key;  ///< "return:" + the caller's key (also the ledger entry's key)
        std::string receiptId;
        std::int64_t memberId = 0;
        std::int64_t amountDong = 0;
        loyalty::Points points = 0;
        loyalty::UnixSeconds at = 0;
        std::string reason;
        std::string actor;
        std::string result;  ///< the answer given, JSON text
    };
    /// The return stored under `key`, if any (the fields compared on a replay, and its answer).
    [[nodiscard]] DbResult<std::optional<Return>> findReturn(const std::string& key);
    struct Returned {
        std::int64_t amountDong = 0;
        loyalty::Points points = 0;
    };
    /// What the returns of `receiptId` add up to so far.
    [[nodiscard]] DbResult<Returned> returnedSoFar(const std::string& receiptId);
    [[nodiscard]] DbResult<void> saveReturn(const Return& r);

    [[nodiscard]] DbResult<std::optional<MemberRecord>> member(const std::string& phoneE164);
    /// Every row of the member's in ledger, claims, returns, vouchers, game draws and messages.
    [[nodiscard]] DbResult<std::vector<DataSection>> memberData(std::int64_t memberId);
    /// The erasure's writes (docs/console.md): the phone becomes `tag`, consents and typed reasons are
    /// blanked (but the entry keyed `tag`'s), queued messages and one-time codes of the phone go.
    [[nodiscard]] DbResult<void> erase(std::int64_t memberId, const std::string& tag,
                                       const std::string& phoneE164);

  private:
    Connection& m_c;
};

}  // namespace central
