#include "kiosk_harness.hpp"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

namespace kiosk::test {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kSource = KIOSK_SOURCE_DIR;
const fs::path kBuild = KIOSK_BINARY_DIR;
const std::string kStaffPin = "2468";

KioskRun::KioskRun(const TempDir& dir, const KioskOptions& options)
    : m_dir(dir.path()),
      m_display(dir.path(), options.landscape ? 1920 : 1080, options.landscape ? 1080 : 1920) {
    const fs::path config = m_dir / "kiosk.toml";
    std::ofstream out(config);
    out << "[kiosk]\nid = \"K-DEV-01\"\nassets_dir = \"" << (kSource / "assets").string() << "\"\n"
        << "data_dir = \"" << (m_dir / "data").string() << "\"\nlanguage = \"" << options.language << "\"\n"
        << "[screen]\norientation = \"" << (options.landscape ? "landscape" : "portrait") << "\"\n"
        << "[central]\nurl = \"" << options.centralUrl << "\"\nenrollment_code = \"DEV-ENROLL-0001\"\n"
        << "[camera]\ndriver = \"virtual\"\ndevice = \"\"\nfps = 15\n"
        << "[printer]\ndriver = \"" << (options.printerAddress.empty() ? "none" : "escpos-tcp")
        << "\"\naddress = \"" << options.printerAddress << "\"\n"
        << "[timeouts]\nidle_seconds = 45\ncountdown_seconds = 10\n"
        << "[receipts]\nmax_age_days = 30\n"
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
    auto env = m_display.env();
    m_kiosk = std::make_unique<ChildProcess>(
        std::vector<std::string>{(kBuild / "bin/kiosk").string(), "--config", config.string(), "--automation",
                                 (m_dir / "kiosk.sock").string()},
        env, m_dir / "kiosk.log");
    m_client = std::make_unique<AutomationClient>(m_dir / "kiosk.sock", 20s);
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

Backend::Backend(const fs::path& dir) : m_dir(dir), m_centralPort(freePort()), m_printerPort(freePort()) {
    m_central =
        std::make_unique<ChildProcess>(std::vector<std::string>{(kBuild / "bin/central").string(), "--listen",
                                                                "127.0.0.1:" + std::to_string(m_centralPort),
                                                                "--data", (dir / "central").string()},
                                       std::vector<std::string>{}, dir / "central.log");
    m_printer = std::make_unique<ChildProcess>(
        std::vector<std::string>{(kBuild / "bin/kioskctl").string(), "printer", "serve", "--port",
                                 std::to_string(m_printerPort), "--out", (dir / "printed").string(),
                                 "--control", (dir / "printer.sock").string()},
        std::vector<std::string>{}, dir / "printer.log");
    m_ready = waitForPort(m_centralPort) && waitForPort(m_printerPort);
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
    return runCommand({"python3", "-c",
                       "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\n"
                       "s.sendall((sys.argv[2]+'\\n').encode())\nprint(s.makefile().readline().strip())",
                       (m_dir / "printer.sock").string(), command});
}

int Backend::consumeVoucher(const std::string& code) const {
    const std::string status =
        runCommand({"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H",
                    "Authorization: Bearer dev-admin-token", "-H", "Content-Type: application/json", "-d",
                    "{}", url() + "/v1/vouchers/" + code + "/consume"});
    return status.empty() ? 0 : std::stoi(status);
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
