// net::CentralClient and the SyncWorker against the real `central` binary: every call the kiosk makes
// (docs/api.md), the way the kiosk makes it. Label integration.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>

#include "central_process.hpp"
#include "fault_proxy.hpp"
#include "hal/clock.hpp"
#include "kiosk/sync/credential_file.hpp"
#include "kiosk/sync/sync_worker.hpp"
#include "network/central_client.hpp"
#include "network/idempotency_key.hpp"

namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

net::CentralClient clientFor(const CentralProcess& central, const KioskCredential& kiosk) {
    net::ClientConfig config;
    config.baseUrl = "http://127.0.0.1:" + std::to_string(central.port());
    config.kioskId = kiosk.id;
    config.credential = kiosk.credential;
    auto client = net::CentralClient::create(config);
    EXPECT_TRUE(client.has_value()) << client.error().message;
    return std::move(*client);
}

net::ClaimRequest requestFor(const TestReceipt& receipt, std::string key = net::newIdempotencyKey()) {
    return net::ClaimRequest{std::move(key), receipt.token, receipt.phone, receipt.issuedAt,
                             true,           false,         "test-v1"};
}

class CentralContract : public ::testing::Test {
  protected:
    void SetUp() override {
        m_central = CentralProcess::start();
        ASSERT_TRUE(m_central) << CentralProcess::lastError();
    }
    std::unique_ptr<CentralProcess> m_central;
};

TEST_F(CentralContract, EnrollThenClaimReplayAndRefuse) {
    auto code =
        m_central->admin("POST", "/v1/admin/enrollment-codes", {{"kiosk_id", "CT-01"}, {"store", "DEV001"}});
    ASSERT_TRUE(code.has_value()) << code.error();
    auto client = clientFor(*m_central, {"CT-01", ""});
    auto enrolled = client.enroll((*code)["enrollment_code"].get<std::string>());
    ASSERT_TRUE(enrolled.has_value()) << enrolled.error().message;
    EXPECT_EQ(enrolled->kioskId, "CT-01");
    EXPECT_EQ(enrolled->store, "DEV001");
    client.setCredential(enrolled->credential);
    // The code is single use.
    auto again = client.enroll((*code)["enrollment_code"].get<std::string>());
    ASSERT_FALSE(again.has_value());
    EXPECT_TRUE(again.error().definitive());

    const auto receipts = m_central->makeReceipts(2, 1);
    const auto first = requestFor(receipts[0]);
    const auto second = requestFor(receipts[1]);
    auto answer = client.claimBatch({first, second});
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    ASSERT_TRUE(answer->serverTime.has_value());
    ASSERT_EQ(answer->outcomes.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& outcome = answer->outcomes[i];
        EXPECT_EQ(outcome.status, net::ClaimOutcome::Status::Accepted)
            << outcome.code << " " << outcome.reason.en;
        EXPECT_EQ(outcome.pointsEarned, receipts[i].expectedPoints);
        EXPECT_EQ(outcome.receiptId, receipts[i].receiptId);
        EXPECT_FALSE(outcome.replayed);
        EXPECT_FALSE(outcome.breakdown.empty());
    }
    EXPECT_TRUE(answer->outcomes[0].newMember);
    EXPECT_EQ(answer->outcomes[1].balance, receipts[0].expectedPoints + receipts[1].expectedPoints);

    // A retry after a lost answer: same key, same result, nothing counted twice.
    auto replay = client.claim(first);
    ASSERT_TRUE(replay.has_value()) << replay.error().message;
    EXPECT_EQ(replay->status, net::ClaimOutcome::Status::Accepted);
    EXPECT_TRUE(replay->replayed);
    EXPECT_EQ(replay->pointsEarned, receipts[0].expectedPoints);

    // The same paper receipt from another kiosk (another key): a definitive refusal with its reason.
    auto other = clientFor(*m_central, m_central->kiosk(1));
    auto refused = other.claim(requestFor(receipts[0]));
    ASSERT_TRUE(refused.has_value()) << refused.error().message;
    EXPECT_EQ(refused->status, net::ClaimOutcome::Status::Refused);
    EXPECT_EQ(refused->code, "already_claimed");
    EXPECT_FALSE(refused->reason.en.empty());
    EXPECT_FALSE(refused->reason.vi.empty());

    // A forged or garbled token in a batch is refused on its own; the batch's other claim still earns.
    auto forged = requestFor(receipts[1]);
    forged.token.back() = forged.token.back() == 'A' ? 'B' : 'A';
    const auto fresh = m_central->makeReceipts(1, 1);
    auto mixed = other.claimBatch({forged, requestFor(fresh[0])});
    ASSERT_TRUE(mixed.has_value()) << mixed.error().message;
    EXPECT_EQ(mixed->outcomes[0].status, net::ClaimOutcome::Status::Refused);
    EXPECT_TRUE(mixed->outcomes[0].code.starts_with("token_")) << mixed->outcomes[0].code;
    EXPECT_EQ(mixed->outcomes[1].status, net::ClaimOutcome::Status::Accepted);

    auto member = client.member(receipts[0].phone);
    ASSERT_TRUE(member.has_value()) << member.error().message;
    EXPECT_EQ(member->balance,
              receipts[0].expectedPoints + receipts[1].expectedPoints + fresh[0].expectedPoints);
    EXPECT_FALSE(member->masked.empty());
    EXPECT_EQ(member->phone.find("****"), std::string::npos);
    EXPECT_FALSE(member->history.empty());

    // A revoked kiosk is refused, and its claims would stay queued (not refused).
    ASSERT_TRUE(m_central->admin("POST", "/v1/admin/kiosks/CT-01/revoke").has_value());
    auto revoked = client.claimBatch({requestFor(m_central->makeReceipts(1, 1)[0])});
    ASSERT_FALSE(revoked.has_value());
    EXPECT_EQ(revoked.error().kind, net::ErrorKind::Unauthorized);
    EXPECT_EQ(revoked.error().code, "kiosk_revoked");
}

TEST_F(CentralContract, ConfigHeartbeatCommandsOtpAndRedemption) {
    auto client = clientFor(*m_central, m_central->kiosk(0));
    auto config = client.pullConfig("");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_FALSE(config->notModified);
    EXPECT_FALSE(config->etag.empty());
    const auto document = Json::parse(config->body);
    EXPECT_TRUE(document["store_keys"].is_array());
    EXPECT_TRUE(document["campaign_toml"].is_string());
    auto unchanged = client.pullConfig(config->etag);
    ASSERT_TRUE(unchanged.has_value()) << unchanged.error().message;
    EXPECT_TRUE(unchanged->notModified);

    auto beat =
        client.heartbeat({"1.0.0", 12, 3, {{"camera", "ok"}, {"printer", "paper_low"}}, std::nullopt});
    ASSERT_TRUE(beat.has_value()) << beat.error().message;
    EXPECT_TRUE(beat->commands.empty());
    ASSERT_TRUE(
        m_central->admin("POST", "/v1/admin/kiosks/FT-01/commands", {{"command", "resync"}}).has_value());
    beat = client.heartbeat({"1.0.0", 13, 3, {}, std::nullopt});
    ASSERT_TRUE(beat.has_value()) << beat.error().message;
    ASSERT_EQ(beat->commands.size(), 1U);
    EXPECT_EQ(beat->commands[0].type, "resync");
    // Head office's out_of_service carries its state and message (vi/en) to the kiosk, once.
    ASSERT_TRUE(m_central
                    ->admin("POST", "/v1/admin/kiosks/FT-01/commands",
                            {{"command", "out_of_service"},
                             {"on", true},
                             {"message_vi", "Đang bảo trì"},
                             {"message_en", "Under maintenance"}})
                    .has_value());
    EXPECT_FALSE(
        m_central
            ->admin("POST", "/v1/admin/kiosks/FT-01/commands", {{"command", "out_of_service"}, {"on", "yes"}})
            .has_value());  // refused: nothing queued
    beat = client.heartbeat({"1.0.0", 14, 3, {}, std::nullopt});
    ASSERT_TRUE(beat.has_value()) << beat.error().message;
    ASSERT_EQ(beat->commands.size(), 1U);
    EXPECT_EQ(beat->commands[0].type, "out_of_service");
    EXPECT_EQ(beat->commands[0].field("on"), "true");
    EXPECT_EQ(beat->commands[0].field("message_vi"), "Đang bảo trì");
    EXPECT_EQ(beat->commands[0].field("message_en"), "Under maintenance");
    beat = client.heartbeat({"1.0.0", 15, 3, {}, std::nullopt});
    ASSERT_TRUE(beat.has_value()) << beat.error().message;
    EXPECT_TRUE(beat->commands.empty());

    // Earn enough for the cheapest reward, then spend it with the one-time code from the file sink.
    const auto receipts = m_central->makeReceipts(30, 1);
    std::vector<net::ClaimRequest> requests;
    for (const auto& r : receipts) requests.push_back(requestFor(r));
    auto earned = client.claimBatch(requests);
    ASSERT_TRUE(earned.has_value()) << earned.error().message;
    const auto phone = receipts[0].phone;
    auto rewards = m_central->admin("GET", "/v1/admin/rewards");
    ASSERT_TRUE(rewards.has_value()) << rewards.error();
    ASSERT_FALSE((*rewards)["rewards"].empty());
    Json cheapest;
    for (const auto& reward : (*rewards)["rewards"])
        if (cheapest.is_null() || reward["cost"].get<std::int64_t>() < cheapest["cost"].get<std::int64_t>())
            cheapest = reward;
    const auto balanceBefore = earned->outcomes.back().balance;
    ASSERT_GE(balanceBefore, cheapest["cost"].get<std::int64_t>());

    auto sent = client.requestOtp(phone);
    ASSERT_TRUE(sent.has_value()) << sent.error().message;
    EXPECT_GT(sent->expiresInSeconds, 0);
    std::string line, otp;
    std::ifstream sink(m_central->dataDir() / "otp-outbox.jsonl");
    while (std::getline(sink, line)) otp = Json::parse(line)["code"].get<std::string>();
    ASSERT_EQ(otp.size(), 6u);

    const std::string rewardId = cheapest["id"].get<std::string>();
    auto wrong =
        client.redeem({net::newIdempotencyKey(), phone, rewardId, otp == "000000" ? "111111" : "000000"});
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(wrong.error().kind, net::ErrorKind::Refused);
    EXPECT_EQ(wrong.error().code, "otp_invalid");

    const auto key = net::newIdempotencyKey();
    auto voucher = client.redeem({key, phone, rewardId, otp});
    ASSERT_TRUE(voucher.has_value()) << voucher.error().message;
    EXPECT_FALSE(voucher->code.empty());
    EXPECT_FALSE(voucher->qrPayload.empty());
    EXPECT_EQ(voucher->pointsSpent, cheapest["cost"].get<std::int64_t>());
    EXPECT_EQ(voucher->balance, balanceBefore - voucher->pointsSpent);
    // The print failed and the kiosk asks again: same key, same voucher, spent once.
    auto retried = client.redeem({key, phone, rewardId, otp});
    ASSERT_TRUE(retried.has_value()) << retried.error().message;
    EXPECT_EQ(retried->code, voucher->code);
    auto member = client.member(phone);
    ASSERT_TRUE(member.has_value());
    EXPECT_EQ(member->balance, balanceBefore - voucher->pointsSpent);
}

TEST_F(CentralContract, SyncWorkerStoresConfigAndLearnsCentralsClock) {
    TempDir dir;
    auto store = kiosk::sync::LocalStore::open(dir.path() / "kiosk.db");
    ASSERT_TRUE(store.has_value());
    // This kiosk's clock is two hours slow; central's time is the truth.
    hal::ManualClock clock(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count() -
        7200);
    std::atomic<int> configs{0};
    kiosk::sync::SyncEvents events;
    events.configChanged = [&](const kiosk::sync::CachedConfig&) { ++configs; };
    kiosk::sync::SyncWorker worker(**store, clientFor(*m_central, m_central->kiosk(0)), clock, {}, events);
    worker.start();
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while ((configs.load() == 0 || std::abs(worker.status().clockOffsetSeconds - 7200) > 2) &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    EXPECT_EQ(configs.load(), 1);
    EXPECT_NEAR(static_cast<double>(worker.status().clockOffsetSeconds), 7200.0, 2.0);
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    EXPECT_NEAR(static_cast<double>(worker.centralNow()), static_cast<double>(now), 3.0);
    worker.stop();
    const auto cached = (*store)->loadConfig();
    ASSERT_TRUE(cached.has_value() && cached->has_value());
    EXPECT_FALSE((*cached)->etag.empty());
}

// ---- enrollment in the background -----------------------------------------------------------------

/// A kiosk installed before it has a credential: only its id, quick timeouts for a test.
net::CentralClient unenrolledClient(const std::string& url, const std::string& kioskId) {
    net::ClientConfig config;
    config.baseUrl = url;
    config.kioskId = kioskId;
    config.connectTimeout = 500ms;
    config.requestTimeout = 2000ms;
    auto client = net::CentralClient::create(config);
    EXPECT_TRUE(client.has_value()) << client.error().message;
    return std::move(*client);
}

kiosk::sync::SyncOptions enrollingOptions(const std::string& code, const std::filesystem::path& file) {
    kiosk::sync::SyncOptions options;
    options.initialBackoff = 50ms;
    options.maxBackoff = 400ms;
    options.enrollmentCode = code;
    options.credentialFile = file;
    return options;
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    return done();
}

TEST_F(CentralContract, SyncWorkerEnrollsOnceCentralComesBackAndTheQueueLandsOnce) {
    auto code =
        m_central->admin("POST", "/v1/admin/enrollment-codes", {{"kiosk_id", "EN-01"}, {"store", "DEV001"}});
    ASSERT_TRUE(code.has_value()) << code.error();
    const auto receipts = m_central->makeReceipts(12, 3);
    std::int64_t expected = 0;
    for (const auto& r : receipts) expected += r.expectedPoints;
    // The technician installs the kiosk before the shop's link to central works.
    m_central->stop();

    TempDir dir;
    auto store = kiosk::sync::LocalStore::open(dir.path() / "kiosk.db");
    ASSERT_TRUE(store.has_value()) << store.error().message;
    for (const auto& r : receipts) ASSERT_TRUE((*store)->enqueue(r.claim()).has_value());

    const std::string url = "http://127.0.0.1:" + std::to_string(m_central->port());
    // The kiosk's other client (member, OTP, redemption calls), on another thread, as in the app.
    auto uiClient = unenrolledClient(url, "EN-01");
    std::atomic<int> enrollments{0};
    kiosk::sync::SyncEvents events;
    events.enrolled = [&](const std::string& credential) {
        uiClient.setCredential(credential);
        ++enrollments;
    };
    hal::SystemClock clock;
    const auto file = dir.path() / "credential";
    kiosk::sync::SyncWorker worker(**store, unenrolledClient(url, "EN-01"), clock,
                                   enrollingOptions((*code)["enrollment_code"].get<std::string>(), file),
                                   events);
    worker.start();
    std::this_thread::sleep_for(1500ms);  // several attempts, all unanswered
    auto status = worker.status();
    EXPECT_EQ(status.enrollment, kiosk::sync::Enrollment::Pending);
    EXPECT_FALSE(status.online);
    EXPECT_NE(status.lastError.find("enrollment"), std::string::npos) << status.lastError;
    EXPECT_EQ(status.outboxDepth, 12);
    EXPECT_FALSE(std::filesystem::exists(file));

    ASSERT_TRUE(m_central->restart()) << CentralProcess::lastError();
    ASSERT_TRUE(eventually([&] { return (*store)->outboxDepth().value_or(-1) == 0; }))
        << worker.status().lastError;
    status = worker.status();
    EXPECT_EQ(status.enrollment, kiosk::sync::Enrollment::Enrolled);
    EXPECT_TRUE(eventually([&] { return worker.status().online && worker.status().lastError.empty(); }))
        << worker.status().lastError;
    worker.stop();

    EXPECT_EQ(enrollments.load(), 1);
    auto saved = kiosk::sync::readCredentialFile(file);
    ASSERT_TRUE(saved.has_value()) << saved.error().message;
    EXPECT_EQ(*saved, uiClient.credential());
    EXPECT_FALSE(saved->empty());
    EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    // Every queued claim landed, once.
    EXPECT_EQ(m_central->ledgerTotal(receipts).value_or(-1), expected);
    EXPECT_EQ(m_central->claimCount().value_or(-1), 12);
    const auto leftInOutbox = (*store)->pendingBatch(100);
    ASSERT_TRUE(leftInOutbox.has_value()) << leftInOutbox.error().message;
    for (const auto& entry : *leftInOutbox) ADD_FAILURE() << entry.claim.receiptId;
    // The other client got the credential without a restart.
    auto member = uiClient.member(receipts[0].phone);
    ASSERT_TRUE(member.has_value()) << member.error().message;
    EXPECT_GT(member->balance, 0);
}

TEST_F(CentralContract, AnEnrollmentWhoseAnswerWasLostIsAnsweredAgainInTheKiosksNextLife) {
    auto code =
        m_central->admin("POST", "/v1/admin/enrollment-codes", {{"kiosk_id", "EN-03"}, {"store", "DEV001"}});
    ASSERT_TRUE(code.has_value()) << code.error();
    const auto enrollmentCode = (*code)["enrollment_code"].get<std::string>();
    const auto receipts = m_central->makeReceipts(6, 2);
    std::int64_t expected = 0;
    for (const auto& r : receipts) expected += r.expectedPoints;
    TempDir dir;
    auto store = kiosk::sync::LocalStore::open(dir.path() / "kiosk.db");
    ASSERT_TRUE(store.has_value()) << store.error().message;
    for (const auto& r : receipts) ASSERT_TRUE((*store)->enqueue(r.claim()).has_value());
    const auto file = dir.path() / "credential";
    const auto pending = kiosk::sync::pendingCredentialFile(file);
    const std::string centralUrl = "http://127.0.0.1:" + std::to_string(m_central->port());
    hal::SystemClock clock;
    {
        // First life: central takes the enrollment, and every answer is lost on its way back (a shop
        // Wi-Fi dropping out); then the kiosk loses power.
        FaultProxy lossy(m_central->port(), FaultRates{.dropResponse = 1.0}, 11);
        kiosk::sync::SyncWorker worker(**store, unenrolledClient(lossy.url(), "EN-03"), clock,
                                       enrollingOptions(enrollmentCode, file), {});
        worker.start();
        ASSERT_TRUE(eventually([&] { return lossy.counts().droppedResponses.load() >= 2; }));
        worker.stop();
        EXPECT_EQ(worker.status().enrollment, kiosk::sync::Enrollment::Pending);
    }
    EXPECT_FALSE(std::filesystem::exists(file));
    const auto proposal = kiosk::sync::readCredentialFile(pending);
    ASSERT_TRUE(proposal.has_value()) << proposal.error().message;
    ASSERT_FALSE(proposal->empty());
    EXPECT_EQ(std::filesystem::status(pending).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    auto kiosks = m_central->admin("GET", "/v1/admin/kiosks");
    ASSERT_TRUE(kiosks.has_value()) << kiosks.error();
    EXPECT_NE(kiosks->dump().find("EN-03"), std::string::npos) << "central never used the code";

    // Next life, the link works: the saved proposal is answered again and the queue lands once.
    {
        kiosk::sync::SyncWorker worker(**store, unenrolledClient(centralUrl, "EN-03"), clock,
                                       enrollingOptions(enrollmentCode, file), {});
        worker.start();
        ASSERT_TRUE(eventually([&] { return (*store)->outboxDepth().value_or(-1) == 0; }))
            << worker.status().lastError;
        EXPECT_EQ(worker.status().enrollment, kiosk::sync::Enrollment::Enrolled);
        worker.stop();
    }
    const auto saved = kiosk::sync::readCredentialFile(file);
    ASSERT_TRUE(saved.has_value()) << saved.error().message;
    EXPECT_EQ(*saved, *proposal);
    EXPECT_FALSE(std::filesystem::exists(pending));
    EXPECT_EQ(m_central->ledgerTotal(receipts).value_or(-1), expected);
    EXPECT_EQ(m_central->claimCount().value_or(-1), static_cast<std::int64_t>(receipts.size()));

    // A proposal left by a kill between saving the credential and removing the proposal is removed by
    // the next start, which has a credential and no reason to send it again.
    ASSERT_TRUE(kiosk::sync::writeCredentialFile(pending, *saved).has_value());
    auto enrolled = unenrolledClient(centralUrl, "EN-03");
    enrolled.setCredential(*saved);
    kiosk::sync::SyncWorker next(**store, std::move(enrolled), clock, enrollingOptions("", file), {});
    EXPECT_FALSE(std::filesystem::exists(pending));
}

TEST_F(CentralContract, AProposalThatCannotBeSavedIsNeverSentAndTheCodeStaysUsable) {
    auto code =
        m_central->admin("POST", "/v1/admin/enrollment-codes", {{"kiosk_id", "EN-04"}, {"store", "DEV001"}});
    ASSERT_TRUE(code.has_value()) << code.error();
    const auto enrollmentCode = (*code)["enrollment_code"].get<std::string>();
    TempDir dir;
    auto store = kiosk::sync::LocalStore::open(dir.path() / "kiosk.db");
    ASSERT_TRUE(store.has_value()) << store.error().message;
    hal::SystemClock clock;
    {
        FaultProxy relay(m_central->port(), FaultRates{}, 5);
        kiosk::sync::SyncWorker worker(
            **store, unenrolledClient(relay.url(), "EN-04"), clock,
            enrollingOptions(enrollmentCode, dir.path() / "missing" / "credential"), {});
        worker.start();
        std::this_thread::sleep_for(1000ms);  // several tries
        const auto status = worker.status();
        worker.stop();
        EXPECT_EQ(status.enrollment, kiosk::sync::Enrollment::Pending);
        EXPECT_NE(status.lastError.find("cannot save the credential proposal"), std::string::npos)
            << status.lastError;
        EXPECT_EQ(relay.counts().requests.load(), 0);
    }
    // Once the disk takes it, the same code enrolls the kiosk.
    kiosk::sync::SyncWorker worker(
        **store, unenrolledClient("http://127.0.0.1:" + std::to_string(m_central->port()), "EN-04"), clock,
        enrollingOptions(enrollmentCode, dir.path() / "credential"), {});
    worker.start();
    EXPECT_TRUE(eventually([&] { return worker.status().enrollment == kiosk::sync::Enrollment::Enrolled; }))
        << worker.status().lastError;
}

TEST_F(CentralContract, SyncWorkerStopsAfterCentralRefusesTheEnrollmentCode) {
    auto code =
        m_central->admin("POST", "/v1/admin/enrollment-codes", {{"kiosk_id", "EN-02"}, {"store", "DEV001"}});
    ASSERT_TRUE(code.has_value()) << code.error();
    const std::string used = (*code)["enrollment_code"].get<std::string>();
    auto first = clientFor(*m_central, {"EN-02", ""});
    ASSERT_TRUE(first.enroll(used).has_value());

    // An unknown code (401 unauthorized) and one already used (409 enrollment_code_used): central's
    // definitive no. Counted through a proxy that only relays.
    for (const auto& [enrollmentCode, why] :
         {std::pair<std::string, std::string>{"ENR-NOPE-NOPE-0000", "unauthorized"},
          std::pair<std::string, std::string>{used, "enrollment_code_used"}}) {
        TempDir dir;
        auto store = kiosk::sync::LocalStore::open(dir.path() / "kiosk.db");
        ASSERT_TRUE(store.has_value()) << store.error().message;
        ASSERT_TRUE((*store)->enqueue(m_central->makeReceipts(1, 1)[0].claim()).has_value());
        FaultProxy relay(m_central->port(), FaultRates{}, 7);
        hal::SystemClock clock;
        kiosk::sync::SyncWorker worker(**store, unenrolledClient(relay.url(), "EN-02"), clock,
                                       enrollingOptions(enrollmentCode, dir.path() / "credential"), {});
        worker.start();
        ASSERT_TRUE(eventually([&] {
            return worker.status().enrollment == kiosk::sync::Enrollment::Refused;
        })) << worker.status().lastError;
        const auto status = worker.status();
        EXPECT_NE(status.lastError.find("enrollment refused"), std::string::npos) << status.lastError;
        EXPECT_NE(status.lastError.find(why), std::string::npos) << status.lastError;
        EXPECT_FALSE(status.online);  // central answered, but can do nothing for an unenrolled kiosk
        // No endless retries: not with time, not when a claim is queued (syncNow).
        worker.syncNow();
        std::this_thread::sleep_for(1000ms);
        EXPECT_EQ(relay.counts().requests.load(), 1);
        EXPECT_EQ(worker.status().outboxDepth, 1);  // the claim stays queued for a new code
        EXPECT_FALSE(std::filesystem::exists(dir.path() / "credential"));
        EXPECT_FALSE(std::filesystem::exists(kiosk::sync::pendingCredentialFile(dir.path() / "credential")));
        worker.stop();
    }
}

}  // namespace
