#pragma once
// Releases for the update agent's tests on the real central (tests/central's harness): a tar bundle
// holding VERSION (and, for a broken build, BROKEN), signed with a test release key, uploaded in
// chunks and published; a kiosk enrolled with its client.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "central_harness.hpp"
#include "loyalty/release.hpp"
#include "network/central_client.hpp"
#include "read_file.hpp"

namespace update_test {

using central_test::CentralProcess;
using central_test::Json;
using central_test::kAdmin;

using test_support::readFile;

inline std::string sha256Of(const std::string& bytes) {
    loyalty::Sha256 hash;
    hash.update(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    return hash.hexDigest();
}

/// A tar bundle with VERSION = `version`, `padding` bytes of noise (so it spans several ranges) and,
/// when `broken`, a BROKEN marker (the test's app then never draws a frame).
inline std::string tarBundle(const std::filesystem::path& work, const std::string& version, bool broken,
                             std::size_t padding = 600'000) {
    const auto src = work / ("src-" + version);
    std::filesystem::create_directories(src);
    std::ofstream(src / "VERSION") << version;
    std::string noise(padding, '\0');
    for (std::size_t i = 0; i < padding; ++i) noise[i] = static_cast<char>((i * 7919 + version.size()) % 251);
    std::ofstream(src / "payload.bin", std::ios::binary) << noise;
    if (broken) std::ofstream(src / "BROKEN") << "exits at start\n";
    const auto tar = work / ("bundle-" + version + ".tar");
    const auto cmd = "tar -cf " + tar.string() + " -C " + src.string() + " .";
    if (std::system(cmd.c_str()) != 0) return {};
    return readFile(tar);
}

inline std::string signedManifest(const std::string& bytes, const std::string& version,
                                  const loyalty::SigningKeyPair& key, loyalty::UnixSeconds expires = 0) {
    loyalty::ReleaseManifest m;
    m.package = "loyalty-kiosk";
    m.version = *loyalty::parseReleaseVersion(version);
    m.minimumFrom = *loyalty::parseReleaseVersion("0.1.0");
    m.channel = "stable";
    m.bundle = "loyalty-kiosk_" + version + ".tar";
    m.size = bytes.size();
    m.sha256 = sha256Of(bytes);
    m.issuedAt = expires != 0 ? expires - 86'400 : central_test::now() - 60;
    m.expiresAt = expires != 0 ? expires : central_test::now() + 30 * 86'400;
    return loyalty::signReleaseManifest(m, key);
}

/// Uploads the bundle in central's 256 KiB chunks and publishes the manifest; the release id (0 and a
/// test failure if central refuses).
inline std::int64_t publish(const CentralProcess& central, const std::string& bytes,
                            const std::string& manifest) {
    constexpr std::size_t kChunk = 256 * 1024;
    const auto sha = sha256Of(bytes);
    for (std::size_t i = 0; i * kChunk < bytes.size(); ++i) {
        const auto r = central.request("PUT", "/v1/admin/bundles/" + sha + "/chunks/" + std::to_string(i),
                                       kAdmin, bytes.substr(i * kChunk, kChunk), "application/octet-stream");
        EXPECT_EQ(r.status, 200) << r.body.dump();
    }
    const auto r = central.post("/v1/admin/releases", kAdmin, Json{{"manifest", manifest}});
    EXPECT_EQ(r.status, 200) << r.body.dump();
    return r.body.value("release_id", std::int64_t{0});
}

inline net::CentralClient clientFor(const CentralProcess& central, const std::string& kioskId,
                                    const std::string& credential) {
    net::ClientConfig config;
    config.baseUrl = "http://127.0.0.1:" + std::to_string(central.port());
    config.kioskId = kioskId;
    config.credential = credential;
    config.requestTimeout = std::chrono::milliseconds(5'000);
    auto client = net::CentralClient::create(config);
    if (!client) throw std::runtime_error(client.error().message);
    return std::move(*client);
}

}  // namespace update_test
