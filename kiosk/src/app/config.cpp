#include "config.hpp"

#include <toml++/toml.h>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "hal/camera_controls.hpp"
#include "loyalty/signing.hpp"

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

/// Reads an optional key of type T; a key present with another type is an error, never ignored.
template <class T>
bool read(const toml::table& table, std::string_view section, std::string_view key, T& out,
          std::string& error) {
    const toml::node* node = table.at_path(std::string(section) + "." + std::string(key)).node();
    if (node == nullptr) {
        return true;
    }
    if (auto value = node->value<T>()) {
        out = *value;
        return true;
    }
    error = "[" + std::string(section) + "] " + std::string(key) + " has the wrong type";
    return false;
}

/// Reads an optional key of type T that has no default: absent leaves `out` empty.
template <class T>
bool readOptional(const toml::table& table, std::string_view section, std::string_view key,
                  std::optional<T>& out, std::string& error) {
    T value{};
    if (!read(table, section, key, value, error)) return false;
    if (table.at_path(std::string(section) + "." + std::string(key)).node() != nullptr) out = value;
    return true;
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
    std::int64_t cameraWidth = 0;
    std::int64_t cameraHeight = 0;
    std::int64_t cameraFps = 0;
    std::string cameraFormat = "MJPG";
    std::optional<std::int64_t> cameraFocus = std::nullopt;
    std::string releaseKey;
    std::string updateRoot;
    std::int64_t quietMinutes = 10;
    std::int64_t healthDeadlineSeconds = 300;
};

bool readFields(const toml::table& t, KioskConfig& c, RawFields& raw, std::string& error) {
    raw.cameraWidth = c.camera.width;
    raw.cameraHeight = c.camera.height;
    raw.cameraFps = c.camera.fps;
    return read(t, "kiosk", "id", c.kioskId, error) && read(t, "kiosk", "credential", c.credential, error) &&
           read(t, "kiosk", "language", c.language, error) &&
           read(t, "screen", "orientation", raw.orientation, error) &&
           read(t, "screen", "fullscreen", c.fullscreen, error) &&
           read(t, "screen", "renderer", raw.renderer, error) &&
           read(t, "screen", "camera_at", c.cameraAt, error) &&
           read(t, "kiosk", "assets_dir", raw.assets, error) &&
           read(t, "kiosk", "data_dir", raw.data, error) &&
           read(t, "kiosk", "automation_socket", raw.socket, error) &&
           read(t, "central", "url", c.centralUrl, error) &&
           read(t, "central", "ca_file", c.centralCaFile, error) &&
           read(t, "central", "enrollment_code", c.enrollmentCode, error) &&
           read(t, "camera", "driver", c.camera.driver, error) &&
           read(t, "camera", "device", raw.cameraDevice, error) &&
           read(t, "camera", "width", raw.cameraWidth, error) &&
           read(t, "camera", "height", raw.cameraHeight, error) &&
           read(t, "camera", "fps", raw.cameraFps, error) &&
           read(t, "camera", "realtime", c.camera.realtime, error) &&
           read(t, "camera", "format", raw.cameraFormat, error) &&
           readOptional(t, "camera", "exposure_ms", c.camera.exposureMs, error) &&
           readOptional(t, "camera", "focus", raw.cameraFocus, error) &&
           read(t, "printer", "driver", c.printerDriver, error) &&
           read(t, "printer", "address", c.printerAddress, error) &&
           read(t, "timeouts", "idle_seconds", raw.idleSeconds, error) &&
           read(t, "timeouts", "countdown_seconds", raw.countdownSeconds, error) &&
           read(t, "receipts", "max_age_days", raw.receiptDays, error) &&
           read(t, "consent", "text_version", c.consentTextVersion, error) &&
           read(t, "staff", "pin", c.staffPin, error) &&
           read(t, "update", "release_key", raw.releaseKey, error) &&
           read(t, "update", "root", raw.updateRoot, error) &&
           read(t, "update", "channel", c.update.channel, error) &&
           read(t, "update", "quiet_minutes", raw.quietMinutes, error) &&
           read(t, "update", "health_deadline_seconds", raw.healthDeadlineSeconds, error);
}

/// What is wrong with [update], or nothing.
std::optional<std::string> invalidUpdate(const KioskConfig& c, const RawFields& raw) {
    if (raw.releaseKey.empty() != raw.updateRoot.empty())
        return "[update] needs both release_key and root (or neither: no update agent)";
    if (c.update.channel.empty() || c.update.channel.size() > 32 ||
        c.update.channel.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos)
        return "[update] channel must be 1..32 of a-z 0-9 -";
    if (raw.quietMinutes < 1 || raw.quietMinutes > 1440) return "[update] quiet_minutes must be 1..1440";
    if (raw.healthDeadlineSeconds < 30 || raw.healthDeadlineSeconds > 3600)
        return "[update] health_deadline_seconds must be 30..3600";
    return std::nullopt;
}

/// What is wrong with the values read, or nothing.
std::optional<std::string> invalidValue(const KioskConfig& c, const RawFields& raw) {
    if (c.language != "vi" && c.language != "en") return "[kiosk] language must be \"vi\" or \"en\"";
    if (raw.orientation != "portrait" && raw.orientation != "landscape")
        return "[screen] orientation must be \"portrait\" or \"landscape\"";
    if (raw.renderer != "software" && raw.renderer != "gpu")
        return "[screen] renderer must be \"software\" or \"gpu\"";
    if (c.cameraAt != "below" && c.cameraAt != "above" && c.cameraAt != "left" && c.cameraAt != "right")
        return "[screen] camera_at must be \"below\", \"above\", \"left\" or \"right\" (of the screen)";
    if (raw.idleSeconds < 10 || raw.idleSeconds > 3600) return "[timeouts] idle_seconds must be 10..3600";
    if (raw.countdownSeconds < 0 || raw.countdownSeconds >= raw.idleSeconds)
        return "[timeouts] countdown_seconds must be 0..idle_seconds-1";
    // Typed on the shoppers' keypad: digits only, and long enough not to be guessed in three tries.
    if (!c.staffPin.empty() && (c.staffPin.size() < 4 || c.staffPin.size() > 8 ||
                                c.staffPin.find_first_not_of("0123456789") != std::string::npos))
        return "[staff] pin must be 4..8 digits (or empty: no staff mode)";
    if (raw.receiptDays < 1 || raw.receiptDays > 3650) return "[receipts] max_age_days must be 1..3650";
    if (raw.cameraWidth < 16 || raw.cameraWidth > 8192 || raw.cameraHeight < 16 || raw.cameraHeight > 8192 ||
        raw.cameraFps < 1 || raw.cameraFps > 120)
        return "[camera] width/height must be 16..8192 and fps 1..120";
    if (auto format = hal::parseCaptureFourcc(raw.cameraFormat); !format)
        return "[camera] format: " + format.error().message;
    if (raw.cameraFocus && (*raw.cameraFocus < 0 || *raw.cameraFocus > hal::kMaxFocusPosition))
        return "[camera] focus must be 0.." + std::to_string(hal::kMaxFocusPosition) +
               " (leave it out for autofocus)";
    return invalidUpdate(c, raw);
}

/// Checked values into their KioskConfig types; paths resolved against the config file's folder.
void applyFields(KioskConfig& c, const RawFields& raw, const std::filesystem::path& baseDir) {
    c.landscape = raw.orientation == "landscape";
    c.gpu = raw.renderer == "gpu";
    c.camera.width = static_cast<int>(raw.cameraWidth);
    c.camera.height = static_cast<int>(raw.cameraHeight);
    c.camera.fps = static_cast<int>(raw.cameraFps);
    c.camera.fourcc = *hal::parseCaptureFourcc(raw.cameraFormat);  // checked by invalidValue
    if (raw.cameraFocus) c.camera.focus = static_cast<int>(*raw.cameraFocus);
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
}

std::expected<void, std::string> readStoresAndRewards(const toml::table& t,
                                                      const std::filesystem::path& baseDir, KioskConfig& c) {
    if (const auto* stores = t["stores"].as_array()) {
        for (const auto& node : *stores) {
            const auto* store = node.as_table();
            const auto id = store != nullptr ? (*store)["id"].value<std::string>() : std::nullopt;
            const auto key = store != nullptr ? (*store)["public_key"].value<std::string>() : std::nullopt;
            if (!id || !key || !loyalty::isValidStoreId(*id)) {
                return std::unexpected("[[stores]] needs a valid id and a public_key file");
            }
            c.storeKeys.push_back({*id, resolve(baseDir, *key)});
        }
    }
    if (const auto* rewards = t["rewards"].as_array()) {
        for (const auto& node : *rewards) {
            const auto* r = node.as_table();
            const auto id = r != nullptr ? (*r)["id"].value<std::string>() : std::nullopt;
            const auto vi = r != nullptr ? (*r)["title_vi"].value<std::string>() : std::nullopt;
            const auto en = r != nullptr ? (*r)["title_en"].value<std::string>() : std::nullopt;
            const auto points = r != nullptr ? (*r)["points"].value<std::int64_t>() : std::nullopt;
            if (!id || id->empty() || !vi || !en || !points || *points <= 0) {
                return std::unexpected("[[rewards]] needs id, title_vi, title_en and points > 0");
            }
            c.rewards.push_back({*id, {*vi, *en}, *points, {}, {}});
        }
    }
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
    toml::table t;
    try {
        t = toml::parse(tomlText);
    } catch (const toml::parse_error& e) {
        std::ostringstream message;
        message << e.description() << " at line " << e.source().begin.line;
        return std::unexpected(message.str());
    }
    KioskConfig c;
    RawFields raw;
    std::string error;
    if (!readFields(t, c, raw, error)) {
        return std::unexpected(error);
    }
    if (auto invalid = invalidValue(c, raw)) {
        return std::unexpected(*invalid);
    }
    applyFields(c, raw, baseDir);
    if (auto controls = hal::checkCameraControls(c.camera); !controls) {
        return std::unexpected("[camera] " + controls.error().message);
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

std::expected<loyalty::PublicKey, std::string> loadReleaseKey(const std::filesystem::path& file) {
    auto text = readFile(file);
    if (!text) return std::unexpected("[update] release_key: " + text.error());
    auto parsed = loyalty::parsePublicKey(*text);
    if (!parsed)
        return std::unexpected("[update] release_key " + file.string() + ": " +
                               std::string(loyalty::describe(parsed.error())));
    return *parsed;
}

}  // namespace kiosk
