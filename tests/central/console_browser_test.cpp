// The console's journeys (issue 14's "Done when") in real Chromium (Debian's, headless, over the
// DevTools protocol: console_browser.mjs) against the real central, with three real kiosks of the HIL
// harness (tests/kiosk/launched_kiosk.hpp: kiosk-launcher and kiosk under one Xvfb, each enrolled
// with a code of its own): the fleet page shows the three online and why they refuse head office's
// theme (a yellow no white text can be read on); one is taken out of service on the page and its
// attract screen says so; a reward made on the page is in another one's rewards list.
// Besides: every page in vi and en at desktop and phone widths (build/console-screenshots/, with the
// two kiosks' screens), a receipt returned, a member merged, exported and erased, today's report and
// its CSV, and hostile text shown as text that runs nothing.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "console_fixture.hpp"
#include "launched_kiosk.hpp"

namespace central_test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using kiosk::test::LaunchedKiosk;

constexpr std::int64_t kReturnDong = 11'000'000;
constexpr const char* kOutOfService = "Đang bảo trì máy in";
const std::vector<std::string> kFleet{"K-HIL-01", "K-HIL-02", "K-HIL-03"};

/// Polls until `done` holds (true) or 30 s pass (false).
template <typename Done>
bool eventually(Done done) {
    const auto end = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < end) {
        if (done()) return true;
        std::this_thread::sleep_for(200ms);
    }
    return done();
}

/// True when some kiosk's heartbeat says why it refused the chain's theme.
bool aKioskRefusedTheTheme(const CentralProcess& central) {
    const auto list = central.get("/v1/admin/kiosks", kAdmin).body;
    for (const auto& k : list.value("kiosks", Json::array()))
        if (k.value("health", Json::object()).value("theme", "").starts_with("refused: ")) return true;
    return false;
}

bool everyKioskReported(const CentralProcess& central) {
    const auto list = central.get("/v1/admin/kiosks", kAdmin).body;
    std::size_t seen = 0;
    for (const auto& k : list.value("kiosks", Json::array()))
        if (k.contains("last_seen") && !k["last_seen"].is_null()) ++seen;
    return seen == kFleet.size();
}

std::string credentialOf(const fs::path& kioskDir) {
    std::ifstream in(kioskDir / "data/credential");
    std::string credential;
    std::getline(in, credential);
    return credential;
}

/// The members the page works on, earned at K-HIL-01 (with its own credential), and a support
/// account whose display name and adjustment reason are hostile markup.
void seedMembers(const CentralProcess& central, const std::string& kiosk) {
    for (const auto& [phone, dong] : {std::pair{"0901234567", kReturnDong},  // Gold: returned to Silver
                                      std::pair{"0907654321", std::int64_t{100'000}},   // erased
                                      std::pair{"0912345678", std::int64_t{100'000}}})  // merged
        ASSERT_EQ(
            central.post("/v1/claims", kiosk, claimBody(signReceipt(uniqueNumber(), dong, now() - 60), phone))
                .status,
            200)
            << phone;
    for (const auto& [name, role, display] :
         {std::tuple{"an.owner", "owner", ""},
          std::tuple{"support.x", "support", R"(<img src=x onerror="window.__xss=1">)"}})
        ASSERT_EQ(central
                      .post("/v1/admin/console/users", kAdmin,
                            Json{{"username", name},
                                 {"password", kPassword},
                                 {"role", role},
                                 {"display_name", display}})
                      .status,
                  201);
    auto login = central.request("POST", "/v1/console/login", "",
                                 Json{{"username", "support.x"}, {"password", kPassword}}.dump());
    ASSERT_EQ(login.status, 200);
    auto adjusted = central.request(
        "POST", "/v1/console/members/0901234567/adjust", "",
        Json{{"points", 5}, {"reason", R"(<img src=x onerror="window.__xss=1">)"}, {"idempotency_key", "b-1"}}
            .dump(),
        "application/json",
        {{"Cookie", "kc_session=" + sessionToken(login)},
         {"X-CSRF-Token", login.body["csrf_token"].get<std::string>()}});
    ASSERT_EQ(adjusted.status, 200) << adjusted.body.dump();
}

/// True when the screen offers the reward `id` (its button, enabled or not).
bool offersReward(const Json& state, const std::string& id) {
    return kiosk::test::controlOf(state, "reward:" + id) != nullptr;
}

TEST(ConsoleBrowser, TheIssuesJourneysWithThreeRealKiosksAndEveryPageInViAndEn) {
    if (std::system("command -v chromium > /dev/null && command -v node > /dev/null") != 0)
        GTEST_SKIP() << "chromium or node is not installed (scripts/setup installs them)";
    TempDir dir;
    CentralProcess central(CentralProcess::Options{"", "", ""});
    const kiosk::test::ReleaseDesk desk(dir.path() / "release", central);  // the kiosks' [update] key
    ASSERT_EQ(central.put("/v1/admin/theme", kAdmin, Json{{"primary", "#FFFF00"}}).status, 200);
    const kiosk::test::VirtualDisplay display(dir.path(), 1080, 1920);
    std::vector<std::unique_ptr<LaunchedKiosk>> kiosks;
    for (const auto& id : kFleet)
        kiosks.push_back(std::make_unique<LaunchedKiosk>(central, id, dir.path() / id, desk.publicKey(),
                                                         display, LaunchedKiosk::Options{}));
    ASSERT_TRUE(eventually([&] { return everyKioskReported(central); })) << kiosks[0]->log();
    // K-HIL-03 sends its next heartbeat (its clock moves a minute), saying why it refused the theme.
    ASSERT_TRUE(kiosks[2]->advance(61s)) << kiosks[2]->log();
    ASSERT_TRUE(eventually([&] { return aKioskRefusedTheTheme(central); })) << kiosks[2]->log();
    seedMembers(central, credentialOf(dir.path() / kFleet[0]));
    if (HasFatalFailure()) return;

    const std::string out = std::string(KIOSK_BINARY_DIR) + "/console-screenshots";
    const auto command =
        "mkdir -p " + out + " && node --experimental-websocket " + KIOSK_SOURCE_DIR +
        "/tests/central/console_browser.mjs http://127.0.0.1:" + std::to_string(central.port()) +
        " an.owner '" + kPassword + "' " + out + " " + std::to_string(kReturnDong) + " '" + kOutOfService +
        "' " + central.dataDir() + "/otp-outbox.jsonl " + kFleet[1] + " " + kFleet[0] + "," + kFleet[1] +
        "," + kFleet[2] + " 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;

    // K-HIL-02 gets the command with its next heartbeat (its clock moves a minute) and shows it.
    auto& stopped = *kiosks[1];
    ASSERT_TRUE(stopped.advance(61s)) << stopped.log();
    auto state = stopped.client().waitForText(kOutOfService, 20s);
    EXPECT_TRUE(kiosk::test::hasText(state, kOutOfService)) << state.dump();
    EXPECT_EQ(kiosk::test::controlOf(state, "start"), nullptr) << state.dump();
    stopped.client().send({{"cmd", "screenshot"}, {"path", out + "/kiosk-out-of-service-vi.png"}});

    // K-HIL-01 pulls its config (five minutes on its clock): after a receipt, the reward is on offer.
    auto& shop = *kiosks[0];
    ASSERT_TRUE(shop.advance(301s)) << shop.log();
    const auto receipt = kiosk::test::signReceipt(dir.path(), kiosk::test::uniqueNumber("CB"), "100000");
    ASSERT_FALSE(receipt.empty());
    state = kiosk::test::earn(shop.client(), receipt, "0933333333");
    ASSERT_EQ(state.value("screen", ""), "result") << state.dump() << shop.log();
    shop.client().send({{"cmd", "tap"}, {"id", "rewards"}});
    EXPECT_TRUE(eventually([&] {
        return offersReward(shop.client().send({{"cmd", "state"}}), "TOTE-1");
    })) << shop.client().send({{"cmd", "state"}}).dump();
    shop.client().send({{"cmd", "screenshot"}, {"path", out + "/kiosk-rewards-vi.png"}});
}

}  // namespace
}  // namespace central_test
