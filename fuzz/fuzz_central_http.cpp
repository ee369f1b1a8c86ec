// central's request handling (central/http_api.hpp + Service) in-process: each input is one HTTP
// request run through the real routes, authentication, JSON body parsing and service operations on a
// temporary SQLite database — no socket, no thread. The first byte picks a route (a kiosk or admin
// credential is filled in, so the body reaches the service); for routes with a path parameter, the
// input up to the first newline is that parameter (percent-encoded). A first byte past the table sends
// the rest as a raw HTTP request (httplib's parser, the 404/405/400 error handler).
// Invariants: no answer is a 5xx (a hostile request is the client's fault, never an internal error or
// an escaped exception); every answer with a body is a JSON object; every error answer carries
// {"error": {"code": …}}.

#include <httplib.h>
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
#include "central/http_api.hpp"
#include "central/metrics.hpp"
#include "central/service.hpp"
#include "fuzz_check.hpp"

namespace {

/// One request in, the answer out, as httplib's connection loop sees a socket.
class BufferStream final : public httplib::Stream {
  public:
    explicit BufferStream(std::string_view request) : m_request(request) {}
    bool is_readable() const override { return true; }
    bool is_writable() const override { return true; }
    ssize_t read(char* ptr, std::size_t size) override {
        const auto n = std::min(size, m_request.size());
        std::copy_n(m_request.data(), n, ptr);
        m_request.remove_prefix(n);
        return static_cast<ssize_t>(n);
    }
    ssize_t write(const char* ptr, std::size_t size) override {
        answer.append(ptr, size);
        return static_cast<ssize_t>(size);
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        ip = "127.0.0.1";
        port = 40000;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        ip = "127.0.0.1";
        port = 8080;
    }
    socket_t socket() const override { return INVALID_SOCKET; }

    std::string answer;

  private:
    std::string_view m_request;
};

class InProcessServer final : public httplib::Server {
  public:
    std::string serve(std::string_view request) {
        BufferStream stream(request);
        bool closed = false;
        (void)process_request(stream, true, closed, [](httplib::Request&) {});
        return std::move(stream.answer);
    }
};

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

struct Central {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("fuzz-central-http-" + std::to_string(::getpid()));
    loyalty::SystemClock clock;
    std::unique_ptr<central::Database> db;
    std::unique_ptr<central::Service> service;
    central::Metrics metrics;
    InProcessServer server;
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
        central::installHttpApi(server, *service, metrics, central::HttpOptions{});
        const auto enrolled = service->enroll(central::Json{{"enrollment_code", kEnrollmentCode}});
        FUZZ_CHECK(enrolled.has_value());
        kioskCredential = enrolled->at("credential").get<std::string>();
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

std::string percentEncode(std::string_view text, bool query) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '+' ||
            (query && (c == '=' || c == '&')))
            out += static_cast<char>(c);
        else
            out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
    return out;
}

std::string buildRequest(const Central& central, const Route& route, std::string_view input) {
    std::string path = route.path;
    if (const auto mark = path.find("{}"); mark != std::string::npos) {
        const auto newline = input.find('\n');
        const auto parameter = input.substr(0, newline);
        input = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
        path.replace(mark, 2, percentEncode(parameter, path[mark - 1] == '?'));
    }
    std::string request = std::string(route.method) + " " + path + " HTTP/1.1\r\nHost: central\r\n";
    if (route.who == Who::Kiosk) request += "Authorization: Bearer " + central.kioskCredential + "\r\n";
    if (route.who == Who::Admin) request += "Authorization: Bearer " + std::string(kAdminToken) + "\r\n";
    if (std::string_view(route.method) != "GET")
        request +=
            "Content-Type: application/json\r\nContent-Length: " + std::to_string(input.size()) + "\r\n";
    return request + "\r\n" + std::string(input);
}

void checkAnswer(std::string_view answer) {
    FUZZ_CHECK(answer.starts_with("HTTP/1.1 ") && answer.size() >= 12);
    int status = 0;
    FUZZ_CHECK(std::from_chars(answer.data() + 9, answer.data() + 12, status).ec == std::errc{});
    FUZZ_CHECK(status >= 200 && status < 500);
    const auto headerEnd = answer.find("\r\n\r\n");
    FUZZ_CHECK(headerEnd != std::string_view::npos);
    const auto headers = answer.substr(0, headerEnd);
    const auto body = answer.substr(headerEnd + 4);
    // Only /metrics answers text (Prometheus); every other answer with a body, and every error, is JSON.
    const bool json = headers.find("\r\nContent-Type: application/json") != std::string_view::npos;
    if (status >= 400) FUZZ_CHECK(json);
    if (body.empty() || !json) return;
    const auto parsed = central::Json::parse(body, nullptr, false);
    FUZZ_CHECK(parsed.is_object());
    if (status >= 400)
        FUZZ_CHECK(parsed.contains("error") && parsed.at("error").is_object() &&
                   parsed.at("error").contains("code"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Central central;
    if (size == 0) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::string request =
        data[0] < kRoutes.size() ? buildRequest(central, kRoutes[data[0]], input) : std::string(input);
    const auto answer = central.server.serve(request);
    // httplib answers nothing to a request it cannot read at all (e.g. an empty one): that is a closed
    // connection, not an answer to check.
    if (!answer.empty()) checkAnswer(answer);
    return 0;
}
