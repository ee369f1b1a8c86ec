#pragma once
// The journey's unit-test fixture: a manual clock, real signed receipts, the real strings files.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "app/tickets.hpp"
#include "hal/clock.hpp"
#include "kiosk/journey.hpp"
#include "loyalty/receipt_token.hpp"
#include "loyalty/signing.hpp"

namespace kiosk::test {

using namespace std::chrono_literals;

inline const ui::Strings& strings(const char* lang) {
    static const ui::Strings vi = *ui::Strings::load(std::string(KIOSK_SOURCE_DIR) + "/assets/i18n/vi.toml");
    static const ui::Strings en = *ui::Strings::load(std::string(KIOSK_SOURCE_DIR) + "/assets/i18n/en.toml");
    return std::string_view(lang) == "en" ? en : vi;
}

class JourneyTest : public ::testing::Test {
  protected:
    JourneyTest() : m_keys(loyalty::SigningKeyPair::fromSeed(loyalty::KeySeed{7})), m_clock(1'795'417'500) {
        JourneyConfig config;
        config.kioskId = "K1";
        config.keyring.add("HCM001", m_keys.publicKey());
        config.rewards = {{"R1", {"Phiếu 50.000 ₫", "50,000 ₫ voucher"}, 500, {}, {}},
                          {"R2", {"Phiếu 200.000 ₫", "200,000 ₫ voucher"}, 2000, {}, {}}};
        config.estimatePoints = [](const loyalty::Receipt& r) {
            return std::optional<std::int64_t>(r.amount.value / 10'000);
        };
        config.staffPin = "2468";
        m_journey = std::make_unique<Journey>(std::move(config), strings("vi"), strings("en"));
    }

    Now now() const { return {std::chrono::milliseconds{m_clock.monotonicMs()}, m_clock.now()}; }
    void tap(const std::string& id) { m_journey->onIntent({id}, now()); }
    void type(const std::string& digits) {
        for (char d : digits) {
            tap(std::string("key:") + d);
        }
    }
    void post(const Event& e) { m_journey->onEvent(e, now()); }
    std::string token(const std::string& number, std::int64_t amount, loyalty::UnixSeconds issued) const {
        loyalty::Receipt r{"HCM001", number, loyalty::Dong{amount}, issued, 3};
        return *loyalty::encodeReceiptToken(r, m_keys);
    }
    /// The app's wording of the slips the journey asks for (kiosk id "K1", as configured above).
    static const TicketWriter& tickets() {
        static const TicketWriter writer(strings("vi"), strings("en"), "K1");
        return writer;
    }
    ui::ScreenId screen() const { return m_journey->view().screen; }
    bool shows(const std::string& needle) const {
        const auto& v = m_journey->view();
        return std::any_of(v.lines.begin(), v.lines.end(),
                           [&](const ui::TextLine& l) { return l.text.find(needle) != std::string::npos; });
    }
    template <class T>
    std::vector<T> commands() {
        std::vector<T> out;
        for (auto& c : m_journey->takeCommands()) {
            if (auto* t = std::get_if<T>(&c)) {
                out.push_back(*t);
            }
        }
        return out;
    }
    /// Attract -> scan a fresh receipt -> type the phone -> OK; leaves the lookup command unanswered.
    /// A kiosk refuses a receipt it queued before: a second shopper of a test brings another `number`.
    void toLookup(const std::string& phone = "0901234567", const std::string& number = "0001") {
        tap("start");
        post(CodeScanned{token(number, 256'000, m_clock.now() - 3600)});
        ASSERT_EQ(screen(), ui::ScreenId::Phone);
        type(phone);
        tap("ok");
        ASSERT_EQ(screen(), ui::ScreenId::Working);
    }
    /// A member with 800 points redeems R1 with the right code; central issues voucher V-ABC123, and the
    /// print command is taken, unanswered.
    void redeemR1() {
        toLookup();
        post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(800))});
        post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
        post(SyncChanged{true, 0});
        tap("rewards");
        tap("reward:R1");
        post(PrinterChecked{m_journey->session(), ""});
        ASSERT_EQ(commands<RequestOtp>().size(), 1U);
        post(OtpRequested{m_journey->session(), OtpSent{}});
        ASSERT_EQ(screen(), ui::ScreenId::Otp);
        type("123456");
        tap("ok");
        ASSERT_EQ(commands<CheckPrinter>().size(), 1U);
        post(PrinterChecked{m_journey->session(), ""});
        auto redeem = commands<Redeem>();
        ASSERT_EQ(redeem.size(), 1U);
        EXPECT_EQ(redeem[0].request.otp, "123456");
        EXPECT_EQ(redeem[0].request.rewardId, "R1");
        Redemption voucher;
        voucher.voucher.code = "V-ABC123";
        voucher.balance = 300;
        post(Redeemed{m_journey->session(), voucher});
        auto print = commands<PrintVoucher>();
        ASSERT_EQ(print.size(), 1U);
        const hal::VoucherTicket ticket = tickets().voucher(print[0].slip);
        EXPECT_EQ(ticket.memberLine, "Khách hàng: 090****567");
        EXPECT_EQ(ticket.code, "V-ABC123");
        EXPECT_EQ(ticket.title, "Phiếu 50.000 ₫");
    }
    Member member(std::int64_t balance) const {
        Member m;
        m.phone = "0901234567";
        m.balance = balance;
        m.tier = "silver";
        m.nextTier = "gold";
        m.progressPermille = 300;
        m.pointsToNextTier = 700;
        return m;
    }

    loyalty::SigningKeyPair m_keys;
    hal::ManualClock m_clock;
    std::unique_ptr<Journey> m_journey;
};

}  // namespace kiosk::test
