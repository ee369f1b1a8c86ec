// kioskctl enroll-code / revoke — a field technician's kiosk enrollment through central's admin API.
//
// kioskctl load — a load generator for `central`: enrolls a throw-away kiosk with the admin token,
// signs N distinct receipts with a store key (the development key by default), then fires them as
// single POST /v1/claims from C keep-alive connections and reports claims per second, latency
// percentiles and the answers by status (503s with Retry-After are counted, not retried: the point is
// to see how central behaves when pushed). The throw-away kiosk is revoked when the run ends.
//
// The admin token comes from --admin-token-file or $LOYALTY_ADMIN_TOKEN (central_access.hpp).
//
// Exit codes: 0 the run completed; 1 central refused the set-up (enrollment) or could not be reached;
// 2 bad input.

#include <fmt/core.h>
#include <httplib.h>
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "central_access.hpp"
#include "commands.hpp"
#include "key_file.hpp"
#include "loyalty/receipt_token.hpp"

namespace kioskctl {
namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;

struct LoadOptions {
    CentralAccess access;
    std::string keyFile = "assets/samples/DEV001.key";
    std::string store = "DEV001";
    int claims = 10'000;
    int concurrency = 8;
    int members = 1'000;
};

std::string randomHex(std::size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    randombytes_buf(raw.data(), raw.size());
    std::string hex(bytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
    hex.pop_back();
    return hex;
}

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(index, sorted.size() - 1)];
}

/// The checked URL and admin token of `access`, or the message that refuses them.
std::expected<std::pair<std::string, std::string>, std::string> urlAndToken(const CentralAccess& access) {
    auto url = checkedCentralUrl(access.url);
    if (!url) return std::unexpected(url.error());
    auto token = readAdminToken(access);
    if (!token) return std::unexpected(token.error());
    return std::pair{*url, *token};
}

/// Revokes the load run's throw-away kiosk when the run ends, however it ends: a LOAD-* credential
/// must not stay valid after the run.
class KioskRevoker {
  public:
    KioskRevoker(httplib::Client& admin, const httplib::Headers& auth, std::string kioskId)
        : m_admin(admin), m_auth(auth), m_kioskId(std::move(kioskId)) {}
    KioskRevoker(const KioskRevoker&) = delete;
    KioskRevoker& operator=(const KioskRevoker&) = delete;
    ~KioskRevoker() {
        auto r = m_admin.Post("/v1/admin/kiosks/" + m_kioskId + "/revoke", m_auth, "{}", "application/json");
        if (!r || r->status != 200)
            fmt::print(stderr, "kioskctl: could not revoke the load kiosk {}: revoke it by hand\n",
                       m_kioskId);
        else
            fmt::print("kiosk {} revoked\n", m_kioskId);
    }

  private:
    httplib::Client& m_admin;
    const httplib::Headers& m_auth;
    std::string m_kioskId;
};

struct EnrollOptions {
    CentralAccess access;
    std::string kioskId;
    std::string store;
    int validHours = 72;
    bool revoke = false;
};

/// enroll-code: a one-time code a technician types on a new kiosk; revoke: shut a kiosk out.
int runEnroll(const EnrollOptions& o) {
    const auto access = urlAndToken(o.access);
    if (!access) {
        fmt::print(stderr, "kioskctl: {}\n", access.error());
        return kExitBadInput;
    }
    httplib::Client client(access->first);
    client.set_connection_timeout(5);
    client.set_read_timeout(30);
    const httplib::Headers auth{{"Authorization", "Bearer " + access->second}};
    auto r =
        o.revoke
            ? client.Post("/v1/admin/kiosks/" + o.kioskId + "/revoke", auth, "{}", "application/json")
            : client.Post(
                  "/v1/admin/enrollment-codes", auth,
                  Json{{"kiosk_id", o.kioskId}, {"store", o.store}, {"valid_hours", o.validHours}}.dump(),
                  "application/json");
    if (!r) {
        fmt::print(stderr, "kioskctl: central unreachable: {}\n", httplib::to_string(r.error()));
        return kExitFailed;
    }
    const auto body = Json::parse(r->body, nullptr, false);
    if (r->status != 200 || !body.is_object()) {
        const std::string message =
            body.is_object() && body.contains("error")
                ? body["error"].value("code", "") + ": " + body["error"].value("message_en", "")
                : "HTTP " + std::to_string(r->status);
        fmt::print(stderr, "kioskctl: central refused: {}\n", message);
        return kExitFailed;
    }
    if (o.revoke)
        fmt::print("kiosk {} revoked\n", o.kioskId);
    else
        fmt::print("{}\n(kiosk {} at store {}, single use, valid until {})\n",
                   body.value("enrollment_code", ""), o.kioskId, o.store,
                   body.value("expires_at", std::int64_t{0}));
    return 0;
}

int runLoad(const LoadOptions& o) {
    const auto access = urlAndToken(o.access);
    if (!access) {
        fmt::print(stderr, "kioskctl: {}\n", access.error());
        return kExitBadInput;
    }
    const std::string& url = access->first;
    if (o.claims < 1 || o.concurrency < 1 || o.members < 1) {
        fmt::print(stderr, "kioskctl: --claims, --concurrency and --members must be positive\n");
        return kExitBadInput;
    }
    const auto keys = readSecretKeyFile(o.keyFile);
    if (!keys) {
        fmt::print(stderr, "kioskctl: {}\n", keys.error());
        return kExitBadInput;
    }

    // A kiosk of its own for this run.
    httplib::Client admin(url);
    admin.set_connection_timeout(5);
    admin.set_read_timeout(30);
    const std::string kioskId = "LOAD-" + randomHex(4);
    const httplib::Headers adminAuth{{"Authorization", "Bearer " + access->second}};
    auto code = admin.Post("/v1/admin/enrollment-codes", adminAuth,
                           Json{{"kiosk_id", kioskId}, {"store", o.store}}.dump(), "application/json");
    if (!code || code->status != 200) {
        fmt::print(stderr, "kioskctl: creating an enrollment code failed: {}\n",
                   code ? code->body : httplib::to_string(code.error()));
        return kExitFailed;
    }
    auto enrolled = admin.Post("/v1/kiosks/enroll",
                               Json{{"enrollment_code", Json::parse(code->body)["enrollment_code"]}}.dump(),
                               "application/json");
    if (!enrolled || enrolled->status != 200) {
        fmt::print(stderr, "kioskctl: enrollment failed: {}\n",
                   enrolled ? enrolled->body : httplib::to_string(enrolled.error()));
        return kExitFailed;
    }
    const std::string credential = Json::parse(enrolled->body)["credential"];
    const KioskRevoker revokeAtEnd(admin, adminAuth, kioskId);

    // Everything is signed before the clock starts: the run measures central, not Ed25519 here.
    const auto issuedAt = static_cast<loyalty::UnixSeconds>(std::time(nullptr)) - 60;
    const std::string run = randomHex(4);
    std::vector<std::string> bodies;
    bodies.reserve(static_cast<std::size_t>(o.claims));
    for (int i = 0; i < o.claims; ++i) {
        std::string number = "L" + run + "-" + std::to_string(i);
        std::transform(number.begin(), number.end(), number.begin(),
                       [](unsigned char ch) { return std::toupper(ch); });
        const loyalty::Receipt receipt{o.store, number, loyalty::Dong{50'000 + 1'000 * (i % 200)}, issuedAt,
                                       1};
        auto token = loyalty::encodeReceiptToken(receipt, *keys);
        if (!token) {
            fmt::print(stderr, "kioskctl: cannot sign a receipt for store {}\n", o.store);
            return kExitBadInput;
        }
        const std::string phone = fmt::format("090{:07}", i % o.members);
        bodies.push_back(Json{{"idempotency_key", "load-" + run + "-" + std::to_string(i)},
                              {"token", *token},
                              {"phone", phone},
                              {"kiosk_time", issuedAt + 60},
                              {"consent", {{"join", true}, {"marketing", false}, {"text_version", "load"}}}}
                             .dump());
    }

    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::vector<double> latencies;
    std::map<std::string, int> outcomes;
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < o.concurrency; ++t) {
        threads.emplace_back([&] {
            httplib::Client client(url);
            client.set_keep_alive(true);
            client.set_tcp_nodelay(true);
            client.set_connection_timeout(5);
            client.set_read_timeout(30);
            const httplib::Headers auth{{"Authorization", "Bearer " + credential}};
            std::vector<double> mine;
            std::map<std::string, int> counts;
            for (std::size_t i = next++; i < bodies.size(); i = next++) {
                const auto sent = Clock::now();
                auto r = client.Post("/v1/claims", auth, bodies[i], "application/json");
                const double ms = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
                if (!r) {
                    ++counts["no answer (" + httplib::to_string(r.error()) + ")"];
                    continue;
                }
                mine.push_back(ms);
                ++counts[std::to_string(r->status)];
            }
            std::lock_guard lock(mutex);
            latencies.insert(latencies.end(), mine.begin(), mine.end());
            for (const auto& [k, v] : counts) outcomes[k] += v;
        });
    }
    for (auto& t : threads) t.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::sort(latencies.begin(), latencies.end());
    const int accepted = outcomes.contains("200") ? outcomes["200"] : 0;
    fmt::print("claims sent   {} from {} connections in {:.2f} s ({} members)\n", o.claims, o.concurrency,
               seconds, std::min(o.members, o.claims));
    fmt::print("accepted      {} ({:.0f} claims/s)\n", accepted, accepted / seconds);
    fmt::print("requests      {:.0f} answered/s\n", static_cast<double>(latencies.size()) / seconds);
    fmt::print("latency ms    p50 {:.2f}  p90 {:.2f}  p99 {:.2f}  max {:.2f}\n", percentile(latencies, 0.50),
               percentile(latencies, 0.90), percentile(latencies, 0.99),
               latencies.empty() ? 0.0 : latencies.back());
    for (const auto& [status, n] : outcomes) fmt::print("status {:<7}{}\n", status, n);
    return 0;
}

}  // namespace

void addCentralCommands(CLI::App& app, int& exitCode) {
    auto options = std::make_shared<LoadOptions>();
    auto* load = app.add_subcommand(
        "load", "Load-test central: N signed claims from C connections; claims/s, p50/p99");
    addCentralAccessOptions(*load, options->access);
    load->add_option("--key", options->keyFile, "the store's secret key file that signs the receipts")
        ->capture_default_str();
    load->add_option("--store", options->store, "the store id of that key")->capture_default_str();
    load->add_option("--claims", options->claims, "number of distinct receipts to claim")
        ->capture_default_str();
    load->add_option("--concurrency", options->concurrency, "parallel keep-alive connections")
        ->capture_default_str();
    load->add_option("--members", options->members, "distinct phone numbers the claims spread over")
        ->capture_default_str();
    load->callback([options, &exitCode] { exitCode = runLoad(*options); });

    auto enroll = std::make_shared<EnrollOptions>();
    auto* code =
        app.add_subcommand("enroll-code", "Create a one-time enrollment code for a kiosk (prints it)");
    addCentralAccessOptions(*code, enroll->access);
    code->add_option("--kiosk", enroll->kioskId, "the kiosk id (1-32 of A-Z a-z 0-9 - _)")->required();
    code->add_option("--store", enroll->store, "the store the kiosk stands in")->required();
    code->add_option("--valid-hours", enroll->validHours, "hours the code stays usable")
        ->capture_default_str();
    code->callback([enroll, &exitCode] { exitCode = runEnroll(*enroll); });

    auto revoke = std::make_shared<EnrollOptions>();
    revoke->revoke = true;
    auto* off = app.add_subcommand("revoke", "Revoke a kiosk's credential (it must enroll again)");
    addCentralAccessOptions(*off, revoke->access);
    off->add_option("--kiosk", revoke->kioskId, "the kiosk id")->required();
    off->callback([revoke, &exitCode] { exitCode = runEnroll(*revoke); });
}

}  // namespace kioskctl
