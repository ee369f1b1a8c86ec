#include "config.hpp"

#include <toml++/toml.h>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "hal/camera_controls.hpp"
#include "kiosk/sync/sync_worker.hpp"
#include "loyalty/signing.hpp"
#include "loyalty/toml_fields.hpp"

namespace kiosk {
namespace {

std::expected<std::string, std::string> readFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return std::unexpected("cannot read " + file.string());
    }
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& path) {
    if (path.empty()) {
        return {};
    }
    const std::filesystem::path p(path);
    auto resolved = p.is_absolute() ? p : (base / p).lexically_normal();
    // "a/b/.." normalises to "a/": drop the trailing separator so paths compare and print cleanly.
    return resolved.has_filename() ? resolved : resolved.parent_path();
}

/// The values read as TOML types before they are checked and turned into KioskConfig's types.
struct RawFields {
    std::string orientation = "portrait";
    std::string renderer = "software";
    std::string assets = "..";
    std::string data = "/var/lib/loyalty-kiosk";
    std::string socket;
    std::int64_t idleSeconds = 45;
    std::int64_t countdownSeconds = 10;
    std::int64_t receiptDays = 30;
    std::string cameraDevice;
    std::string cameraFormat = "MJPG";
    std::string releaseKey;
    std::string updateRoot;
    std::int64_t quietMinutes = 10;
    std::int64_t healthDeadlineSeconds = 300;
    std::string maintenanceWindow;
};

/// kiosk.toml's keys, one loyalty::TomlFields per [section] (an absent section keeps every default);
/// the first error found, or nothing.
std::optional<std::string> readFields(const toml::table& t, KioskConfig& c, RawFields& raw) {
    static const toml::table kAbsent;
    loyalty::TomlFields root(t, "");
    auto section = [&](std::string_view name) {
        const toml::table* table = root.optionalTable(name);
        return loyalty::TomlFields(table != nullptr ? *table : kAbsent, std::string(name));
    };
    auto kiosk = section("kiosk");
    kiosk.read("id", c.kioskId);
    kiosk.read("credential", c.credential);
    kiosk.read("language", c.language);
    kiosk.read("assets_dir", raw.assets);
    kiosk.read("data_dir", raw.data);
    kiosk.read("automation_socket", raw.socket);
    auto screen = section("screen");
    screen.read("orientation", raw.orientation);
    screen.read("fullscreen", c.fullscreen);
    screen.read("renderer", raw.renderer);
    screen.read("camera_at", c.cameraAt);
    auto sound = section("sound");
    sound.read("chime_volume", c.chimeVolume, 0, 100);
    auto central = section("central");
    central.read("url", c.centralUrl);
    central.read("ca_file", c.centralCaFile);
    central.read("enrollment_code", c.enrollmentCode);
    auto camera = section("camera");
    camera.read("driver", c.camera.driver);
    camera.read("device", raw.cameraDevice);
    camera.read("width", c.camera.width, 16, 8192);
    camera.read("height", c.camera.height, 16, 8192);
    camera.read("fps", c.camera.fps, 1, 120);
    camera.read("realtime", c.camera.realtime);
    camera.read("format", raw.cameraFormat);
    if (auto exposure = camera.optionalNumber("exposure_ms")) {
        c.camera.exposureMs = *exposure;  // its range is hal::checkCameraControls'
    }
    if (auto focus = camera.optionalInteger("focus", 0, hal::kMaxFocusPosition)) {
        c.camera.focus = static_cast<int>(*focus);
    }
    auto printer = section("printer");
    printer.read("driver", c.printerDriver);
    printer.read("address", c.printerAddress);
    auto timeouts = section("timeouts");
    timeouts.read("idle_seconds", raw.idleSeconds, 10, 3600);
    timeouts.read("countdown_seconds", raw.countdownSeconds, 0, 3599);
    auto receipts = section("receipts");
    receipts.read("max_age_days", raw.receiptDays, 1, 3650);
    auto consent = section("consent");
    consent.read("text_version", c.consentTextVersion);
    auto staff = section("staff");
    staff.read("pin", c.staffPin);
    auto update = section("update");
    update.read("release_key", raw.releaseKey);
    update.read("root", raw.updateRoot);
    update.read("channel", c.update.channel);
    update.read("quiet_minutes", raw.quietMinutes, 1, 1440);
    update.read("health_deadline_seconds", raw.healthDeadlineSeconds, 30, 3600);
    update.read("maintenance_window", raw.maintenanceWindow);
    for (const auto* fields : {&root, &kiosk, &screen, &sound, &central, &camera, &printer, &timeouts,
                               &receipts, &consent, &staff, &update}) {
        if (fields->error()) return fields->error();
    }
    return std::nullopt;
}

/// What is wrong with [update], or nothing (the reader checked each key's type and range).
std::optional<std::string> invalidUpdate(const KioskConfig& c, const RawFields& raw) {
    if (raw.releaseKey.empty() != raw.updateRoot.empty())
        return "update.release_key and update.root go together (both, or neither: no update agent)";
    if (c.update.channel.empty() || c.update.channel.size() > 32 ||
        c.update.channel.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos)
        return "update.channel must be 1 to 32 of a-z 0-9 -";
    if (!raw.maintenanceWindow.empty()) {
        if (auto window = sync::MaintenanceWindow::parse(raw.maintenanceWindow); !window)
            return "update.maintenance_window " + window.error();
    }
    return std::nullopt;
}

/// What is wrong with the values read, or nothing (the reader checked each key's type and range).
std::optional<std::string> invalidValue(const KioskConfig& c, const RawFields& raw) {
    if (c.language != "vi" && c.language != "en") return "kiosk.language must be \"vi\" or \"en\"";
    if (raw.orientation != "portrait" && raw.orientation != "landscape")
        return "screen.orientation must be \"portrait\" or \"landscape\"";
    if (raw.renderer != "software" && raw.renderer != "gpu")
        return "screen.renderer must be \"software\" or \"gpu\"";
    if (c.cameraAt != "below" && c.cameraAt != "above" && c.cameraAt != "left" && c.cameraAt != "right")
        return "screen.camera_at must be \"below\", \"above\", \"left\" or \"right\" (of the screen)";
    if (raw.countdownSeconds >= raw.idleSeconds)
        return "timeouts.countdown_seconds must be less than timeouts.idle_seconds";
    // Typed on the shoppers' keypad: digits only, and long enough not to be guessed in three tries.
    if (!c.staffPin.empty() && (c.staffPin.size() < 4 || c.staffPin.size() > 8 ||
                                c.staffPin.find_first_not_of("0123456789") != std::string::npos))
        return "staff.pin must be 4 to 8 digits (or empty: no staff mode)";
    if (auto format = hal::parseCaptureFourcc(raw.cameraFormat); !format)
        return "camera.format: " + format.error().message;
    return invalidUpdate(c, raw);
}

/// Checked values into their KioskConfig types; paths resolved against the config file's folder.
void applyFields(KioskConfig& c, const RawFields& raw, const std::filesystem::path& baseDir) {
    c.landscape = raw.orientation == "landscape";
    c.gpu = raw.renderer == "gpu";
    c.camera.fourcc = *hal::parseCaptureFourcc(raw.cameraFormat);  // checked by invalidValue
    // A virtual camera's folder or video is a path like any other; a real device ("0", /dev/video2) is not.
    c.camera.device =
        c.camera.driver == "virtual" ? resolve(baseDir, raw.cameraDevice).string() : raw.cameraDevice;
    c.idleTimeout = std::chrono::seconds{raw.idleSeconds};
    c.countdownFrom = std::chrono::seconds{raw.countdownSeconds};
    c.receiptMaxAge = std::chrono::days{raw.receiptDays};
    c.assetsDir = resolve(baseDir, raw.assets);
    c.dataDir = resolve(baseDir, raw.data);
    c.automationSocket = resolve(baseDir, raw.socket);
    c.centralCaFile = resolve(baseDir, c.centralCaFile).string();
    c.update.releaseKey = resolve(baseDir, raw.releaseKey);
    c.update.root = resolve(baseDir, raw.updateRoot);
    c.update.quietAfter = std::chrono::minutes{raw.quietMinutes};
    c.update.healthDeadline = std::chrono::seconds{raw.healthDeadlineSeconds};
    if (!raw.maintenanceWindow.empty()) {
        c.update.window = *sync::MaintenanceWindow::parse(raw.maintenanceWindow);  // checked by invalidUpdate
    }
}

/// [[stores]] (id, public_key) and [[rewards]] (id, title_vi/_en, points): the reader's wording.
std::expected<void, std::string> readStoresAndRewards(const toml::table& t,
                                                      const std::filesystem::path& baseDir, KioskConfig& c) {
    loyalty::TomlFields root(t, "");
    const toml::array* stores = root.arrayOfTables("stores", false);
    for (std::size_t i = 0; stores != nullptr && i < stores->size() && !root.error(); ++i) {
        loyalty::TomlFields store(*(*stores)[i].as_table(), "stores[" + std::to_string(i) + "]");
        const std::string id = store.text("id");
        const std::string key = store.text("public_key");
        if (!store.error() && !loyalty::isValidStoreId(id)) store.fail("id", "is not a valid store id");
        if (store.error()) return std::unexpected(*store.error());
        c.storeKeys.push_back({id, resolve(baseDir, key)});
    }
    const toml::array* rewards = root.arrayOfTables("rewards", false);
    for (std::size_t i = 0; rewards != nullptr && i < rewards->size() && !root.error(); ++i) {
        loyalty::TomlFields reward(*(*rewards)[i].as_table(), "rewards[" + std::to_string(i) + "]");
        Reward read{reward.text("id"),
                    reward.localized("title"),
                    reward.integer("points", 1, loyalty::kMaxPoints),
                    {},
                    {}};
        if (reward.error()) return std::unexpected(*reward.error());
        c.rewards.push_back(std::move(read));
    }
    if (root.error()) return std::unexpected(*root.error());
    return {};
}

}  // namespace

/// [theme] primary / header: the chain's brand colours, "#RRGGBB", refused when text on them or the
/// edges they make would not be legible (ui::brandedTheme says which pair and by how much).
std::expected<ui::Theme, std::string> readTheme(const toml::table& t) {
    ui::Brand brand;
    for (const auto& [key, slot] :
         {std::pair{"primary", &brand.primary}, std::pair{"header", &brand.header}}) {
        const toml::node* node = t.at_path(std::string("theme.") + key).node();
        if (node == nullptr) {
            continue;
        }
        const auto* text = node->as_string();
        if (text == nullptr) {
            return std::unexpected("[theme] " + std::string(key) + " must be text, \"#RRGGBB\"");
        }
        auto colour = ui::parseColour(text->get());
        if (!colour) {
            return std::unexpected("[theme] " + std::string(key) + ": " + colour.error());
        }
        *slot = *colour;
    }
    auto theme = ui::brandedTheme(brand);
    if (!theme) {
        return std::unexpected("[theme] " + theme.error());
    }
    return theme;
}

std::expected<KioskConfig, std::string> parseKioskConfig(std::string_view tomlText,
                                                         const std::filesystem::path& baseDir) {
    auto parsed = loyalty::parseTomlText(tomlText);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    const toml::table& t = *parsed;
    KioskConfig c;
    RawFields raw;
    if (auto error = readFields(t, c, raw)) {
        return std::unexpected(*error);
    }
    if (auto invalid = invalidValue(c, raw)) {
        return std::unexpected(*invalid);
    }
    applyFields(c, raw, baseDir);
    if (auto controls = hal::checkCameraControls(c.camera); !controls) {
        return std::unexpected(controls.error().message);  // "camera: exposure_ms ..."
    }
    if (auto listed = readStoresAndRewards(t, baseDir, c); !listed) {
        return std::unexpected(listed.error());
    }
    auto theme = readTheme(t);
    if (!theme) {
        return std::unexpected(theme.error());
    }
    c.theme = *theme;
    return c;
}

std::expected<KioskConfig, std::string> loadKioskConfig(const std::filesystem::path& file) {
    auto text = readFile(file);
    if (!text) {
        return std::unexpected(text.error());
    }
    auto config = parseKioskConfig(*text, std::filesystem::absolute(file).parent_path());
    if (!config) {
        return std::unexpected(file.string() + ": " + config.error());
    }
    return config;
}

std::expected<loyalty::StoreKeyring, std::string> loadStoreKeys(
    const std::vector<KioskConfig::StoreKey>& keys) {
    loyalty::StoreKeyring ring;
    for (const auto& key : keys) {
        auto text = readFile(key.publicKey);
        if (!text) {
            return std::unexpected(text.error());
        }
        auto parsed = loyalty::parsePublicKey(*text);
        if (!parsed) {
            return std::unexpected(key.publicKey.string() + ": " +
                                   std::string(loyalty::describe(parsed.error())));
        }
        ring.add(key.store, *parsed);
    }
    return ring;
}

std::string runningVersion(const KioskConfig& config) {
    return config.releaseVersion.empty() ? KIOSK_VERSION : config.releaseVersion;
}

std::expected<loyalty::PublicKey, std::string> loadReleaseKey(const std::filesystem::path& file) {
    auto text = readFile(file);
    if (!text) return std::unexpected("[update] release_key: " + text.error());
    auto parsed = loyalty::parsePublicKey(*text);
    if (!parsed)
        return std::unexpected("[update] release_key " + file.string() + ": " +
                               std::string(loyalty::describe(parsed.error())));
    return *parsed;
}

std::shared_ptr<sync::UpdateControl> configureUpdater(const KioskConfig::Update& update,
                                                      sync::SyncOptions& options,
                                                      std::function<void()> checkDevices) {
    if (update.root.empty()) {
        return nullptr;
    }
    auto key = loadReleaseKey(update.releaseKey);
    if (!key) {
        throw std::runtime_error(key.error());
    }
    options.updater.emplace();
    options.updater->root = update.root;
    options.updater->releaseKey = *key;
    options.updater->channel = update.channel;
    options.updater->healthDeadline = update.healthDeadline;
    options.updater->window = update.window;
    options.updater->checkDevices = std::move(checkDevices);
    options.updateControl = std::make_shared<sync::UpdateControl>();
    return options.updateControl;
}

}  // namespace kiosk
