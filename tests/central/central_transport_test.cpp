// central's HTTP transport against hostile clients, with the real binary on real sockets: slow
// headers and bodies (slowloris), a 400 MB chunked body, a gzip bomb, and SIGTERM with connections
// open. The transport is the same on both databases, so these run on SQLite only.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "central_harness.hpp"

namespace central_test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// A loopback TCP connection to central (closed when this dies).
class Socket {
  public:
    explicit Socket(int port) : m_fd(socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            close(m_fd);
            m_fd = -1;
        }
    }
    ~Socket() {
        if (m_fd >= 0) close(m_fd);
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    [[nodiscard]] bool open() const { return m_fd >= 0; }
    /// False once the server closed (or reset) the connection.
    bool send(const std::string& bytes) const {
        return ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
    }
    /// Everything the server sends until it closes, or until `wait` passes without a byte.
    [[nodiscard]] std::string answer(milliseconds wait = milliseconds(3000)) const {
        timeval tv{static_cast<time_t>(wait.count() / 1000),
                   static_cast<suseconds_t>(wait.count() % 1000 * 1000)};
        setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        std::string text;
        char buffer[4096];
        for (ssize_t n; (n = recv(m_fd, buffer, sizeof buffer, 0)) > 0;)
            text.append(buffer, static_cast<std::size_t>(n));
        return text;
    }

  private:
    int m_fd;
};

/// The peak resident memory of `pid` (VmHWM), in MB.
long peakRssMb(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with("VmHWM:")) return std::stol(line.substr(6)) / 1024;
    return -1;
}

/// `megabytes` of zeros, gzip-compressed (a few hundred KB).
std::string gzipBomb(int megabytes) {
    z_stream z{};
    EXPECT_EQ(deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
    const std::string zeros(1u << 20, '\0');
    std::string out(1u << 20, '\0');
    std::string result;
    for (int i = 0; i < megabytes; ++i) {
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
        z.avail_in = static_cast<uInt>(zeros.size());
        const int flush = i + 1 == megabytes ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = reinterpret_cast<Bytef*>(out.data());
            z.avail_out = static_cast<uInt>(out.size());
            deflate(&z, flush);
            result.append(out.data(), out.size() - z.avail_out);
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    return result;
}

class CentralTransport : public ::testing::Test {
  protected:
    void SetUp() override { m_central = std::make_unique<CentralProcess>(CentralProcess::Options{}); }
    /// The slowest of five /healthz answers.
    milliseconds slowestHealthz() const {
        milliseconds worst{0};
        for (int i = 0; i < 5; ++i) {
            const auto start = Clock::now();
            const auto r = m_central->get("/healthz", "");
            EXPECT_EQ(r.status, 200) << r.transportError;
            worst = std::max(worst, std::chrono::duration_cast<milliseconds>(Clock::now() - start));
        }
        return worst;
    }
    std::unique_ptr<CentralProcess> m_central;
};

TEST_F(CentralTransport, HundredSlowHeaderAndHundredSlowBodyConnectionsLeaveHealthzFast) {
    std::vector<std::unique_ptr<Socket>> headers, bodies;
    for (int i = 0; i < 100; ++i) {
        headers.push_back(std::make_unique<Socket>(m_central->port()));
        ASSERT_TRUE(headers.back()->send("POST /v1/claims HTTP/1.1\r\nHost: x\r\n"));
        bodies.push_back(std::make_unique<Socket>(m_central->port()));
        ASSERT_TRUE(
            bodies.back()->send("POST /v1/claims HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                "application/json\r\nContent-Length: 100000\r\n\r\n{"));
    }
    milliseconds worst{0};
    for (int round = 0; round < 5; ++round) {  // a byte or a header line every 300 ms on each
        std::this_thread::sleep_for(milliseconds(300));
        for (std::size_t i = 0; i < headers.size(); ++i) {
            (void)headers[i]->send("X-Slow: " + std::to_string(round) + "\r\n");
            (void)bodies[i]->send(" ");
        }
        worst = std::max(worst, slowestHealthz());
    }
    RecordProperty("slowest_healthz_ms", static_cast<int>(worst.count()));
    EXPECT_LT(worst.count(), 100);
}

TEST_F(CentralTransport, FourHundredMegabyteChunkedBodyIsRefusedWithinMemory) {
    Socket client(m_central->port());
    ASSERT_TRUE(
        client.send("POST /v1/claims HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n"));
    const std::string chunk = "100000\r\n" + std::string(1u << 20, ' ') + "\r\n";
    int sent = 0;
    while (sent < 400 && client.send(chunk)) ++sent;
    EXPECT_LT(sent, 400) << "central read the whole body";
    RecordProperty("megabytes_sent_before_refusal", sent);
    RecordProperty("peak_rss_mb", static_cast<int>(peakRssMb(m_central->pid())));
    EXPECT_LT(peakRssMb(m_central->pid()), 200);
    EXPECT_LT(slowestHealthz().count(), 100);
}

TEST_F(CentralTransport, GzipBombIsRefusedWith415AndNeverInflated) {
    const auto bomb = gzipBomb(400);
    const auto r = m_central->request("POST", "/v1/claims", "", bomb, "application/json",
                                      httplib::Headers{{"Content-Encoding", "gzip"}});
    EXPECT_EQ(r.status, 415) << r.transportError;
    EXPECT_EQ(r.code(), "unsupported_media_type");
    RecordProperty("bomb_kb", static_cast<int>(bomb.size() / 1024));
    RecordProperty("peak_rss_mb", static_cast<int>(peakRssMb(m_central->pid())));
    EXPECT_LT(peakRssMb(m_central->pid()), 200);
    EXPECT_LT(slowestHealthz().count(), 100);
}

TEST_F(CentralTransport, SigtermWithOpenConnectionsExitsWithinTwoSeconds) {
    std::vector<std::unique_ptr<Socket>> open;
    for (int i = 0; i < 50; ++i) {
        open.push_back(std::make_unique<Socket>(m_central->port()));
        ASSERT_TRUE(open.back()->send(i % 2 ? "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                                            : "POST /v1/claims HTTP/1.1\r\n"));
    }
    std::this_thread::sleep_for(milliseconds(100));
    const auto start = Clock::now();
    m_central->stop();
    const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    RecordProperty("sigterm_exit_ms", static_cast<int>(took.count()));
    EXPECT_LT(took.count(), 2000);
}

/// Enrollment attempts with a bogus code until one is rate limited: how many were answered otherwise.
/// Each takes a token of the per-address bucket of the client central sees.
int attemptsBeforeRateLimit(const CentralProcess& central, const httplib::Headers& headers, int most = 10) {
    for (int i = 0; i < most; ++i) {
        const auto r = central.request("POST", "/v1/kiosks/enroll", "", R"({"enrollment_code":"NOPE"})",
                                       "application/json", headers);
        EXPECT_NE(r.status, 0) << r.transportError;
        if (r.status == 429) return i;
    }
    return most;
}

const std::string kTightAddressLimit = "[rate_limits]\nper_address_per_minute = 1\nper_address_burst = 3\n";

TEST(CentralTransportOptions, ALoweredBodyCapAndHeaderCountFromTheTomlTakeEffect) {
    CentralProcess central(
        CentralProcess::Options{"", "", "max_body_bytes = 2000\n[http]\nmax_headers = 12\n"});
    const std::string padding(3000, ' ');
    const auto big = central.request("POST", "/v1/claims", "", "{" + padding + "}");
    EXPECT_EQ(big.status, 413) << big.transportError;
    const auto small = central.request("POST", "/v1/claims", "", "{" + padding.substr(0, 1500) + "}");
    EXPECT_NE(small.status, 0) << small.transportError;
    EXPECT_NE(small.status, 413);
    httplib::Headers many;
    for (int i = 0; i < 20; ++i) many.emplace("X-Extra-" + std::to_string(i), "1");
    EXPECT_EQ(central.request("GET", "/healthz", "", "", "application/json", many).status, 431);
    EXPECT_EQ(central.get("/healthz", "").status, 200);
}

TEST(CentralTransportOptions, XForwardedForFromATrustedProxyNamesTheRateLimitedClient) {
    CentralProcess central(CentralProcess::Options{
        "", "", kTightAddressLimit + "[http]\ntrusted_proxies = [\"::1\", \"127.0.0.1\"]\n"});
    const httplib::Headers first{{"X-Forwarded-For", "198.51.100.9, 203.0.113.7"}};
    EXPECT_EQ(attemptsBeforeRateLimit(central, first), 3);
    // The right-most untrusted hop is the client: another one there has a bucket of its own, and so
    // has the proxy itself; a trusted hop after the client is skipped.
    EXPECT_EQ(attemptsBeforeRateLimit(central, {{"X-Forwarded-For", "203.0.113.7, 127.0.0.1"}}), 0);
    EXPECT_EQ(attemptsBeforeRateLimit(central, {{"X-Forwarded-For", "203.0.113.8"}}), 3);
    EXPECT_EQ(attemptsBeforeRateLimit(central, {}), 3);
    // A malformed header is ignored: the request counts against the peer, whose bucket is empty now.
    EXPECT_EQ(attemptsBeforeRateLimit(central, {{"X-Forwarded-For", "203.0.113.99:4711"}}), 0);
    EXPECT_EQ(attemptsBeforeRateLimit(central, {{"X-Forwarded-For", "203.0.113.99,,garbage"}}), 0);
    const auto log = central.log();
    EXPECT_NE(log.find("trusted_proxies=\"::1,127.0.0.1\""), std::string::npos) << log;
    EXPECT_NE(log.find("address=203.0.113.8"), std::string::npos) << "refusals log the forwarded client";
}

TEST(CentralTransportOptions, XForwardedForFromAnUntrustedPeerIsIgnored) {
    CentralProcess central(
        CentralProcess::Options{"", "", kTightAddressLimit + "[http]\ntrusted_proxies = [\"10.9.8.7\"]\n"});
    EXPECT_EQ(attemptsBeforeRateLimit(central, {{"X-Forwarded-For", "203.0.113.1"}}), 3);
    EXPECT_EQ(attemptsBeforeRateLimit(central, {{"X-Forwarded-For", "203.0.113.2"}}), 0);
    EXPECT_EQ(attemptsBeforeRateLimit(central, {}), 0);
}

TEST(CentralTransportOptions, HostileXForwardedForHeadersDoNotCrashCentral) {
    CentralProcess central(CentralProcess::Options{"", "", "[http]\ntrusted_proxies = [\"127.0.0.1\"]\n"});
    std::string hops;
    for (int i = 0; i < 3000; ++i)
        hops += "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ",";
    const std::vector<std::string> hostile{hops + "1.2.3.4",
                                           std::string(60000, ','),
                                           std::string(20000, 'A') + ":::::" + std::string(20000, ':'),
                                           "\x01\x7f\xff\xfe, 999.1.1.1, ::ffff:300.1.1.1",
                                           " , ",
                                           std::string(200000, '9')};
    for (const auto& value : hostile) {
        Socket client(central.port());
        (void)client.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: " + value +
                          "\r\nConnection: close\r\n\r\n");
        const auto answer = client.answer();
        // An answer (200, or a refusal of the header) or a closed connection, never a dead central.
        EXPECT_TRUE(answer.empty() || answer.starts_with("HTTP/1.1 ")) << answer.substr(0, 80);
        ASSERT_TRUE(central.running()) << central.log();
    }
    EXPECT_EQ(central.get("/healthz", "").status, 200);
}

}  // namespace
}  // namespace central_test
