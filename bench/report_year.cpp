#include "report_year.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

namespace bench {
namespace {

using central::Connection;
using central::Param;
using loyalty::UnixSeconds;

constexpr std::int64_t kRedeemCost = 200;
constexpr std::int64_t kVoucherValueDong = 20'000;
constexpr std::size_t kRowsPerInsert = 400;
constexpr std::size_t kInsertsPerTransaction = 50;

template <typename T>
T check(central::DbResult<T> result, std::string_view what) {
    if (!result) throw std::runtime_error(fmt::format("{}: {}", what, result.error().message));
    if constexpr (!std::is_void_v<T>) return std::move(*result);
}

/// Rows of one table, sent as multi-row INSERTs.
class Batch {
  public:
    Batch(std::string table, std::string columns, std::size_t width)
        : m_table(std::move(table)), m_columns(std::move(columns)), m_width(width) {}
    void add(std::vector<Param> row) {
        for (auto& p : row) m_params.push_back(std::move(p));
    }
    [[nodiscard]] bool full() const { return m_params.size() >= kRowsPerInsert * m_width; }
    void flush(Connection& c) {
        if (m_params.empty()) return;
        std::string values;
        for (std::size_t i = 0; i < m_params.size(); ++i) {
            if (i % m_width == 0) values += i ? "), (" : "(";
            values += fmt::format("{}${}", i % m_width ? ", " : "", i + 1);
        }
        check(c.query(fmt::format("INSERT INTO {} ({}) VALUES {})", m_table, m_columns, values),
                      std::span<const Param>(m_params)),
              m_table);
        m_params.clear();
    }

  private:
    std::string m_table;
    std::string m_columns;
    std::size_t m_width;
    std::vector<Param> m_params;
};

class Generator {
  public:
    Generator(Connection& c, const YearOptions& o) : m_c(c), m_o(o), m_random(o.seed) {}

    YearTotals run() {
        check(m_c.begin(), "begin");
        addStores();
        auto next = check(m_c.query("SELECT COALESCE(MAX(member_id), 0) FROM members"), "members");
        m_firstMember = next.front().integer(0) + 1;
        const auto firstDay = loyalty::addDays(m_o.lastDay, 1 - m_o.days);
        m_end = loyalty::startOfLocalDay(loyalty::addDays(m_o.lastDay, 1));
        for (int d = 0; d < m_o.days; ++d) {
            const auto date = loyalty::addDays(firstDay, d);
            const bool weekend = loyalty::weekdayOf(date) >= loyalty::Weekday::Saturday;
            for (std::size_t s = 0; s < m_weight.size(); ++s) {
                std::poisson_distribution<int> count(m_o.receiptsPerStoreDay * m_weight[s] *
                                                     (weekend ? 1.3 : 1.0));
                for (int n = count(m_random); n > 0; --n) receipt(s, loyalty::startOfLocalDay(date));
            }
        }
        flushAll();
        finish();
        return m_totals;
    }

  private:
    static std::string storeId(std::size_t s) { return fmt::format("S{:03}", s + 1); }
    static std::string kioskId(std::size_t s, int k) { return fmt::format("K-S{:03}-{}", s + 1, k + 1); }

    void addStores() {
        std::uniform_real_distribution<double> weight(0.5, 1.5);
        const auto start = loyalty::startOfLocalDay(loyalty::addDays(m_o.lastDay, -m_o.days));
        for (std::size_t s = 0; s < static_cast<std::size_t>(m_o.stores); ++s) {
            m_weight.push_back(weight(m_random));
            m_storeMembers.emplace_back();
            check(m_c.query("INSERT INTO stores (store_id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT "
                            "DO NOTHING",
                            {storeId(s), "Cửa hàng " + std::to_string(s + 1), start}),
                  "stores");
            for (int k = 0; k < 2; ++k)
                check(m_c.query("INSERT INTO kiosks (kiosk_id, store_id, enrolled_at) VALUES ($1, $2, $3) ON "
                                "CONFLICT DO NOTHING",
                                {kioskId(s, k), storeId(s), start}),
                      "kiosks");
        }
    }

    /// A member for a receipt at store `s`: new (8 %), a regular of the store, or from elsewhere.
    std::size_t member(std::size_t s, const std::string& kiosk, UnixSeconds at) {
        auto& regulars = m_storeMembers[s];
        std::uniform_real_distribution<double> u(0, 1);
        const auto p = u(m_random);
        if (p < 0.08 || m_balance.empty()) {
            const auto index = m_balance.size();
            const auto id = m_firstMember + static_cast<std::int64_t>(index);
            m_balance.push_back(0);
            regulars.push_back(index);
            m_members.add({id, fmt::format("+8488{:07}", id), std::int64_t{0}, at, std::int64_t{1},
                           std::int64_t{p < 0.05 ? 1 : 0}, std::string("v1"), at, kiosk});
            ++m_totals.membersNew;
            return index;
        }
        if (p < 0.85 && !regulars.empty())
            return regulars[std::uniform_int_distribution<std::size_t>(0, regulars.size() - 1)(m_random)];
        return std::uniform_int_distribution<std::size_t>(0, m_balance.size() - 1)(m_random);
    }

    void receipt(std::size_t s, UnixSeconds dayStart) {
        std::uniform_real_distribution<double> u(0, 1);
        const auto kiosk = kioskId(s, u(m_random) < 0.5 ? 0 : 1);
        const auto at = dayStart + 7 * 3600 + static_cast<UnixSeconds>(u(m_random) * 15 * 3600);
        const auto who = member(s, kiosk, at);
        const auto id = m_firstMember + static_cast<std::int64_t>(who);
        std::lognormal_distribution<double> spend(std::log(150'000.0), 0.6);
        const auto amount = std::clamp<std::int64_t>(
            static_cast<std::int64_t>(std::llround(spend(m_random) / 1000)) * 1000, 20'000, 5'000'000);
        const std::int64_t points = std::max<std::int64_t>(1, amount / 10'000);
        const auto number = fmt::format("G{}-{}", m_o.seed, ++m_serial);
        const auto receiptId = storeId(s) + "/" + number;
        m_claims.add({receiptId, "gen:" + receiptId, storeId(s), number, amount, at - 600, kiosk, storeId(s),
                      id, points, at, at, std::string("{}")});
        m_ledger.add(
            {id, std::string("earn"), points, at, "claim:" + receiptId, receiptId, storeId(s), kiosk});
        m_balance[who] += points;
        ++m_totals.claims;
        m_totals.pointsIssued += points;
        if (m_balance[who] >= kRedeemCost && u(m_random) < 0.25) redeem(s, kiosk, who, at + 30);
        const auto returnedAt = at + 86'400 + static_cast<UnixSeconds>(u(m_random) * 2 * 86'400);
        if (u(m_random) < 0.003 && m_balance[who] >= points && returnedAt < m_end) {
            m_ledger.add({id, std::string("return"), -points, returnedAt, "return:" + receiptId, receiptId,
                          storeId(s), kiosk});
            m_balance[who] -= points;
            m_totals.pointsReturned += points;
        }
        if (m_claims.full()) flushAll();
    }

    void redeem(std::size_t s, const std::string& kiosk, std::size_t who, UnixSeconds at) {
        std::uniform_real_distribution<double> u(0, 1);
        const auto id = m_firstMember + static_cast<std::int64_t>(who);
        const auto code = fmt::format("GEN{}-{}", m_o.seed, ++m_serial);
        m_ledger.add(
            {id, std::string("redeem"), -kRedeemCost, at, "redeem:" + code, code, storeId(s), kiosk});
        m_balance[who] -= kRedeemCost;
        m_totals.pointsRedeemed += kRedeemCost;
        ++m_totals.vouchersIssued;
        const auto usedAt = at + static_cast<UnixSeconds>(u(m_random) * 5 * 86'400);
        const bool used = u(m_random) < 0.7 && usedAt < m_end;
        m_vouchers.add({code, "gen-voucher:" + code, std::string("gen-voucher"), id, kiosk, kVoucherValueDong,
                        kRedeemCost, at, at + 30 * 86'400, std::string("{}"),
                        used ? Param{usedAt} : Param{nullptr}, used ? Param{storeId(s)} : Param{nullptr},
                        used ? Param{"till:" + code} : Param{nullptr}});
        if (used) ++m_totals.vouchersConsumed;
    }

    void flushAll() {
        for (auto* batch : {&m_members, &m_claims, &m_ledger, &m_vouchers}) batch->flush(m_c);
        if (++m_inserts < kInsertsPerTransaction) return;
        m_inserts = 0;
        check(m_c.commit(), "commit");
        check(m_c.begin(), "begin");
    }

    void finish() {
        for (std::size_t i = 0; i < m_balance.size(); ++i)
            if (m_balance[i] > 0)
                check(m_c.query("UPDATE members SET balance = $1 WHERE member_id = $2",
                                {m_balance[i], m_firstMember + static_cast<std::int64_t>(i)}),
                      "balance");
        if (m_c.backend() == central::Backend::Postgres)
            check(m_c.query("SELECT setval(pg_get_serial_sequence('members', 'member_id'), "
                            "(SELECT MAX(member_id) FROM members))"),
                  "member ids");
        check(m_c.commit(), "commit");
    }

    Connection& m_c;
    YearOptions m_o;
    std::mt19937_64 m_random;
    std::vector<double> m_weight;
    std::vector<std::vector<std::size_t>> m_storeMembers;
    std::vector<std::int64_t> m_balance;
    std::int64_t m_firstMember = 1;
    std::int64_t m_serial = 0;
    std::size_t m_inserts = 0;
    UnixSeconds m_end = 0;
    YearTotals m_totals;
    Batch m_members{"members",
                    "member_id, phone, balance, created_at, consent_join, consent_marketing, "
                    "consent_text_version, consent_at, consent_kiosk",
                    9};
    Batch m_claims{"claims",
                   "receipt_id, idempotency_key, store_id, receipt_number, amount_dong, issued_at, kiosk_id, "
                   "kiosk_store, member_id, points, claimed_at, kiosk_time, result",
                   13};
    Batch m_ledger{"ledger", "member_id, kind, points, at, idempotency_key, reference, store_id, kiosk_id",
                   8};
    Batch m_vouchers{
        "vouchers",
        "code, idempotency_key, reward_id, member_id, kiosk_id, value_dong, points_spent, issued_at, "
        "expires_at, result, consumed_at, consumed_store, consumed_reference",
        13};
};

}  // namespace

YearTotals generateYear(central::Database& db, const YearOptions& options) {
    auto lease = db.lease();
    if (!lease) throw std::runtime_error("database: " + lease.error().message);
    return Generator(**lease, options).run();
}

}  // namespace bench
