#pragma once
// The kiosk's configuration file (TOML), as documented in assets/config/kiosk-demo.toml.
// Read once at start-up on the main thread; relative paths are resolved against the file's folder.

#include <chrono>
#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hal/camera.hpp"
#include "kiosk/journey.hpp"
#include "kiosk/sync/updater.hpp"
#include "ui/theme.hpp"

namespace kiosk::sync {
struct SyncOptions;
}  // namespace kiosk::sync

namespace kiosk {

struct KioskConfig {
    std::string kioskId = "KIOSK-DEV";
    std::string credential;
    std::string language = "vi";
    bool landscape = false;  ///< 1920x1080 instead of 1080x1920
    bool fullscreen = false;
    bool gpu = false;  ///< [screen] renderer = "gpu": draw through the GPU's GL instead of in software
    std::string cameraAt = "below";  ///< [screen] camera_at: where the receipt camera is, seen by a shopper
    /// [sound] chime_volume: the chime when points land, in percent of full scale (1..100); 0, the
    /// default: no sound, and no audio device is opened.
    int chimeVolume = 0;
    std::filesystem::path assetsDir;  ///< holds i18n/
    std::filesystem::path dataDir;    ///< the kiosk's SQLite file lives here
    std::string centralUrl;           ///< empty: offline kiosk
    std::string centralCaFile;
    std::string enrollmentCode;  ///< one-time code the sync worker trades for the credential (docs/sync.md)
    hal::CameraConfig camera;
    std::string printerDriver = "none";      ///< see docs/automation.md; "none" = no printer configured
    std::string printerAddress;              ///< e.g. "127.0.0.1:9100" for a TCP / virtual printer
    std::filesystem::path automationSocket;  ///< empty: automation off
    /// The version of the install this binary runs from (--release-version: the launcher passes the
    /// update slot's VERSION); empty: the build's own version.
    std::string releaseVersion;
    std::chrono::milliseconds idleTimeout{45'000};
    std::chrono::milliseconds countdownFrom{10'000};
    std::string consentTextVersion = "consent-2026-11";
    std::string staffPin;  ///< [staff] pin: 4..8 digits opening the maintenance screen; empty: no staff mode
    std::chrono::seconds receiptMaxAge{std::chrono::days{30}};
    struct StoreKey {
        std::string store;                ///< e.g. "DEV001"
        std::filesystem::path publicKey;  ///< a key file as `kioskctl keygen` writes it
    };
    /// Stores whose receipts are accepted offline (central checks them again).
    std::vector<StoreKey> storeKeys;
    std::vector<Reward> rewards;
    /// [theme] primary, header: the chain's brand colours ("#RRGGBB"), checked for contrast at start-up.
    ui::Theme theme;
    /// [update] (docs/fleet.md): the update agent runs only with both the release key and its root.
    struct Update {
        std::filesystem::path releaseKey;  ///< release.pub as `kioskctl release keygen` writes it
        std::filesystem::path root;        ///< the agent's folder (staging, slots, current, state)
        std::string channel = "stable";
        std::chrono::minutes quietAfter{10};  ///< attract screen idle this long = a quiet moment
        std::chrono::seconds healthDeadline{300};
        /// [update] maintenance_window "HH:MM-HH:MM" (Vietnam time): an untouched attract screen inside
        /// it is a quiet moment too; empty: none.
        std::optional<sync::MaintenanceWindow> window;
    } update;
};

/// The version this kiosk runs and reports: its release's (the update slot's VERSION), else the build's.
[[nodiscard]] std::string runningVersion(const KioskConfig& config);

/// Parses the TOML text; `baseDir` resolves relative paths. Error: a message naming the key.
[[nodiscard]] std::expected<KioskConfig, std::string> parseKioskConfig(std::string_view tomlText,
                                                                       const std::filesystem::path& baseDir);
/// Reads and parses a file. Error: a message naming the file.
[[nodiscard]] std::expected<KioskConfig, std::string> loadKioskConfig(const std::filesystem::path& file);

/// The keyring of the configured store key files. Error: a message naming the file.
[[nodiscard]] std::expected<loyalty::StoreKeyring, std::string> loadStoreKeys(
    const std::vector<KioskConfig::StoreKey>& keys);

/// The release public key file of [update] release_key. Error: a message naming the file.
[[nodiscard]] std::expected<loyalty::PublicKey, std::string> loadReleaseKey(
    const std::filesystem::path& file);

/// The update agent's options from [update] (docs/fleet.md); its control shared with the app, or
/// nothing when the agent is not configured. Throws when the release key cannot be read.
std::shared_ptr<sync::UpdateControl> configureUpdater(const KioskConfig::Update& update,
                                                      sync::SyncOptions& options,
                                                      std::function<void()> checkDevices);

}  // namespace kiosk
