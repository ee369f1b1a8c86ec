#include "central_harness.hpp"

#include <libpq-fe.h>
#include <sodium.h>
#include <cctype>

#include <barrier>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "campaign_fixture.hpp"
#include "loyalty/receipt_token.hpp"
#include "read_file.hpp"

namespace central_test {
namespace {

namespace fs = std::filesystem;

using test_support::readFile;

void pgExec(const std::string& url, const std::string& sql) {
    PGconn* conn = PQconnectdb(url.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
        std::string message = PQerrorMessage(conn);
        PQfinish(conn);
        throw std::runtime_error("PostgreSQL: " + message);
    }
    PGresult* r = PQexec(conn, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    std::string message = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(conn);
    if (!ok) throw std::runtime_error("PostgreSQL: " + sql + ": " + message);
}

std::string withDbName(const std::string& base, const std::string& name) {
    return base + (base.find('?') == std::string::npos ? "?" : "&") + "dbname=" + name;
}

}  // namespace

std::string uniqueNumber() {
    std::string n = newKey().substr(1, 20);
    for (auto& ch : n) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return n;
}

void BackendTest::SetUp() {
    if (GetParam() != Backend::Postgres) return;
    if (!PgDatabase::baseUrl())
        GTEST_SKIP() << "KIOSK_TEST_PG_URL is not set: PostgreSQL case skipped (scripts/test provides it)";
    m_pg = std::make_unique<PgDatabase>();
}

std::optional<std::string> PgDatabase::baseUrl() {
    const char* url = std::getenv("KIOSK_TEST_PG_URL");
    if (!url || !*url) return std::nullopt;
    return std::string(url);
}

PgDatabase::PgDatabase() {
    m_name = "central_test_" + newKey();
    for (auto& ch : m_name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    pgExec(*baseUrl(), "CREATE DATABASE " + m_name);
    m_url = withDbName(*baseUrl(), m_name);
}

PgDatabase::~PgDatabase() {
    try {
        pgExec(*baseUrl(), "DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)");
    } catch (const std::exception& e) {
        // Not fatal: the cluster itself is thrown away after the run.
        std::fprintf(stderr, "PostgreSQL: %s left behind: %s\n", m_name.c_str(), e.what());
    }
}

void PgDatabase::execute(const std::string& sql) const {
    pgExec(m_url, sql);
}

std::string Response::header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
}

std::string Response::code() const {
    if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return "";
    return body["error"].value("code", "");
}

CentralProcess::CentralProcess(const Options& options, const Mode& mode) {
    m_dataDir = options.dataDir.empty() ? (m_temp.path() / "data").string() : options.dataDir;
    const auto config = mode.configFile.empty() ? m_temp.path() / "central.toml" : fs::path(mode.configFile);
    if (mode.configFile.empty()) {
        std::ofstream out(config);
        out << "admin_token = \"" << (mode.demo ? kAdmin : kProductionAdmin) << "\"\n"
            << "campaign_file = \"" << (m_temp.path() / "campaign.toml").string() << "\"\n"
            << "log_level = \"info\"\n"
            << options.extraToml << "\n";
        std::ofstream(m_temp.path() / "campaign.toml") << test_support::TestCampaign{}.toml();
    }
    m_central = std::make_unique<test_support::CentralLaunch>(
        test_support::CentralArgs{mode.demo, "127.0.0.1:0", m_dataDir, config, options.databaseUrl},
        m_temp.path() / "central.log");
}

Response CentralProcess::request(const std::string& method, const std::string& path, const std::string& auth,
                                 const std::string& body, const std::string& contentType,
                                 const httplib::Headers& extra) const {
    httplib::Client client("127.0.0.1", port());
    client.set_connection_timeout(5);
    client.set_read_timeout(30);
    httplib::Headers headers = extra;
    if (!auth.empty()) headers.emplace("Authorization", "Bearer " + auth);
    httplib::Result result{nullptr, httplib::Error::Unknown};
    if (method == "GET")
        result = client.Get(path, headers);
    else if (method == "POST")
        result = client.Post(path, headers, body, contentType);
    else if (method == "PUT")
        result = client.Put(path, headers, body, contentType);
    else if (method == "DELETE")
        result = client.Delete(path, headers, body, contentType);
    else
        throw std::invalid_argument(method);
    Response r;
    if (!result) {
        r.transportError = httplib::to_string(result.error());
        return r;
    }
    r.status = result->status;
    r.headers = result->headers;
    r.body = Json::parse(result->body, nullptr, false);
    if (r.body.is_discarded()) r.body = nullptr;
    return r;
}

std::string CentralProcess::lastOtp(const std::string& phoneE164) const {
    std::istringstream lines(readFile(m_dataDir + "/otp-outbox.jsonl"));
    std::string line, code;
    while (std::getline(lines, line)) {
        auto j = Json::parse(line, nullptr, false);
        if (!j.is_discarded() && j.value("phone", "") == phoneE164) code = j.value("code", "");
    }
    return code;
}

std::string signReceipt(const loyalty::Receipt& receipt, const loyalty::SigningKeyPair& keys) {
    auto token = loyalty::encodeReceiptToken(receipt, keys);
    if (!token) throw std::runtime_error("cannot sign the test receipt");
    return *token;
}

std::string signReceipt(const std::string& number, std::int64_t amountDong, loyalty::UnixSeconds issuedAt,
                        const std::string& store) {
    static const auto keys = [] {
        auto k = loyalty::parseSecretKey(readFile(KIOSK_SOURCE_DIR "/assets/samples/DEV001.key"));
        if (!k) throw std::runtime_error("cannot read the development key");
        return *k;
    }();
    return signReceipt(loyalty::Receipt{store, number, loyalty::Dong{amountDong}, issuedAt, 1}, keys);
}

loyalty::UnixSeconds now() {
    return static_cast<loyalty::UnixSeconds>(std::time(nullptr));
}

std::string newKey() {
    unsigned char bytes[12];
    randombytes_buf(bytes, sizeof bytes);
    char hex[sizeof bytes * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
    return std::string("k") + hex;
}

std::string enrollDevKiosk(const CentralProcess& central) {
    auto r = central.post("/v1/kiosks/enroll", "", Json{{"enrollment_code", "DEV-ENROLL-0001"}});
    if (r.status != 200) throw std::runtime_error("dev enrollment failed: " + r.body.dump());
    return r.body["credential"].get<std::string>();
}

std::string newEnrollmentCode(const CentralProcess& central, const std::string& kioskId) {
    auto code =
        central.post("/v1/admin/enrollment-codes", kAdmin, Json{{"kiosk_id", kioskId}, {"store", "DEV001"}});
    if (code.status != 200) throw std::runtime_error("enrollment code failed: " + code.body.dump());
    return code.body["enrollment_code"].get<std::string>();
}

std::string enrollKiosk(const CentralProcess& central, const std::string& kioskId) {
    auto r =
        central.post("/v1/kiosks/enroll", "", Json{{"enrollment_code", newEnrollmentCode(central, kioskId)}});
    if (r.status != 200) throw std::runtime_error("enrollment failed: " + r.body.dump());
    return r.body["credential"].get<std::string>();
}

Json claimBody(const std::string& token, const std::string& phone, bool join, const std::string& key) {
    Json body{{"idempotency_key", key}, {"token", token}, {"phone", phone}, {"kiosk_time", now()}};
    if (join) body["consent"] = Json{{"join", true}, {"marketing", false}, {"text_version", "2026-11"}};
    return body;
}

void race(int n, const std::function<void(int)>& work) {
    std::barrier start(n);
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i)
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            work(i);
        });
    for (auto& t : threads) t.join();
}

}  // namespace central_test
