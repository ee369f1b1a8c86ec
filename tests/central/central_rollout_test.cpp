// Releases and rollouts on the real central (docs/fleet.md): a bundle uploaded in chunks and published
// with its signed manifest, downloaded by a kiosk in ranges; waves that advance on success and soak
// time (central's clock moved by the demo route), halt at the error threshold, pause, resume, abort,
// and every step in the rollout's audit.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>

#include "central_harness.hpp"
#include "loyalty/release.hpp"

namespace central_test {
namespace {

constexpr std::size_t kChunk = 256 * 1024;

std::string makeBundle(std::size_t size, char seed) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<char>((i * 131 + static_cast<std::size_t>(seed)) % 251);
    return bytes;
}

std::string sha256Of(const std::string& bytes) {
    loyalty::Sha256 hash;
    hash.update(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    return hash.hexDigest();
}

std::string manifestFor(const std::string& bytes, const std::string& version,
                        const loyalty::SigningKeyPair& key, const std::string& sha256 = "") {
    loyalty::ReleaseManifest m;
    m.package = "loyalty-kiosk";
    m.version = *loyalty::parseReleaseVersion(version);
    m.minimumFrom = *loyalty::parseReleaseVersion("0.1.0");
    m.channel = "stable";
    m.bundle = "loyalty-kiosk_" + version + "_amd64.deb";
    m.size = bytes.size();
    m.sha256 = sha256.empty() ? sha256Of(bytes) : sha256;
    m.issuedAt = now();
    m.expiresAt = now() + 30 * 86'400;
    return loyalty::signReleaseManifest(m, key);
}

void upload(const CentralProcess& central, const std::string& bytes, const std::string& sha256) {
    for (std::size_t i = 0; i * kChunk < bytes.size(); ++i) {
        const auto r = central.request("PUT", "/v1/admin/bundles/" + sha256 + "/chunks/" + std::to_string(i),
                                       kAdmin, bytes.substr(i * kChunk, kChunk), "application/octet-stream");
        ASSERT_EQ(r.status, 200) << r.body.dump();
    }
}

std::int64_t publish(const CentralProcess& central, const std::string& version,
                     const loyalty::SigningKeyPair& key) {
    const auto bytes = makeBundle(300'000, version.back());
    upload(central, bytes, sha256Of(bytes));
    const auto r =
        central.post("/v1/admin/releases", kAdmin, Json{{"manifest", manifestFor(bytes, version, key)}});
    EXPECT_EQ(r.status, 200) << r.body.dump();
    return r.body.value("release_id", std::int64_t{0});
}

Json heartbeat(const CentralProcess& central, const std::string& kiosk, const std::string& credential,
               const Json& update = nullptr, const std::string& version = "1.0.0") {
    Json body{{"version", version}};
    if (!update.is_null()) body["update"] = update;
    const auto r = central.post("/v1/kiosks/" + kiosk + "/heartbeat", credential, body);
    EXPECT_EQ(r.status, 200) << r.body.dump();
    return r.body["update"];
}

void advance(const CentralProcess& central, int seconds) {
    ASSERT_EQ(central.post("/v1/admin/clock/advance", kAdmin, Json{{"seconds", seconds}}).status, 200);
}

bool audited(const Json& rollout, const std::string& action) {
    const auto& audit = rollout["audit"];
    return std::any_of(audit.begin(), audit.end(), [&](const Json& e) { return e["action"] == action; });
}

std::string run(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return out;
    std::array<char, 512> buffer{};
    while (fgets(buffer.data(), static_cast<int>(buffer.size()), pipe)) out += buffer.data();
    pclose(pipe);
    return out;
}

TEST(CentralRollouts, KioskctlPublishUploadsASignedReleaseAndATamperedOneIsRefused) {
    CentralProcess central(CentralProcess::Options{});
    TempDir dir;
    const std::string kioskctl = KIOSK_BINARY_DIR "/bin/kioskctl ";
    const auto bundle = dir.path().string() + "/kiosk.tar";
    std::ofstream(bundle, std::ios::binary) << makeBundle(700'000, 'k');
    ASSERT_NE(
        run(kioskctl + "release keygen --out " + dir.path().string() + " 2>&1; echo exit=$?").find("exit=0"),
        std::string::npos);
    ASSERT_NE(run(kioskctl + "release sign " + bundle + " --key " + dir.path().string() +
                  "/release.key --version 1.4.0 2>&1; "
                  "echo exit=$?")
                  .find("exit=0"),
              std::string::npos);
    const std::string publish = std::string("LOYALTY_ADMIN_TOKEN=") + kAdmin + " " + kioskctl +
                                "release publish --url http://127.0.0.1:" + std::to_string(central.port()) +
                                " " + bundle + " 2>&1; echo exit=$?";
    const auto out = run(publish);
    EXPECT_NE(out.find("version=1.4.0"), std::string::npos) << out;
    EXPECT_NE(out.find("exit=0"), std::string::npos) << out;
    const auto listed = central.get("/v1/admin/releases", kAdmin);
    ASSERT_EQ(listed.body["releases"].size(), 1u) << listed.body.dump();
    EXPECT_EQ(listed.body["releases"][0]["size"], 700'000);
    // The bundle altered after signing: central will not publish bytes that are not the manifest's.
    std::fstream(bundle, std::ios::binary | std::ios::in | std::ios::out).seekp(5000).put('X');
    const auto tampered = run(publish);
    EXPECT_NE(tampered.find("release_bundle_mismatch"), std::string::npos) << tampered;
    EXPECT_NE(tampered.find("exit=1"), std::string::npos) << tampered;
}

TEST(CentralRollouts, APublishedBundleIsCheckedWholeAndDownloadsInRanges) {
    CentralProcess central(CentralProcess::Options{});
    const auto key = loyalty::SigningKeyPair::generate();
    const auto bytes = makeBundle(600'000, 'a');
    const auto manifest = manifestFor(bytes, "1.1.0", key);
    EXPECT_EQ(central.post("/v1/admin/releases", kAdmin, Json{{"manifest", manifest}}).code(),
              "release_bundle_incomplete");
    // Other bytes under this sha256: every chunk there, but they do not hash to it.
    const auto other = makeBundle(600'000, 'b');
    upload(central, other, sha256Of(bytes));
    EXPECT_EQ(central.post("/v1/admin/releases", kAdmin, Json{{"manifest", manifest}}).code(),
              "release_bundle_mismatch");
    upload(central, bytes, sha256Of(bytes));
    const auto kiosk = enrollKiosk(central, "K-R1");
    EXPECT_EQ(central.post("/v1/admin/releases", kiosk, Json{{"manifest", manifest}}).code(), "forbidden");
    EXPECT_EQ(
        central.post("/v1/admin/releases", kAdmin, Json{{"manifest", "LOYALTY-KIOSK RELEASE 1\n"}}).code(),
        "invalid_field");
    const auto published = central.post("/v1/admin/releases", kAdmin, Json{{"manifest", manifest}});
    ASSERT_EQ(published.status, 200) << published.body.dump();
    EXPECT_EQ(published.body["version"], "1.1.0");
    const auto id = std::to_string(published.body["release_id"].get<std::int64_t>());

    httplib::Client client("127.0.0.1", central.port());
    const httplib::Headers auth{{"Authorization", "Bearer " + kiosk}};
    const auto text = client.Get("/v1/releases/" + id + "/manifest", auth);
    ASSERT_TRUE(text);
    EXPECT_EQ(text->body, manifest);
    // A download resumed where it stopped: each answer holds at most a chunk and says which bytes.
    std::string downloaded;
    for (int requests = 0; downloaded.size() < bytes.size() && requests < 10; ++requests) {
        auto headers = auth;
        headers.emplace("Range", "bytes=" + std::to_string(downloaded.size()) + "-");
        const auto part = client.Get("/v1/releases/" + id + "/bundle", headers);
        ASSERT_TRUE(part);
        ASSERT_EQ(part->status, 206);
        EXPECT_EQ(part->get_header_value("Content-Range"),
                  "bytes " + std::to_string(downloaded.size()) + "-" +
                      std::to_string(downloaded.size() + part->body.size() - 1) + "/600000");
        downloaded += part->body;
    }
    EXPECT_EQ(downloaded, bytes);
    auto past = auth;
    past.emplace("Range", "bytes=600000-");
    EXPECT_EQ(client.Get("/v1/releases/" + id + "/bundle", past)->status, 416);
    auto bounded = auth;
    bounded.emplace("Range", "bytes=10-19");
    EXPECT_EQ(client.Get("/v1/releases/" + id + "/bundle", bounded)->body, bytes.substr(10, 10));
    EXPECT_EQ(client.Get("/v1/releases/" + id + "/bundle")->status, 401);
}

TEST(CentralRollouts, WavesAdvanceOnSuccessAfterTheirSoakTimeAndEveryStepIsAudited) {
    CentralProcess central(CentralProcess::Options{});
    const auto key = loyalty::SigningKeyPair::generate();
    const auto release = publish(central, "1.1.0", key);
    const std::vector<std::string> ids{"K-R1", "K-R2", "K-R3"};
    std::vector<std::string> credentials;
    for (const auto& id : ids) credentials.push_back(enrollKiosk(central, id));
    const auto created = central.post(
        "/v1/admin/rollouts", kAdmin,
        Json{{"release_id", release},
             {"kiosks", ids},
             {"waves", Json::array({Json{{"kiosks", 1}, {"soak_s", 600}},
                                    Json{{"percent", 50}, {"soak_s", 600}}, Json{{"percent", 100}}})}});
    ASSERT_EQ(created.status, 200) << created.body.dump();
    EXPECT_EQ(created.body["waves"].size(), 3u);
    const auto rollout =
        "/v1/admin/rollouts/" + std::to_string(created.body["rollout_id"].get<std::int64_t>());

    const auto offer = heartbeat(central, ids[0], credentials[0]);
    ASSERT_TRUE(offer.is_object()) << offer.dump();
    EXPECT_EQ(offer["version"], "1.1.0");
    EXPECT_EQ(offer["bundle_url"], "/v1/releases/" + std::to_string(release) + "/bundle");
    EXPECT_TRUE(heartbeat(central, ids[1], credentials[1]).is_null());
    // Healthy on the new version, but the first wave soaks 10 minutes before the next one starts.
    EXPECT_TRUE(heartbeat(central, ids[0], credentials[0],
                          Json{{"release_id", release}, {"state", "healthy"}}, "1.1.0")
                    .is_null());
    EXPECT_TRUE(heartbeat(central, ids[1], credentials[1]).is_null());
    EXPECT_EQ(central.get(rollout, kAdmin).body["wave"], 1);
    advance(central, 601);
    EXPECT_TRUE(heartbeat(central, ids[1], credentials[1]).is_object());
    EXPECT_TRUE(heartbeat(central, ids[2], credentials[2]).is_null());
    heartbeat(central, ids[1], credentials[1], Json{{"release_id", release}, {"state", "healthy"}}, "1.1.0");
    advance(central, 601);
    EXPECT_TRUE(heartbeat(central, ids[2], credentials[2]).is_object());
    heartbeat(central, ids[2], credentials[2], Json{{"release_id", release}, {"state", "healthy"}}, "1.1.0");
    const auto done = central.get(rollout, kAdmin).body;
    EXPECT_EQ(done["state"], "done") << done.dump();
    EXPECT_TRUE(audited(done, "created"));
    EXPECT_TRUE(audited(done, "advanced"));
    EXPECT_TRUE(audited(done, "kiosk_succeeded"));
    EXPECT_TRUE(audited(done, "done"));
    for (const auto& wave : done["waves"]) EXPECT_EQ(wave["succeeded"], 1) << done.dump();
}

TEST(CentralRollouts, AFailureOverTheErrorThresholdHaltsAndNoOtherKioskIsOffered) {
    CentralProcess central(CentralProcess::Options{});
    const auto key = loyalty::SigningKeyPair::generate();
    const auto release = publish(central, "1.2.0", key);
    const auto k1 = enrollKiosk(central, "K-H1");
    const auto k2 = enrollKiosk(central, "K-H2");
    const auto created =
        central.post("/v1/admin/rollouts", kAdmin,
                     Json{{"release_id", release},
                          {"stores", Json::array({"DEV001"})},
                          {"waves", Json::array({Json{{"kiosks", 1}}, Json{{"percent", 100}}})}});
    ASSERT_EQ(created.status, 200) << created.body.dump();
    const auto rollout =
        "/v1/admin/rollouts/" + std::to_string(created.body["rollout_id"].get<std::int64_t>());
    ASSERT_TRUE(heartbeat(central, "K-H1", k1).is_object());
    heartbeat(central, "K-H1", k1,
              Json{{"release_id", release}, {"state", "failed"}, {"error", "health gate: no first frame"}});
    const auto halted = central.get(rollout, kAdmin).body;
    EXPECT_EQ(halted["state"], "halted") << halted.dump();
    EXPECT_EQ(halted["kiosks"][0]["detail"], "health gate: no first frame");
    EXPECT_TRUE(audited(halted, "kiosk_failed"));
    EXPECT_TRUE(audited(halted, "halted"));
    advance(central, 3600);
    EXPECT_TRUE(heartbeat(central, "K-H2", k2).is_null());
    EXPECT_EQ(central.post(rollout + "/resume", kAdmin, Json::object()).code(), "rollout_state");
}

TEST(CentralRollouts, AdminPausesResumesAndAbortsARollout) {
    CentralProcess central(CentralProcess::Options{});
    const auto key = loyalty::SigningKeyPair::generate();
    const auto release = publish(central, "1.3.0", key);
    const auto k1 = enrollKiosk(central, "K-P1");
    const auto created = central.post("/v1/admin/rollouts", kAdmin,
                                      Json{{"release_id", release},
                                           {"kiosks", Json::array({"K-P1"})},
                                           {"waves", Json::array({Json{{"percent", 100}}})}});
    ASSERT_EQ(created.status, 200) << created.body.dump();
    const auto rollout =
        "/v1/admin/rollouts/" + std::to_string(created.body["rollout_id"].get<std::int64_t>());
    EXPECT_EQ(central.post(rollout + "/pause", k1, Json::object()).code(), "forbidden");
    EXPECT_EQ(central.post(rollout + "/pause", kAdmin, Json::object()).body["state"], "paused");
    EXPECT_TRUE(heartbeat(central, "K-P1", k1).is_null());
    EXPECT_EQ(central.post(rollout + "/resume", kAdmin, Json::object()).body["state"], "running");
    EXPECT_TRUE(heartbeat(central, "K-P1", k1).is_object());
    const auto aborted = central.post(rollout + "/abort", kAdmin, Json::object());
    EXPECT_EQ(aborted.body["state"], "aborted");
    EXPECT_TRUE(heartbeat(central, "K-P1", k1).is_null());
    EXPECT_EQ(central.post(rollout + "/pause", kAdmin, Json::object()).code(), "rollout_state");
    for (const auto* action : {"created", "pause", "resume", "abort"})
        EXPECT_TRUE(audited(aborted.body, action)) << action;
    EXPECT_EQ(central
                  .post("/v1/admin/rollouts", kAdmin,
                        Json{{"release_id", release},
                             {"waves", Json::array({Json{{"kiosks", 1}, {"percent", 5}}})}})
                  .code(),
              "invalid_field");
}

}  // namespace
}  // namespace central_test
