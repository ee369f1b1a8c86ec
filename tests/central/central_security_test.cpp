// Issue 12's start-up and file findings against the real binaries: central refuses development
// secrets outside --demo (exit 78 naming the setting) and a database a --demo run left trusting the
// development key, the dev code + dev key mint fails on a production start, `kioskctl central init`
// writes a production config central accepts, files are 0600 / 0700 under umask 022, one-time codes
// are stored only as a keyed hash and their events pruned, and kioskctl keeps the admin token off
// argv, refuses plain http:// off this machine and revokes the kiosks of its load runs.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "central_harness.hpp"

namespace central_test {
namespace {

namespace fs = std::filesystem;

struct Run {
    int exit = -1;
    std::string out;
};

/// Runs a shell command to its end: exit code and stdout + stderr.
Run run(const std::string& command) {
    Run r;
    FILE* pipe = popen((command + " 2>&1; echo \"exit=$?\"").c_str(), "r");
    if (!pipe) return r;
    std::array<char, 512> buffer{};
    while (fgets(buffer.data(), static_cast<int>(buffer.size()), pipe)) r.out += buffer.data();
    pclose(pipe);
    const auto at = r.out.rfind("exit=");
    r.exit = std::stoi(r.out.substr(at + 5));
    r.out.resize(at);
    return r;
}

unsigned modeOf(const fs::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777u;
}

const std::string kCentral = KIOSK_BINARY_DIR "/bin/central";
const std::string kKioskctl = KIOSK_BINARY_DIR "/bin/kioskctl";

/// A fresh store key pair STORE.key / STORE.pub in `dir` (kioskctl keygen).
std::string newStoreKey(const TempDir& dir, const std::string& store) {
    const auto r = run(kKioskctl + " keygen --store " + store + " --out " + dir.path().string());
    EXPECT_EQ(r.exit, 0) << r.out;
    return dir.path().string() + "/" + store + ".pub";
}

TEST(CentralSecurity, DevelopmentDefaultsRefuseToStartWithoutDemo) {
    TempDir dir;
    const auto defaults = run(kCentral + " --listen 127.0.0.1:0 --data " + dir.path().string() + "/data");
    EXPECT_EQ(defaults.exit, 78) << defaults.out;
    EXPECT_NE(defaults.out.find("admin_token is not set"), std::string::npos) << defaults.out;
    EXPECT_NE(defaults.out.find("no [[stores]]"), std::string::npos) << defaults.out;
    EXPECT_NE(defaults.out.find("--demo"), std::string::npos) << defaults.out;
    EXPECT_FALSE(fs::exists(dir.path().string() + "/data")) << "nothing is written before the refusal";

    const auto shipped = run(kCentral +
                             " --config " KIOSK_SOURCE_DIR
                             "/assets/config/central.toml --listen "
                             "127.0.0.1:0 --data " +
                             dir.path().string() + "/data");
    EXPECT_EQ(shipped.exit, 78) << shipped.out;

    const auto pub = newStoreKey(dir, "S1");
    const auto write = [&](const std::string& toml) {
        std::ofstream(dir.path().string() + "/c.toml") << toml;
        return run(kCentral + " --config " + dir.path().string() + "/c.toml --listen 127.0.0.1:0 --data " +
                   dir.path().string() + "/data");
    };
    const std::string stores = "[[stores]]\nid = \"S1\"\npublic_key_file = \"" + pub + "\"\n";
    const auto devToken = write("admin_token = \"dev-admin-token\"\n" + stores);
    EXPECT_EQ(devToken.exit, 78);
    EXPECT_NE(devToken.out.find("published development token"), std::string::npos) << devToken.out;
    const auto shortToken = write("admin_token = \"x\"\n" + stores);
    EXPECT_EQ(shortToken.exit, 78);
    EXPECT_NE(shortToken.out.find("at least 32"), std::string::npos) << shortToken.out;
    const std::string token = std::string("admin_token = \"") + kProductionAdmin + "\"\n";
    const auto devCode = write(token + "[dev_enrollment]\ncode = \"DEV-ENROLL-0001\"\n" + stores);
    EXPECT_EQ(devCode.exit, 78);
    EXPECT_NE(devCode.out.find("dev_enrollment.code"), std::string::npos) << devCode.out;
    const auto devKey = write(token + "[[stores]]\nid = \"DEV001\"\npublic_key_file = \"" KIOSK_SOURCE_DIR
                                      "/assets/samples/DEV001.pub\"\n");
    EXPECT_EQ(devKey.exit, 78);
    EXPECT_NE(devKey.out.find("published development key of DEV001"), std::string::npos) << devKey.out;

    const auto demoOutside =
        run(kCentral + " --demo --listen 0.0.0.0:0 --data " + dir.path().string() + "/data");
    EXPECT_EQ(demoOutside.exit, 78);
    EXPECT_NE(demoOutside.out.find("loopback only"), std::string::npos) << demoOutside.out;
}

TEST(CentralSecurity, ABadHttpOptionRefusesTheStartNamingTheKey) {
    TempDir dir;
    const auto start = [&](const std::string& toml) {
        std::ofstream(dir.path().string() + "/c.toml") << toml;
        return run(kCentral + " --demo --config " + dir.path().string() +
                   "/c.toml --listen 127.0.0.1:0 --data " + dir.path().string() + "/data");
    };
    const std::vector<std::pair<std::string, std::string>> bad{
        {"[http]\nmax_connections = 0\n", "http.max_connections must be between 1 and"},
        {"[http]\nmax_connections = 10\nmax_connections_per_address = 11\n",
         "http.max_connections_per_address must be between 1 and 10"},
        {"[http]\nread_timeout_seconds = \"10\"\n", "http.read_timeout_seconds"},
        {"[http]\nevent_threads = 1\n", "http.event_threads must be between 2 and 64"},
        {"[http]\nheader_buffer_bytes = 100\n", "http.header_buffer_bytes"},
        {"[http]\nkeep_alive_timeout = 5\n", "http.keep_alive_timeout is not a known key"},
        {"[http]\ntrusted_proxies = [\"127.0.0.1:80\"]\n", "\"127.0.0.1:80\" is not an IPv4 or IPv6"},
        {"[http]\ntrusted_proxies = [\"proxy.internal\"]\n", "is not an IPv4 or IPv6"},
        {"[http]\ntrusted_proxies = \"127.0.0.1\"\n", "http.trusted_proxies must be an array"},
        {"http = 5\n", "http must be a table"}};
    for (const auto& [toml, message] : bad) {
        const auto r = start(toml);
        EXPECT_EQ(r.exit, 1) << toml << r.out;
        EXPECT_NE(r.out.find(message), std::string::npos) << toml << r.out;
        EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
        EXPECT_FALSE(fs::exists(dir.path().string() + "/data"))
            << "nothing is written before the refusal: " << toml;
    }
}

TEST(CentralSecurity, TheDevCodeAndDevKeyMintFailsOnAProductionStart) {
    TempDir keys;
    const auto pub = newStoreKey(keys, "S1");
    CentralProcess central(
        CentralProcess::Options{"", "", "[[stores]]\nid = \"S1\"\npublic_key_file = \"" + pub + "\"\n"},
        CentralProcess::Mode{false, ""});
    EXPECT_EQ(central.post("/v1/kiosks/enroll", "", Json{{"enrollment_code", "DEV-ENROLL-0001"}}).code(),
              "unauthorized");
    EXPECT_EQ(central.get("/v1/admin/kiosks", "dev-admin-token").code(), "unauthorized");
    // Even a kiosk enrolled properly cannot earn with receipts signed by the published DEV001 key.
    auto code = central.post("/v1/admin/enrollment-codes", kProductionAdmin,
                             Json{{"kiosk_id", "K-1"}, {"store", "S1"}});
    ASSERT_EQ(code.status, 200) << code.body.dump();
    auto kiosk =
        central.post("/v1/kiosks/enroll", "", Json{{"enrollment_code", code.body["enrollment_code"]}});
    ASSERT_EQ(kiosk.status, 200);
    auto minted = central.post("/v1/claims", kiosk.body["credential"].get<std::string>(),
                               claimBody(signReceipt("R-1", 250'000'000, now() - 60), "0901234567"));
    EXPECT_EQ(minted.status, 422) << minted.body.dump();
}

TEST(CentralSecurity, KioskctlCentralInitWritesAProductionConfigCentralAccepts) {
    TempDir dir;
    const auto pub = newStoreKey(dir, "S1");
    const auto init = run(kKioskctl + " central init --out " + dir.path().string() +
                          "/etc --store S1=" + pub + " --data-dir " + dir.path().string() + "/data");
    ASSERT_EQ(init.exit, 0) << init.out;
    EXPECT_EQ(modeOf(dir.path().string() + "/etc"), 0700u);
    EXPECT_EQ(modeOf(dir.path().string() + "/etc/central.toml"), 0600u);
    EXPECT_EQ(modeOf(dir.path().string() + "/etc/admin-token"), 0600u);
    EXPECT_NE(run(kKioskctl + " central init --out " + dir.path().string() + "/etc --store S1=" + pub).exit,
              0)
        << "never overwrites";
    CentralProcess central(CentralProcess::Options{"", dir.path().string() + "/data", ""},
                           CentralProcess::Mode{false, dir.path().string() + "/etc/central.toml"});
    std::string token;
    std::getline(std::ifstream(dir.path().string() + "/etc/admin-token"), token);
    EXPECT_GE(token.size(), 32u);
    EXPECT_EQ(central.get("/v1/admin/kiosks", token).status, 200);
    const auto viaFile =
        run(kKioskctl + " enroll-code --url http://127.0.0.1:" + std::to_string(central.port()) +
            " --admin-token-file " + dir.path().string() + "/etc/admin-token --kiosk K-1 --store S1");
    EXPECT_EQ(viaFile.exit, 0) << viaFile.out;
    EXPECT_TRUE(viaFile.out.starts_with("ENR-")) << viaFile.out;
}

TEST(CentralSecurity, AProductionStartRefusesADatabaseThatTrustsTheDevelopmentKey) {
    TempDir dir;
    const std::string data = dir.path().string() + "/data";
    {
        CentralProcess demo(CentralProcess::Options{"", data, ""});  // seeds DEV001 with the published key
        demo.stop();
    }
    const auto pub = newStoreKey(dir, "S1");
    const auto init = run(kKioskctl + " central init --out " + dir.path().string() +
                          "/etc --store S1=" + pub + " --data-dir " + data);
    ASSERT_EQ(init.exit, 0) << init.out;
    // A start that wrongly goes ahead is stopped (exit 124) rather than left serving.
    const auto production = run("timeout 20 " + kCentral + " --config " + dir.path().string() +
                                "/etc/central.toml --listen 127.0.0.1:0");
    EXPECT_EQ(production.exit, 78) << production.out;
    EXPECT_NE(production.out.find("the database trusts the published development key for store DEV001"),
              std::string::npos)
        << production.out;
}

TEST(CentralSecurity, FilesAreOwnerOnlyUnderUmask022AndOtpCodesAreNotAtRestInClear) {
    const auto previous = ::umask(022);
    CentralProcess central(CentralProcess::Options{});
    ::umask(previous);
    const auto kiosk = enrollDevKiosk(central);
    ASSERT_EQ(
        central.post("/v1/claims", kiosk, claimBody(signReceipt("R-F1", 250'000, now() - 60), "0901234567"))
            .status,
        200);
    const std::string db = central.dataDir() + "/central.db";
    // An event from long ago: pruned by the next code request.
    ASSERT_EQ(run("sqlite3 " + db +
                  " \"INSERT INTO otp_events (phone, kiosk_id, kind, at) VALUES ('+84900000000', "
                  "'K-OLD', 'request', 1000)\"")
                  .exit,
              0);
    ASSERT_EQ(central.post("/v1/otp", kiosk, Json{{"phone", "0901234567"}}).status, 200);
    const auto code = central.lastOtp("+84901234567");
    ASSERT_EQ(code.size(), 6u);

    EXPECT_EQ(modeOf(central.dataDir()), 0700u);
    for (const auto* file : {"central.db", "otp-outbox.jsonl", "voucher.key", "otp.key"})
        EXPECT_EQ(modeOf(central.dataDir() + "/" + file), 0600u) << file;
    for (const auto& entry : fs::directory_iterator(central.dataDir()))
        EXPECT_EQ(modeOf(entry.path()), 0600u) << entry.path();

    const auto stored = run("sqlite3 " + db + " \"SELECT code_hash FROM otp_codes\"");
    ASSERT_EQ(stored.exit, 0);
    ASSERT_EQ(stored.out.size(), 65u) << stored.out;  // 64 hex digits and a newline
    // Neither the code nor the old plain hash of it (SHA-256 of phone:code).
    const auto plain = run("printf '%s' '+84901234567:" + code + "' | sha256sum");
    EXPECT_EQ(stored.out.find(code), std::string::npos);
    EXPECT_NE(stored.out.substr(0, 64), plain.out.substr(0, 64));
    EXPECT_EQ(run("sqlite3 " + db + " \"SELECT COUNT(*) FROM otp_events WHERE at < 100000\"").out, "0\n");
}

TEST(CentralSecurity, KioskctlKeepsTheAdminTokenOffArgvAndOffPlainHttp) {
    const auto argv =
        run(kKioskctl + " enroll-code --url http://127.0.0.1:1 --admin-token x --kiosk K --store S");
    EXPECT_NE(argv.exit, 0);
    const auto none = run("env -u LOYALTY_ADMIN_TOKEN " + kKioskctl +
                          " enroll-code --url http://127.0.0.1:1 --kiosk K --store S");
    EXPECT_EQ(none.exit, 2);
    EXPECT_NE(none.out.find("LOYALTY_ADMIN_TOKEN"), std::string::npos) << none.out;
    const auto plain = run("LOYALTY_ADMIN_TOKEN=x " + kKioskctl +
                           " enroll-code --url http://central.example.com:8080 --kiosk K --store S");
    EXPECT_EQ(plain.exit, 2);
    EXPECT_NE(plain.out.find("https://"), std::string::npos) << plain.out;
}

TEST(CentralSecurity, KioskctlLoadRevokesItsKiosk) {
    CentralProcess central(CentralProcess::Options{});
    const auto load = run(std::string("LOYALTY_ADMIN_TOKEN=") + kAdmin + " " + kKioskctl +
                          " load --url http://127.0.0.1:" + std::to_string(central.port()) +
                          " --claims 5 --concurrency 1 --key " KIOSK_SOURCE_DIR "/assets/samples/DEV001.key");
    ASSERT_EQ(load.exit, 0) << load.out;
    auto kiosks = central.get("/v1/admin/kiosks", kAdmin);
    int loadKiosks = 0;
    for (const auto& k : kiosks.body["kiosks"]) {
        if (!k["kiosk_id"].get<std::string>().starts_with("LOAD-")) continue;
        ++loadKiosks;
        EXPECT_TRUE(k["revoked"].get<bool>()) << k.dump();
    }
    EXPECT_EQ(loadKiosks, 1) << kiosks.body.dump();
}

}  // namespace
}  // namespace central_test
