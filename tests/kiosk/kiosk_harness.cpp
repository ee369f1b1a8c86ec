#include "kiosk_harness.hpp"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include <sodium.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace kiosk::test {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kSource = KIOSK_SOURCE_DIR;
const fs::path kBuild = KIOSK_BINARY_DIR;
const std::string kStaffPin = "2468";

KioskRun::KioskRun(const TempDir& dir, const KioskOptions& options)
    : m_dir(dir.path()),
      m_ownDisplay(std::make_unique<VirtualDisplay>(dir.path(), options.landscape ? 1920 : 1080,
                                                    options.landscape ? 1080 : 1920)) {
    start(options, m_ownDisplay->env());
}

KioskRun::KioskRun(const TempDir& dir, const KioskOptions& options, const VirtualDisplay& display)
    : m_dir(dir.path()) {
    start(options, display.env());
}

KioskRun::~KioskRun() {
    if (m_killer.joinable()) {
        m_killer.join();
    }
}

void KioskRun::start(const KioskOptions& options, std::vector<std::string> env) {
    const fs::path config = m_dir / "kiosk.toml";
    std::ofstream out(config);
    out << "[kiosk]\nid = \"K-DEV-01\"\nassets_dir = \"" << (kSource / "assets").string() << "\"\n"
        << "data_dir = \"" << (m_dir / "data").string() << "\"\nlanguage = \"" << options.language << "\"\n"
        << "[screen]\norientation = \"" << (options.landscape ? "landscape" : "portrait") << "\"\n"
        << "renderer = \"" << options.renderer << "\"\n"
        << "[central]\nurl = \"" << options.centralUrl << "\"\nenrollment_code = \"DEV-ENROLL-0001\"\n"
        << "[camera]\ndriver = \"virtual\"\ndevice = \"\"\nfps = 15\n"
        << "[printer]\ndriver = \"" << (options.printerAddress.empty() ? "none" : "escpos-tcp")
        << "\"\naddress = \"" << options.printerAddress << "\"\n"
        << "[timeouts]\nidle_seconds = 45\ncountdown_seconds = 10\n"
        << "[receipts]\nmax_age_days = 30\n"
        << (options.chimeVolume > 0 ? "[sound]\nchime_volume = " + std::to_string(options.chimeVolume) + "\n"
                                    : "")
        << "[staff]\npin = \"" << kStaffPin << "\"\n";
    if (options.trustDevStore) {
        out << "[[stores]]\nid = \"DEV001\"\npublic_key = \""
            << (kSource / "assets/samples/DEV001.pub").string() << "\"\n";
    }
    for (const auto& [store, key] : options.extraStores) {
        out << "[[stores]]\nid = \"" << store << "\"\npublic_key = \"" << key.string() << "\"\n";
    }
    out << "[[rewards]]\nid = \"COFFEE\"\ntitle_vi = \"Một ly cà phê sữa đá\"\ntitle_en = \"One iced "
           "coffee\"\n"
        << "points = 25\n";
    out.close();
    env.insert(env.end(), options.env.begin(), options.env.end());
    m_kiosk = std::make_unique<ChildProcess>(
        std::vector<std::string>{(kBuild / "bin/kiosk").string(), "--config", config.string(), "--automation",
                                 (m_dir / "kiosk.sock").string()},
        env, m_dir / "kiosk.log");
}

AutomationClient& KioskRun::client() {
    if (!m_client) {
        const ChildProcess* kiosk = m_kiosk.get();
        m_client =
            std::make_unique<AutomationClient>(m_dir / "kiosk.sock", 20s, [kiosk] { return kiosk->alive(); });
    }
    return *m_client;
}

void KioskRun::killAt(std::chrono::steady_clock::time_point when) {
    // The pid stays this kiosk's until it is reaped, which only endedByKill() does, after the join.
    const pid_t pid = m_kiosk->pid();
    m_killer = std::thread([pid, when] {
        std::this_thread::sleep_until(when);
        ::kill(pid, SIGKILL);
    });
}

bool KioskRun::endedByKill() {
    if (m_killer.joinable()) {
        m_killer.join();
    }
    const int status = m_kiosk->wait();
    return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

std::string KioskRun::log() const {
    std::ifstream in(m_dir / "kiosk.log");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

namespace {

bool waitForPort(int port) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (portOpen(port)) {
            return true;
        }
        std::this_thread::sleep_for(100ms);
    }
    return false;
}

}  // namespace

void KioskWithBackend::SetUp() {
    if (!fs::exists(kBuild / "bin/central")) {
        GTEST_SKIP() << "central is not built in " << kBuild;
    }
    m_backend = std::make_unique<Backend>(m_dir.path());
    ASSERT_TRUE(m_backend->ready()) << "central or the virtual printer did not start (see " << m_dir.path()
                                    << ")";
}

void KioskWithBackend::startKiosk(KioskOptions options) {
    options.centralUrl = m_backend->url();
    options.printerAddress = m_backend->printerAddress();
    m_kiosk.reset();
    m_kiosk = std::make_unique<KioskRun>(m_dir, options);
    ASSERT_TRUE(m_kiosk->client().connected()) << m_kiosk->log();
}

void KioskWithBackend::startConnectedKiosk(KioskOptions options) {
    startKiosk(std::move(options));
    if (HasFatalFailure()) {
        return;
    }
    const json state = waitForStatus(kiosk(), "Đã kết nối", 30s);
    ASSERT_EQ(state.value("status", ""), "Đã kết nối") << m_kiosk->log();
}

void KioskWithBackend::configureGame(const std::string& id, const nlohmann::json& game) const {
    const std::string status =
        runCommand({"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "-H",
                    "Authorization: Bearer dev-admin-token", "-H", "Content-Type: application/json", "-d",
                    game.dump(), m_backend->url() + "/v1/admin/games/" + id});
    ASSERT_EQ(status, "200") << id;
}

nlohmann::json promoGame(const std::string& type, const std::string& nameVi, const std::string& nameEn,
                         std::int64_t minReceiptDong, const nlohmann::json& prize) {
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    return nlohmann::json{{"type", type},
                          {"name_vi", nameVi},
                          {"name_en", nameEn},
                          {"starts_at", now - 3600},
                          {"ends_at", now + 86'400},
                          {"stores", {"DEV001"}},
                          {"registration_number", "1234/QĐ-BCT"},
                          {"prize_structure_vi", "Cơ cấu giải thưởng đã đăng ký"},
                          {"prize_structure_en", "The registered prize structure"},
                          {"ticket_min_receipt_dong", minReceiptDong},
                          {"daily_play_limit", 5},
                          {"prizes", nlohmann::json::array({prize})}};
}

Backend::Backend(const fs::path& dir) : m_dir(dir), m_printerPort(freePort()) {
    m_printer = std::make_unique<ChildProcess>(
        std::vector<std::string>{(kBuild / "bin/kioskctl").string(), "printer", "serve", "--port",
                                 std::to_string(m_printerPort), "--out", (dir / "printed").string(),
                                 "--control", (dir / "printer.sock").string()},
        std::vector<std::string>{}, dir / "printer.log");
    test_support::CentralArgs args;
    args.dataDir = dir / "central";
    try {
        m_central = std::make_unique<test_support::CentralLaunch>(args, dir / "central.log");
    } catch (const std::exception&) {
        return;  // not ready(); central.log in `dir` says why
    }
    m_ready = waitForPort(m_printerPort);
}

std::string Backend::lastOtp(const std::string& e164) const {
    std::ifstream in(m_dir / "central/otp-outbox.jsonl");
    std::string line;
    std::string code;
    while (std::getline(in, line)) {
        const json entry = json::parse(line, nullptr, false);
        if (!entry.is_discarded() && entry.value("phone", "") == e164) {
            code = entry.value("code", "");
        }
    }
    return code;
}

std::string Backend::printerControl(const std::string& command) const {
    const std::string script =
        "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\n"
        "s.sendall((sys.argv[2]+'\\n').encode())\nprint(s.makefile().readline().strip())";
    return runCommand({"python3", "-c", script, (m_dir / "printer.sock").string(), command});
}

int Backend::consumeVoucher(const std::string& code) const {
    const std::string status =
        runCommand({"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H",
                    "Authorization: Bearer dev-admin-token", "-H", "Content-Type: application/json", "-d",
                    "{}", url() + "/v1/vouchers/" + code + "/consume"});
    return status.empty() ? 0 : std::stoi(status);
}

json Backend::admin(const std::string& path, const json& body, const std::string& method) const {
    return json::parse(runCommand({"curl", "-s", "-X", method, "-H", "Authorization: Bearer dev-admin-token",
                                   "-H", "Content-Type: application/json", "-d", body.dump(), url() + path}),
                       nullptr, false);
}

json Backend::asKiosk(const fs::path& kioskData, const std::string& path) const {
    std::ifstream in(kioskData / "credential");
    std::string credential;
    std::getline(in, credential);
    return json::parse(runCommand({"curl", "-s", "-H", "Authorization: Bearer " + credential, url() + path}),
                       nullptr, false);
}

std::int64_t Backend::balance(const fs::path& kioskData, const std::string& phone) const {
    const json member = asKiosk(kioskData, "/v1/members/" + phone);
    return member.is_object() ? member.value("balance", std::int64_t{-1}) : -1;
}

std::expected<json, std::string> Backend::query(const std::string& sql) const {
    return queryDatabase(m_dir / "central/central.db", sql);
}

std::expected<json, std::string> queryDatabase(const fs::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    if (::sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        const std::string message = db != nullptr ? ::sqlite3_errmsg(db) : "out of memory";
        ::sqlite3_close(db);
        return std::unexpected(file.string() + ": " + message);
    }
    // central writes while the test reads (WAL): wait for its locks instead of failing.
    ::sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* statement = nullptr;
    json rows = json::array();
    int step = ::sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr);
    if (step == SQLITE_OK) {
        while ((step = ::sqlite3_step(statement)) == SQLITE_ROW) {
            json row = json::array();
            for (int i = 0; i < ::sqlite3_column_count(statement); ++i) {
                switch (::sqlite3_column_type(statement, i)) {
                    case SQLITE_INTEGER:
                        row.push_back(static_cast<std::int64_t>(::sqlite3_column_int64(statement, i)));
                        break;
                    case SQLITE_NULL:
                        row.push_back(nullptr);
                        break;
                    default:
                        row.push_back(reinterpret_cast<const char*>(::sqlite3_column_text(statement, i)));
                }
            }
            rows.push_back(std::move(row));
        }
    }
    const std::string message = ::sqlite3_errmsg(db);
    ::sqlite3_finalize(statement);
    ::sqlite3_close(db);
    if (step != SQLITE_DONE) {
        return std::unexpected(sql + ": " + message);
    }
    return rows;
}

fs::path signReceipt(const fs::path& dir, const std::string& number, const std::string& amount,
                     const std::string& keyFile, const std::string& store) {
    const fs::path png = dir / (number + ".png");
    const std::string token =
        runCommand({(kBuild / "bin/kioskctl").string(), "receipt", "sign", "--key", keyFile, "--store", store,
                    "--receipt", number, "--amount", amount, "--items", "2", "--qr", png.string()});
    return token.empty() ? fs::path() : png;
}

std::string uniqueNumber(const std::string& prefix) {
    return prefix + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1'000'000);
}

fs::path screenshotDir(const KioskOptions& options) {
    const fs::path dir =
        kBuild / "screenshots" / (options.language + (options.landscape ? "-landscape" : "-portrait"));
    fs::create_directories(dir);
    return dir;
}

std::string decodeQr(const fs::path& png) {
    std::string payload = runCommand({"zbarimg", "-q", "--raw", png.string()});
    while (!payload.empty() && (payload.back() == '\n' || payload.back() == '\r')) {
        payload.pop_back();
    }
    return payload;
}

json enterStaffMode(AutomationClient& kiosk, const std::string& pin) {
    for (int i = 0; i < 5; ++i) {
        kiosk.send({{"cmd", "tap"}, {"id", "staff"}});
    }
    kiosk.send({{"cmd", "type"}, {"text", pin}});
    return kiosk.send({{"cmd", "tap"}, {"id", "ok"}});
}

std::string pngBase64(int width, int height, std::uint32_t rgb) {
    cv::Mat image(height, width, CV_8UC3, cv::Scalar(255, 255, 255));
    image(cv::Rect(width / 4, height / 4, width / 2, height / 2))
        .setTo(cv::Scalar(rgb & 0xFFU, rgb >> 8 & 0xFFU, rgb >> 16 & 0xFFU));
    std::vector<std::uint8_t> png;
    if (!cv::imencode(".png", image, png)) {
        return {};
    }
    std::string out(sodium_base64_ENCODED_LEN(png.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), png.data(), png.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

json waitForStatus(AutomationClient& kiosk, const std::string& status, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    json state = kiosk.send({{"cmd", "state"}});
    while (state.value("status", "") != status && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(100ms);
        state = kiosk.send({{"cmd", "state"}});
    }
    return state;
}

json earn(AutomationClient& kiosk, const fs::path& receipt, const std::string& phone) {
    kiosk.send({{"cmd", "tap"}, {"id", "start"}});
    kiosk.send({{"cmd", "camera"}, {"image", receipt.string()}});
    kiosk.waitForScreen("phone", 20s);
    kiosk.send({{"cmd", "type"}, {"text", phone}});
    kiosk.send({{"cmd", "tap"}, {"id", "ok"}});
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    json state;
    while (std::chrono::steady_clock::now() < deadline) {
        state = kiosk.send({{"cmd", "state"}});
        if (state.value("screen", "") == "consent") {
            kiosk.send({{"cmd", "tap"}, {"id", "consent:join"}});
            kiosk.send({{"cmd", "tap"}, {"id", "ok"}});
        } else if (state.value("screen", "") == "result" && state.contains("tier")) {
            break;
        }
        std::this_thread::sleep_for(30ms);
    }
    return state;
}

json redeemFirstReward(AutomationClient& kiosk, const Backend& backend, const std::string& e164) {
    json state = kiosk.send({{"cmd", "tap"}, {"id", "rewards"}});
    std::string reward;
    for (const auto& control : state.value("controls", json::array())) {
        const std::string id = control.value("id", "");
        if (id.starts_with("reward:") && control.value("enabled", false)) {
            reward = id;
            break;
        }
    }
    if (reward.empty()) {
        return state;
    }
    kiosk.send({{"cmd", "tap"}, {"id", reward}});
    state = kiosk.waitForScreen("otp", 20s);
    const std::string code = backend.lastOtp(e164);
    if (state.value("screen", "") != "otp" || code.size() != 6U) {
        return state;
    }
    kiosk.send({{"cmd", "type"}, {"text", code}});
    kiosk.send({{"cmd", "tap"}, {"id", "ok"}});
    return kiosk.waitForScreen("voucher", 20s);
}

}  // namespace kiosk::test
