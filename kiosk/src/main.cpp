// kiosk — the loyalty kiosk's touchscreen app. See docs/automation.md for --automation.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <exception>

#include "app/app.hpp"
#include "app/config.hpp"
#include "loyalty/release.hpp"

int main(int argc, char** argv) {
    const auto processStart = std::chrono::steady_clock::now();
    CLI::App cli{"Loyalty kiosk: the shopper's touchscreen app"};
    std::string configFile;
    std::string automation;
    std::string orientation;
    std::string language;
    std::string renderer;
    std::string dataDir;
    std::string releaseVersion;
    bool demo = false;
    auto* config =
        cli.add_option("--config", configFile, "kiosk configuration (TOML)")->check(CLI::ExistingFile);
    cli.add_flag("--demo", demo, "run the demo configuration (assets/config/kiosk-demo.toml)")
        ->excludes(config);
    cli.add_option("--automation", automation, "open the automation socket at this path (tests only)");
    cli.add_option("--orientation", orientation, "override the screen orientation")
        ->check(CLI::IsMember({"portrait", "landscape"}));
    cli.add_option("--renderer", renderer, "override [screen] renderer")
        ->check(CLI::IsMember({"software", "gpu"}));
    cli.add_option("--language", language, "override the start language")->check(CLI::IsMember({"vi", "en"}));
    cli.add_option("--data-dir", dataDir, "override [kiosk] data_dir (the outbox and the credential)");
    cli.add_option("--release-version", releaseVersion,
                   "the version of the update slot this binary runs from (the launcher passes it)")
        ->check([](const std::string& v) {
            return loyalty::parseReleaseVersion(v) ? std::string() : "not MAJOR.MINOR.PATCH: " + v;
        });
    CLI11_PARSE(cli, argc, argv);
    if (!demo && configFile.empty()) {
        spdlog::error("give --config FILE or --demo");
        return 2;
    }
    try {
        auto loaded = kiosk::loadKioskConfig(demo ? std::string(KIOSK_DEMO_CONFIG) : configFile);
        if (!loaded) {
            spdlog::error("{}", loaded.error());
            return 2;
        }
        if (!automation.empty()) {
            loaded->automationSocket = automation;
        }
        if (!orientation.empty()) {
            loaded->landscape = orientation == "landscape";
        }
        if (!renderer.empty()) {
            loaded->gpu = renderer == "gpu";
        }
        if (!language.empty()) {
            loaded->language = language;
        }
        if (!dataDir.empty()) {
            loaded->dataDir = dataDir;
        }
        loaded->releaseVersion = releaseVersion;
        auto devices = kiosk::Devices::fromConfig(*loaded);
        kiosk::App app(std::move(*loaded), std::move(devices), processStart);
        return app.run();
    } catch (const std::exception& e) {
        // Start-up failures only: exit non-zero so systemd restarts the service.
        spdlog::error("kiosk cannot start: {}", e.what());
        return 1;
    }
}
