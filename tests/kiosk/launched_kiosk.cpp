#include "launched_kiosk.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

namespace kiosk::test {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string firstLine(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

/// A bundle whose kiosk exits at start: a build that cannot run on the kiosk (here a script).
void brokenBundle(const fs::path& dir, const std::string& version, const fs::path& out) {
    const auto tree = dir / ("broken-" + version);
    fs::create_directories(tree / "usr/bin");
    std::ofstream(tree / "usr/bin/kiosk")
        << "#!/bin/sh\necho \"kiosk " << version << ": cannot start\" >&2\nexit 70\n";
    fs::permissions(tree / "usr/bin/kiosk",
                    fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add);
    std::ofstream(tree / "VERSION") << version << "\n";
    runCommand({"tar", "-czf", out.string(), "-C", tree.string(), "."});
}

}  // namespace

std::string newerThanBuild(int n) {
    int major = 0;
    int minor = 0;
    std::sscanf(KIOSK_BUILD_VERSION, "%d.%d", &major, &minor);
    return std::to_string(major) + "." + std::to_string(minor + n) + ".0";
}

ReleaseDesk::ReleaseDesk(const fs::path& dir, const central_test::CentralProcess& central)
    : m_dir(dir), m_central(central) {
    fs::create_directories(m_dir);
    runCommand({(kBuild / "bin/kioskctl").string(), "release", "keygen", "--out", m_dir.string()});
}

std::int64_t ReleaseDesk::publish(const std::string& version, bool broken) const {
    const auto bundle = m_dir / ("loyalty-kiosk_" + version + ".tar.gz");
    if (broken) {
        brokenBundle(m_dir, version, bundle);
    } else {
        runCommand({(kSource / "scripts/update-bundle").string(), version, bundle.string(),
                    (kBuild / "bin/kiosk").string()});
    }
    const auto kioskctl = (kBuild / "bin/kioskctl").string();
    runCommand({kioskctl, "release", "sign", bundle.string(), "--key", (m_dir / "release.key").string(),
                "--version", version, "--minimum-from", KIOSK_BUILD_VERSION});
    if (!fs::exists(bundle.string() + ".manifest")) return 0;
    const auto out = runCommand({"env", std::string("LOYALTY_ADMIN_TOKEN=") + central_test::kAdmin, kioskctl,
                                 "release", "publish", "--url",
                                 "http://127.0.0.1:" + std::to_string(m_central.port()), bundle.string()});
    const auto at = out.find("release_id=");
    return at == std::string::npos ? 0 : std::stoll(out.substr(at + 11));
}

std::int64_t ReleaseDesk::rollout(std::int64_t release, const std::vector<std::string>& kiosks) const {
    const json body{{"release_id", release},
                    {"kiosks", kiosks},
                    {"waves", {{{"kiosks", 1}, {"soak_s", 600}}, {{"percent", 100}}}},
                    {"error_percent", 0}};
    const auto r = m_central.post("/v1/admin/rollouts", central_test::kAdmin, body);
    return r.status == 200 ? r.body.value("rollout_id", std::int64_t{0}) : 0;
}

json ReleaseDesk::status(std::int64_t rollout) const {
    return m_central.get("/v1/admin/rollouts/" + std::to_string(rollout), central_test::kAdmin).body;
}

std::string ReleaseDesk::kioskState(const json& status, const std::string& kiosk) {
    if (!status.contains("kiosks")) return "absent";
    for (const auto& k : status["kiosks"])
        if (k.value("kiosk_id", "") == kiosk) return k.value("state", "");
    return "absent";
}

LaunchedKiosk::LaunchedKiosk(const central_test::CentralProcess& central, std::string id, fs::path dir,
                             const fs::path& releasePub, const VirtualDisplay& display,
                             const Options& options)
    : m_display(display), m_id(std::move(id)), m_dir(std::move(dir)) {
    fs::create_directories(m_dir);
    std::ofstream out(m_dir / "kiosk.toml");
    out << "[kiosk]\nid = \"" << m_id << "\"\nassets_dir = \"" << (kSource / "assets").string() << "\"\n"
        << "data_dir = \"" << (m_dir / "data").string() << "\"\nlanguage = \"vi\"\n"
        << "[screen]\norientation = \"portrait\"\n"
        << "[central]\nurl = \"http://127.0.0.1:" << central.port() << "\"\nenrollment_code = \""
        << central_test::newEnrollmentCode(central, m_id) << "\"\n"
        << "[camera]\ndriver = \"virtual\"\ndevice = \"" << options.cameraDevice << "\"\nfps = 15\n"
        << "[printer]\ndriver = \"" << (options.printerAddress.empty() ? "none" : "virtual")
        << "\"\naddress = \"" << options.printerAddress << "\"\n"
        << "[timeouts]\nidle_seconds = 45\ncountdown_seconds = 10\n"
        << "[receipts]\nmax_age_days = 30\n"
        << "[staff]\npin = \"" << kStaffPin << "\"\n"
        << "[[stores]]\nid = \"DEV001\"\npublic_key = \"" << (kSource / "assets/samples/DEV001.pub").string()
        << "\"\n"
        << "[update]\nrelease_key = \"" << releasePub.string() << "\"\nroot = \"" << updateRoot().string()
        << "\"\nchannel = \"stable\"\nquiet_minutes = " << options.quietMinutes
        << "\nhealth_deadline_seconds = 30\n";
    if (!options.maintenanceWindow.empty())
        out << "maintenance_window = \"" << options.maintenanceWindow << "\"\n";
    out.close();
    start();
}

LaunchedKiosk::~LaunchedKiosk() {
    m_client.reset();
    m_launcher.reset();  // SIGTERM: the launcher passes it on to the kiosk and waits for it
}

void LaunchedKiosk::start() {
    ++m_lives;
    m_client.reset();
    m_launcher = std::make_unique<ChildProcess>(
        // setsid: the launcher leads a process group of its own (as a unit's cgroup holds its processes),
        // so a power cut is one kill of the group.
        std::vector<std::string>{"setsid", (kBuild / "bin/kiosk-launcher").string(), "--config",
                                 (m_dir / "kiosk.toml").string(), "--kiosk", (kBuild / "bin/kiosk").string(),
                                 "--", "--automation", (m_dir / "kiosk.sock").string()},
        m_display.env(), m_dir / "kiosk.log");
}

bool LaunchedKiosk::supervise() {
    if (m_launcher && m_launcher->running()) {
        if (m_client && m_client->connected()) m_client->send(json{{"cmd", "state"}});
        return false;
    }
    std::this_thread::sleep_for(100ms);  // RestartSec, shortened
    start();
    return true;
}

bool LaunchedKiosk::advance(std::chrono::milliseconds by) {
    return client().send(json{{"cmd", "advance"}, {"ms", by.count()}}).value("ok", false);
}

AutomationClient& LaunchedKiosk::client() {
    if (!m_client || !m_client->connected()) {
        const ChildProcess* launcher = m_launcher.get();
        m_client = std::make_unique<AutomationClient>(m_dir / "kiosk.sock", 20s,
                                                      [launcher] { return launcher->alive(); });
    }
    return *m_client;
}

std::string LaunchedKiosk::installed() const {
    const auto current = updateRoot() / "current";
    return fs::exists(current) ? firstLine(current / "VERSION") : "package";
}

std::string LaunchedKiosk::phase() const {
    std::ifstream in(updateRoot() / "state");
    for (std::string line; std::getline(in, line);)
        if (line.starts_with("phase=")) return line.substr(6);
    return "";
}

pid_t LaunchedKiosk::kioskPid() const {
    const auto launcher = launcherPid();
    if (launcher <= 0) return -1;
    const auto self = std::to_string(launcher);
    pid_t child = -1;
    std::ifstream("/proc/" + self + "/task/" + self + "/children") >> child;
    return child > 0 ? child : -1;
}

std::string LaunchedKiosk::kioskExe() const {
    const auto pid = kioskPid();
    std::error_code ec;
    return pid > 0 ? fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec).string() : "";
}

void LaunchedKiosk::reap() {
    if (m_launcher) m_launcher->wait();
    m_launcher.reset();
    m_client.reset();
}

std::string LaunchedKiosk::log() const {
    std::ifstream in(m_dir / "kiosk.log");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace kiosk::test
