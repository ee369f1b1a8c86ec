// The real `central` for the fault suite (see central_process.hpp), started by test_support::CentralLaunch.
// Its campaign is TestCampaign::flat(): exactly floor(amount / 10.000 ₫) points per receipt, so the
// expected ledger is known without asking central. Receipts are signed with the DEVELOPMENT-ONLY DEV001 key
// of assets/samples.

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "campaign_fixture.hpp"
#include "central_process.hpp"
#include "loyalty/receipt_token.hpp"
#include "read_file.hpp"

namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kAdminToken = "dev-admin-token";  // central's development default (docs/api.md)
constexpr const char* kStore = "DEV001";
constexpr std::int64_t kDongPerPoint = 10'000;

std::string g_lastError;

bool fail(std::string message) {
    g_lastError = std::move(message);
    return false;
}

using test_support::readFile;

}  // namespace

CentralProcess::~CentralProcess() {
    stop();
}

void CentralProcess::stop() {
    if (m_central) m_central->stop();
}

bool CentralProcess::restart() {
    stop();
    // Same port (the kiosks know its URL) and data: the campaign and the enrolled kiosks are still there.
    return spawn("127.0.0.1:" + std::to_string(m_port));
}

bool CentralProcess::launch() {
    return spawn("127.0.0.1:0") && setUp();
}

bool CentralProcess::spawn(const std::string& listen) {
    test_support::CentralArgs args;
    args.listen = listen;
    args.dataDir = dataDir();
    try {
        m_central = std::make_unique<test_support::CentralLaunch>(args, m_dir.path() / "central.log");
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    m_port = m_central->port();
    return true;
}

kiosk::sync::NewClaim TestReceipt::claim() const {
    kiosk::sync::NewClaim claim;
    claim.receiptId = receiptId;
    claim.token = token;
    claim.phone = phone;
    claim.consentJoin = true;
    claim.consentTextVersion = "test-v1";
    claim.acceptedAt = issuedAt;
    claim.provisionalPoints = expectedPoints;
    return claim;
}

std::vector<TestReceipt> CentralProcess::makeReceipts(int count, int phones) {
    std::vector<TestReceipt> receipts;
    std::mt19937 random(static_cast<std::uint32_t>(count * 31 + m_batch));
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    for (int i = 0; i < count; ++i) {
        loyalty::Receipt receipt;
        receipt.store = kStore;
        receipt.number = "FT" + std::to_string(m_batch) + "-" + std::to_string(i);
        receipt.amount = loyalty::Dong{std::uniform_int_distribution<std::int64_t>(10, 2000)(random) * 1000};
        // Bought within the last six days: still inside the receipt window after a week offline.
        receipt.issuedAt = now - 3600 - std::uniform_int_distribution<std::int64_t>(0, 6 * 86'400)(random);
        receipt.items = 1;
        auto token = loyalty::encodeReceiptToken(receipt, *m_storeKeys);
        if (!token) {
            g_lastError = "cannot sign a test receipt";
            return {};
        }
        TestReceipt r;
        r.receiptId = receipt.id();
        r.token = *token;
        r.phone = "0901" + std::to_string(100'000 + i % phones);
        r.expectedPoints = receipt.amount.value / kDongPerPoint;
        r.issuedAt = receipt.issuedAt;
        receipts.push_back(std::move(r));
    }
    ++m_batch;
    return receipts;
}

std::expected<std::int64_t, std::string> CentralProcess::ledgerTotal(
    const std::vector<TestReceipt>& receipts) {
    std::set<std::string> phones;
    for (const auto& r : receipts) phones.insert(r.phone);
    httplib::Client client("127.0.0.1", m_port);
    client.set_read_timeout(10, 0);
    const httplib::Headers auth = {{"Authorization", "Bearer " + m_kiosks.front().credential}};
    std::int64_t total = 0;
    for (const auto& phone : phones) {
        auto res = client.Get("/v1/members/" + phone, auth);
        if (!res) return std::unexpected("GET /v1/members/" + phone + " failed");
        if (res->status == 404) continue;  // never claimed anything
        const auto body = Json::parse(res->body, nullptr, false);
        if (res->status != 200 || !body.is_object() || !body["balance"].is_number_integer())
            return std::unexpected("GET /v1/members/" + phone + ": " + std::to_string(res->status) + " " +
                                   res->body);
        total += body["balance"].get<std::int64_t>();
    }
    return total;
}

std::expected<std::int64_t, std::string> CentralProcess::claimCount() {
    // Every test receipt was bought in the last week; the report takes local dates (UTC+7).
    const auto now = std::chrono::system_clock::now() + 7h;
    const auto day = [](std::chrono::system_clock::time_point t) {
        const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(t)};
        char text[16];
        std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                      static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
        return std::string(text);
    };
    const auto path = "/v1/admin/reports/points?from=" + day(now - std::chrono::days(30)) +
                      "&to=" + day(now + std::chrono::days(1));
    auto body = admin("GET", path);
    if (!body) return std::unexpected(body.error());
    if (!(*body)["rows"].is_array()) return std::unexpected("report: " + body->dump());
    std::int64_t claims = 0;
    for (const auto& row : (*body)["rows"])
        if (row.is_object() && row["claims"].is_number_integer()) claims += row["claims"].get<std::int64_t>();
    return claims;
}

bool CentralProcess::setUp() {
    auto keys = loyalty::parseSecretKey(
        readFile(std::filesystem::path(KIOSK_SOURCE_DIR) / "assets/samples/DEV001.key"));
    if (!keys) return fail("cannot read assets/samples/DEV001.key");
    m_storeKeys = std::make_unique<loyalty::SigningKeyPair>(*keys);

    if (auto campaign = admin("PUT", "/v1/admin/campaign",
                              Json{{"campaign_toml", test_support::TestCampaign::flat().toml()}});
        !campaign)
        return fail(campaign.error());
    httplib::Client client("127.0.0.1", m_port);
    client.set_read_timeout(10, 0);
    for (int k = 0; k < 3; ++k) {
        const std::string id = "FT-0" + std::to_string(k + 1);
        auto code = admin("POST", "/v1/admin/enrollment-codes", Json{{"kiosk_id", id}, {"store", kStore}});
        if (!code || !(*code)["enrollment_code"].is_string())
            return fail("enrollment code: " + (code ? code->dump() : code.error()));
        auto enrolled =
            client.Post("/v1/kiosks/enroll",
                        Json{{"enrollment_code", (*code)["enrollment_code"]}, {"kiosk_id", id}}.dump(),
                        "application/json");
        const auto body = enrolled ? Json::parse(enrolled->body, nullptr, false) : Json();
        if (!enrolled || enrolled->status != 200 || !body.is_object() || !body["credential"].is_string())
            return fail("POST /v1/kiosks/enroll: " + (enrolled ? enrolled->body : std::string("no answer")));
        m_kiosks.push_back({id, body["credential"].get<std::string>()});
    }
    return true;
}

std::expected<nlohmann::json, std::string> CentralProcess::admin(const std::string& method,
                                                                 const std::string& path,
                                                                 const nlohmann::json& body) {
    httplib::Client client("127.0.0.1", m_port);
    client.set_read_timeout(10, 0);
    const httplib::Headers auth = {{"Authorization", std::string("Bearer ") + kAdminToken}};
    httplib::Result res = method == "GET"   ? client.Get(path, auth)
                          : method == "PUT" ? client.Put(path, auth, body.dump(), "application/json")
                                            : client.Post(path, auth, body.dump(), "application/json");
    if (!res) return std::unexpected(method + " " + path + ": no answer");
    auto json = Json::parse(res->body, nullptr, false);
    if (res->status / 100 != 2 || !json.is_object())
        return std::unexpected(method + " " + path + ": " + std::to_string(res->status) + " " + res->body);
    return json;
}

std::unique_ptr<CentralProcess> CentralProcess::start() {
    std::unique_ptr<CentralProcess> central(new CentralProcess());
    if (!central->launch()) return nullptr;
    return central;
}

std::string CentralProcess::lastError() {
    return g_lastError;
}
