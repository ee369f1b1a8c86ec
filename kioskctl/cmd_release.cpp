// kioskctl release keygen | sign | verify | publish — head office's side of signed updates (docs/fleet.md).
// The release key is made and kept off central (on the release manager's machine): `sign` writes the
// manifest next to the bundle, `verify` runs every check the kiosk's update agent runs, so a release can
// be checked before it is published; `publish` uploads bundle and manifest to central, which stores
// them but could not have signed them.
//
// Exit codes: 0 success / the release applies; 1 the release was refused (verify); 2 bad input or a file
// that cannot be read or written.

#include <fmt/core.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "central_access.hpp"
#include "commands.hpp"
#include "hal/atomic_file.hpp"
#include "key_file.hpp"
#include "loyalty/release.hpp"
#include "loyalty/time.hpp"

namespace kioskctl {
namespace {

namespace fs = std::filesystem;

constexpr int kExitRefused = 1;
constexpr int kExitBadInput = 2;

int failBadInput(const std::string& message) {
    fmt::print(stderr, "kioskctl: {}\n", message);
    return kExitBadInput;
}

loyalty::UnixSeconds systemNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct FileDigest {
    std::uint64_t size = 0;
    std::string sha256;
};

/// Size and SHA-256 of `path`, read in 1 MiB pieces (a bundle can be hundreds of MB).
std::expected<FileDigest, std::string> digestFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::unexpected("cannot read " + path.string());
    loyalty::Sha256 hash;
    FileDigest digest;
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        hash.update(std::span(reinterpret_cast<const std::uint8_t*>(buffer.data()), got));
        digest.size += got;
    }
    if (in.bad()) return std::unexpected("cannot read " + path.string());
    digest.sha256 = hash.hexDigest();
    return digest;
}

struct KeygenOptions {
    std::string outDir;
};

int runKeygen(const KeygenOptions& o) {
    const auto written = writeKeyPair(
        o.outDir, "release",
        "Ed25519 RELEASE secret key of the chain. Keep it offline; never copy it to central or a kiosk.",
        "Ed25519 release public key: kiosks install only releases it verifies (release_key in kiosk.toml).");
    if (!written) return failBadInput(written.error());
    fmt::print("{}\n{}\n", written->first.string(), written->second.string());
    return 0;
}

struct SignOptions {
    std::string bundle;
    std::string keyFile;
    std::string package = "loyalty-kiosk";
    std::string version;
    std::string minimumFrom = "0.0.0";
    std::string channel = "stable";
    unsigned validDays = 30;
    std::optional<std::string> out;
};

/// The manifest's fields from the options and the bundle's bytes.
std::expected<loyalty::ReleaseManifest, std::string> manifestFor(const SignOptions& o) {
    loyalty::ReleaseManifest m;
    m.package = o.package;
    m.channel = o.channel;
    m.bundle = fs::path(o.bundle).filename().string();
    auto version = loyalty::parseReleaseVersion(o.version);
    if (!version) return std::unexpected("--version: " + version.error());
    m.version = *version;
    auto minimum = loyalty::parseReleaseVersion(o.minimumFrom);
    if (!minimum) return std::unexpected("--minimum-from: " + minimum.error());
    m.minimumFrom = *minimum;
    if (o.validDays == 0 || o.validDays > 366) return std::unexpected("--valid-days: 1 to 366");
    m.issuedAt = systemNow();
    m.expiresAt = m.issuedAt + static_cast<loyalty::UnixSeconds>(o.validDays) * loyalty::kSecondsPerDay;
    auto digest = digestFile(o.bundle);
    if (!digest) return std::unexpected(digest.error());
    m.size = digest->size;
    m.sha256 = digest->sha256;
    return m;
}

int runSign(const SignOptions& o) {
    const auto keys = readSecretKeyFile(o.keyFile);
    if (!keys) return failBadInput(keys.error());
    const auto manifest = manifestFor(o);
    if (!manifest) return failBadInput(manifest.error());
    std::string text;
    try {
        text = loyalty::signReleaseManifest(*manifest, *keys);
    } catch (const std::invalid_argument& e) {
        return failBadInput(e.what());
    }
    const fs::path out = o.out ? fs::path(*o.out) : fs::path(o.bundle + ".manifest");
    if (auto ok = hal::writeFileAtomically(out, text, 0644); !ok) return failBadInput(ok.error());
    fmt::print("{}\n", out.string());
    return 0;
}

struct VerifyOptions {
    std::string manifest;
    std::string pubkeyFile;
    std::optional<std::string> bundle;
    std::optional<std::string> running;
    std::optional<std::string> highest;
    std::string package = "loyalty-kiosk";
    std::string channel = "stable";
    std::optional<std::string> now;
};

/// The agent's checks after the signature: applies to this kiosk now, and the bundle is the one signed.
int checkAgainstKiosk(const VerifyOptions& o, const loyalty::ReleaseManifest& m) {
    loyalty::InstalledState installed{o.package, o.channel, {}, {}};
    if (o.running) {
        auto running = loyalty::parseReleaseVersion(*o.running);
        if (!running) return failBadInput("--running: " + running.error());
        installed.running = installed.highestInstalled = *running;
    }
    if (o.highest) {
        auto highest = loyalty::parseReleaseVersion(*o.highest);
        if (!highest) return failBadInput("--highest: " + highest.error());
        installed.highestInstalled = *highest;
    }
    auto now = systemNow();
    if (o.now) {
        const auto parsed = loyalty::parseIso8601(*o.now);
        if (!parsed)
            return failBadInput(fmt::format("--now \"{}\": {}", *o.now, loyalty::describe(parsed.error())));
        now = *parsed;
    }
    if (auto applies = loyalty::checkReleaseApplies(m, installed, now); !applies) {
        fmt::print(stderr, "refused: {} ({})\n", loyalty::describe(applies.error()),
                   loyalty::code(applies.error()));
        return kExitRefused;
    }
    if (o.bundle) {
        const auto digest = digestFile(*o.bundle);
        if (!digest) return failBadInput(digest.error());
        if (digest->size != m.size || digest->sha256 != m.sha256) {
            fmt::print(
                stderr,
                "refused: the bundle is not the one signed (size {} / {}, sha256 {}) (bundle_mismatch)\n",
                digest->size, m.size, digest->sha256);
            return kExitRefused;
        }
    }
    return 0;
}

int runVerify(const VerifyOptions& o) {
    const auto key = readPublicKeyFile(o.pubkeyFile);
    if (!key) return failBadInput(key.error());
    const auto text = readSmallFile(o.manifest, loyalty::kMaxManifestBytes);
    if (!text) return failBadInput(text.error());
    const auto manifest = loyalty::verifyReleaseManifest(*text, *key);
    if (!manifest) {
        fmt::print(stderr, "refused: {}: {}\n", loyalty::describe(manifest.error().error),
                   manifest.error().detail);
        return kExitRefused;
    }
    if (const int refused = checkAgainstKiosk(o, *manifest); refused != 0) return refused;
    fmt::print("release {} {} for channel {}: signature{} ok\n", manifest->package,
               loyalty::formatReleaseVersion(manifest->version), manifest->channel,
               o.bundle ? ", size and sha256" : "");
    fmt::print("bundle:   {} ({} bytes)\n", manifest->bundle, manifest->size);
    fmt::print("expires:  {}\n", loyalty::formatIso8601(manifest->expiresAt));
    return 0;
}

struct PublishOptions {
    std::string bundle;
    std::string manifest;  ///< default BUNDLE.manifest
    CentralAccess access;
};

/// Central's answer as "HTTP 409 release_bundle_mismatch", or why there was none.
std::string describeAnswer(const httplib::Result& r) {
    if (!r) return "central unreachable: " + httplib::to_string(r.error());
    const auto body = nlohmann::json::parse(r->body, nullptr, false);
    const auto code =
        body.is_object() ? body.value("/error/code"_json_pointer, std::string()) : std::string();
    return "HTTP " + std::to_string(r->status) + " " + code;
}

/// Uploads the bundle in central's chunks (256 KiB, each under its body cap), then the manifest.
int runPublish(const PublishOptions& o) {
    const fs::path manifestPath = o.manifest.empty() ? o.bundle + ".manifest" : o.manifest;
    auto text = readSmallFile(manifestPath, loyalty::kMaxManifestBytes);
    if (!text) return failBadInput(text.error());
    auto manifest = loyalty::readUnverifiedReleaseManifest(*text);
    if (!manifest) return failBadInput(manifestPath.string() + ": " + manifest.error().detail);
    auto url = checkedCentralUrl(o.access.url);
    if (!url) return failBadInput(url.error());
    auto token = readAdminToken(o.access);
    if (!token) return failBadInput(token.error());
    std::ifstream in(o.bundle, std::ios::binary);
    if (!in) return failBadInput("cannot read " + o.bundle);
    httplib::Client client(*url);
    client.set_connection_timeout(5);
    client.set_read_timeout(60);
    const httplib::Headers auth{{"Authorization", "Bearer " + *token}};
    std::string chunk(256 * 1024, '\0');
    for (int index = 0; in; ++index) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0) break;
        const auto r =
            client.Put("/v1/admin/bundles/" + manifest->sha256 + "/chunks/" + std::to_string(index), auth,
                       chunk.data(), got, "application/octet-stream");
        if (!r || r->status != 200) {
            fmt::print(stderr, "kioskctl: chunk {} refused: {}\n", index, describeAnswer(r));
            return kExitRefused;
        }
    }
    const auto r = client.Post("/v1/admin/releases", auth, nlohmann::json{{"manifest", *text}}.dump(),
                               "application/json");
    if (!r || r->status != 200) {
        fmt::print(stderr, "kioskctl: release refused: {}\n", describeAnswer(r));
        return kExitRefused;
    }
    const auto body = nlohmann::json::parse(r->body, nullptr, false);
    fmt::print("release_id={} version={} channel={}\n", body.value("release_id", 0),
               body.value("version", ""), body.value("channel", ""));
    return 0;
}

void addPublish(CLI::App& release, int& exitCode) {
    auto o = std::make_shared<PublishOptions>();
    CLI::App* publish =
        release.add_subcommand("publish", "Upload a signed release (bundle + manifest) to central");
    publish->add_option("bundle", o->bundle, "The bundle")->required()->check(CLI::ExistingFile);
    publish->add_option("--manifest", o->manifest, "Its signed manifest (default BUNDLE.manifest)");
    addCentralAccessOptions(*publish, o->access);
    publish->callback([o, &exitCode] { exitCode = runPublish(*o); });
}

void addSign(CLI::App& release, int& exitCode) {
    auto o = std::make_shared<SignOptions>();
    CLI::App* sign =
        release.add_subcommand("sign", "Write the signed manifest of a bundle (BUNDLE.manifest)");
    sign->add_option("bundle", o->bundle, "The bundle (.deb)")->required()->check(CLI::ExistingFile);
    sign->add_option("--key", o->keyFile, "The release secret key file (release keygen)")->required();
    sign->add_option("--version", o->version, "The bundle's version MAJOR.MINOR.PATCH")->required();
    sign->add_option("--minimum-from", o->minimumFrom,
                     "Oldest version that may update to it (default 0.0.0)");
    sign->add_option("--package", o->package, "Package name (default loyalty-kiosk)");
    sign->add_option("--channel", o->channel, "Channel (default stable)");
    sign->add_option("--valid-days", o->validDays, "Days until the manifest expires (default 30)");
    sign->add_option("--out", o->out, "Manifest file (default BUNDLE.manifest)");
    sign->callback([o, &exitCode] { exitCode = runSign(*o); });
}

void addVerify(CLI::App& release, int& exitCode) {
    auto o = std::make_shared<VerifyOptions>();
    CLI::App* verify =
        release.add_subcommand("verify", "Run a kiosk's checks on a manifest (and its bundle)");
    verify->add_option("manifest", o->manifest, "The manifest file")->required();
    verify->add_option("--pubkey", o->pubkeyFile, "The release public key file")->required();
    verify->add_option("--bundle", o->bundle, "Also check this bundle's size and sha256");
    verify->add_option("--running", o->running, "The kiosk's running version (default 0.0.0)");
    verify->add_option("--highest", o->highest, "The highest version it ever installed (default --running)");
    verify->add_option("--package", o->package, "The kiosk's package (default loyalty-kiosk)");
    verify->add_option("--channel", o->channel, "The kiosk's channel (default stable)");
    verify->add_option("--now", o->now, "Judge expiry at this ISO 8601 time (default: now)");
    verify->callback([o, &exitCode] { exitCode = runVerify(*o); });
}

}  // namespace

void addReleaseCommands(CLI::App& app, int& exitCode) {
    CLI::App* release = app.add_subcommand("release", "Sign and check fleet update releases");
    release->require_subcommand(1);
    auto keygenOptions = std::make_shared<KeygenOptions>();
    CLI::App* keygen =
        release->add_subcommand("keygen", "Create the chain's release key pair (release.key, release.pub)");
    keygen->add_option("--out", keygenOptions->outDir, "Directory for release.key (0600) and release.pub")
        ->required();
    keygen->callback([keygenOptions, &exitCode] { exitCode = runKeygen(*keygenOptions); });
    addSign(*release, exitCode);
    addVerify(*release, exitCode);
    addPublish(*release, exitCode);
}

}  // namespace kioskctl
