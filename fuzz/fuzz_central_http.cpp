// central's request handling (central/http_api.hpp + Service) in-process: each input is one HTTP
// request run through the real routes, authentication, JSON body parsing and service operations on a
// temporary SQLite database — no socket, no thread. The first byte picks a route (a kiosk or admin
// credential is filled in, so the body reaches the service); for routes with a path parameter, the
// input up to the first newline is that parameter. A first byte past the table sends the rest as
// "METHOD PATH\n" and a body to the router as it is (unknown routes, 404/405, the error handler). The
// bytes-to-Request parsing is libmicrohttpd's; this target starts at central's Router, what the server
// hands a complete request to.
// Invariants: no answer is a 5xx (a hostile request is the client's fault, never an internal error or
// an escaped exception); every answer with a body is a JSON object; every error answer carries
// {"error": {"code": …}}.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "central/database.hpp"
#include "central/http/router.hpp"
#include "central/http_api.hpp"
#include "central/metrics.hpp"
#include "central/service.hpp"
#include "fuzz_check.hpp"

namespace {

class DiscardingNotifier final : public central::OtpNotifier {
  public:
    std::expected<void, std::string> send(const central::OtpMessage&) override { return {}; }
};

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    FUZZ_CHECK(in.good());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

constexpr std::string_view kAdminToken = "fuzz-admin-token-0123456789abcdefghijklmnop";
constexpr std::string_view kEnrollmentCode = "FUZZ-ENROLL-0001";
constexpr std::string_view kKioskId = "K-FUZZ-01";

/// "METHOD PATH" on the first line, the body after it.
central::http::Request rawRequest(std::string_view input) {
    central::http::Request req;
    req.remote_addr = "127.0.0.1";
    const auto newline = input.find('\n');
    const auto line = input.substr(0, newline);
    const auto space = line.find(' ');
    req.method = std::string(line.substr(0, space));
    req.path = space == std::string_view::npos ? "/" : std::string(line.substr(space + 1));
    req.body = newline == std::string_view::npos ? std::string() : std::string(input.substr(newline + 1));
    req.headers.emplace("Content-Type", "application/json");
    return req;
}

struct Central {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("fuzz-central-http-" + std::to_string(::getpid()));
    loyalty::SystemClock clock;
    std::unique_ptr<central::Database> db;
    std::unique_ptr<central::Service> service;
    central::Metrics metrics;
    central::http::Router router;
    std::string kioskCredential;

    Central() {
        spdlog::set_level(spdlog::level::off);
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        db = central::Database::open("sqlite:" + (dir / "central.db").string(), clock);
        const std::filesystem::path assets = KIOSK_FUZZ_ASSETS_DIR;
        central::ServiceOptions options;
        options.campaignToml = readFile(assets / "config/campaign.toml");
        options.tiersToml = readFile(assets / "config/tiers.toml");
        options.rewardsToml = readFile(assets / "config/rewards.toml");
        options.seedStoreKeys.emplace_back("DEV001", readFile(assets / "samples/DEV001.pub"));
        options.seedEnrollmentCode = kEnrollmentCode;
        options.seedEnrollmentKiosk = kKioskId;
        options.seedEnrollmentStore = "DEV001";
        options.adminToken = kAdminToken;
        service = std::make_unique<central::Service>(*db, clock, std::move(options),
                                                     loyalty::SigningKeyPair::fromSeed(loyalty::KeySeed{5}),
                                                     std::make_unique<DiscardingNotifier>());
        central::installHttpApi(router, *service, metrics, central::HttpOptions{});
        // The kiosk enrolls the way a kiosk does, through the route.
        auto enroll = rawRequest("POST /v1/kiosks/enroll\n" +
                                 central::Json{{"enrollment_code", kEnrollmentCode}}.dump());
        central::http::Response enrolled;
        router.handle(enroll, enrolled);
        FUZZ_CHECK(enrolled.status == 200);
        kioskCredential = central::Json::parse(enrolled.body).at("credential").get<std::string>();
    }
    ~Central() { std::filesystem::remove_all(dir); }
};

enum class Who { Nobody, Kiosk, Admin };
struct Route {
    const char* method;
    const char* path;  ///< "{}" marks the path parameter
    Who who;
};

constexpr std::array kRoutes{
    Route{"POST", "/v1/kiosks/enroll", Who::Nobody},
    Route{"POST", "/v1/claims", Who::Kiosk},
    Route{"GET", "/v1/members/{}", Who::Kiosk},
    Route{"POST", "/v1/otp", Who::Kiosk},
    Route{"POST", "/v1/redemptions", Who::Kiosk},
    Route{"POST", "/v1/vouchers/{}/consume", Who::Kiosk},
    Route{"GET", "/v1/kiosks/{}/config", Who::Kiosk},
    Route{"POST", "/v1/kiosks/{}/heartbeat", Who::Kiosk},
    Route{"POST", "/v1/admin/enrollment-codes", Who::Admin},
    Route{"POST", "/v1/admin/kiosks/{}/commands", Who::Admin},
    Route{"PUT", "/v1/admin/campaign", Who::Admin},
    Route{"PUT", "/v1/admin/rewards/{}", Who::Admin},
    Route{"PUT", "/v1/admin/stores/{}", Who::Admin},
    Route{"POST", "/v1/admin/members/{}/adjust", Who::Admin},
    Route{"GET", "/v1/admin/reports/points?{}", Who::Admin},
};

/// "k=v&k2=v2" into query parameters, as the server hands them over (already decoded).
void addQuery(central::http::Request& req, std::string_view query) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        req.params.emplace(std::string(pair.substr(0, eq)),
                           eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1)));
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    }
}

central::http::Request buildRequest(const Central& central, const Route& route, std::string_view input) {
    central::http::Request req;
    req.method = route.method;
    req.remote_addr = "127.0.0.1";
    std::string path = route.path;
    if (const auto mark = path.find("{}"); mark != std::string::npos) {
        const auto newline = input.find('\n');
        const auto parameter = input.substr(0, newline);
        input = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
        if (path[mark - 1] == '?') {
            path.erase(mark - 1);
            addQuery(req, parameter);
        } else {
            path.replace(mark, 2, parameter);
        }
    }
    req.path = path;
    if (route.who == Who::Kiosk) req.headers.emplace("Authorization", "Bearer " + central.kioskCredential);
    if (route.who == Who::Admin) req.headers.emplace("Authorization", "Bearer " + std::string(kAdminToken));
    if (std::string_view(route.method) != "GET") {
        req.headers.emplace("Content-Type", "application/json");
        req.body = std::string(input);
    }
    return req;
}

void checkAnswer(const central::http::Response& res) {
    FUZZ_CHECK(res.status >= 200 && res.status < 500);
    // Only /metrics answers text (Prometheus); every other answer with a body, and every error, is JSON.
    const auto type = res.headers.find("Content-Type");
    const bool json = type != res.headers.end() && type->second.starts_with("application/json");
    if (res.status >= 400) FUZZ_CHECK(json);
    if (res.body.empty() || !json) return;
    const auto parsed = central::Json::parse(res.body, nullptr, false);
    FUZZ_CHECK(parsed.is_object());
    if (res.status >= 400)
        FUZZ_CHECK(parsed.contains("error") && parsed.at("error").is_object() &&
                   parsed.at("error").contains("code"));
}

}  // namespace

// libFuzzer calls its entry point by this name.
// NOLINTNEXTLINE(readability-identifier-naming)
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Central central;
    if (size == 0) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    auto req = data[0] < kRoutes.size() ? buildRequest(central, kRoutes[data[0]], input) : rawRequest(input);
    central::http::Response res;
    central.router.handle(req, res);
    checkAnswer(res);
    return 0;
}
