#include "app.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <stdexcept>

#include "adapter.hpp"
#include "app_parts.hpp"
#include "hal/bitmap.hpp"
#include "hal/printer_registry.hpp"
#include "hal/scanner.hpp"
#include "hal/text_raster.hpp"
#include "hal/virtual_camera.hpp"
#include "inbox.hpp"
#include "kiosk/sync/credential_file.hpp"
#include "kiosk/sync/local_store.hpp"
#include "kiosk/sync/sync_worker.hpp"
#include "loyalty/campaign.hpp"
#include "loyalty/earn.hpp"
#include "loyalty/signing.hpp"
#include "network/central_client.hpp"
#include "tickets.hpp"
#include "worker.hpp"

namespace kiosk {

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

/// Why central's configuration document cannot be used by this kiosk, or nothing. A rejected
/// document never replaces the last good one (kiosk_sync keeps it).
std::optional<std::string> configProblem(const std::string& body) {
    const json config = json::parse(body, nullptr, false);
    if (config.is_discarded() || !config.is_object()) {
        return "not a JSON object";
    }
    if (config.contains("campaign_toml")) {
        if (!config["campaign_toml"].is_string()) {
            return "campaign_toml is not text";
        }
        if (auto campaign = loyalty::Campaign::fromToml(config["campaign_toml"].get<std::string>());
            !campaign) {
            return "campaign: " + campaign.error().message;
        }
    }
    if (config.contains("rewards") && !config["rewards"].is_array()) {
        return "rewards is not a list";
    }
    if (config.contains("store_keys") && !config["store_keys"].is_array()) {
        return "store_keys is not a list";
    }
    return std::nullopt;
}

}  // namespace

App::App(KioskConfig config, std::chrono::steady_clock::time_point processStart)
    : m_config(std::move(config)), m_processStart(processStart) {
    auto vi = ui::Strings::load(m_config.assetsDir / "i18n" / "vi.toml");
    auto en = ui::Strings::load(m_config.assetsDir / "i18n" / "en.toml");
    if (!vi || !en) {
        throw std::runtime_error(!vi ? vi.error() : en.error());
    }
    m_vi = std::move(*vi);
    m_en = std::move(*en);
    m_tickets = std::make_unique<TicketWriter>(m_vi, m_en, m_config.kioskId);
    auto keyring = loadStoreKeys(m_config.storeKeys);
    if (!keyring) {
        throw std::runtime_error(keyring.error());
    }

    ui::HostOptions options;
    options.width = m_config.landscape ? 1920 : 1080;
    options.height = m_config.landscape ? 1080 : 1920;
    options.fullscreen = m_config.fullscreen;
    auto host = ui::Host::create(options);
    if (!host) {
        throw std::runtime_error(host.error());
    }
    m_host = std::move(*host);
    ui::Host* hostPtr = m_host.get();
    m_inbox = std::make_unique<Inbox>([hostPtr] { hostPtr->wake(); });

    JourneyConfig journey;
    journey.kioskId = m_config.kioskId;
    journey.idleTimeout = m_config.idleTimeout;
    journey.countdownFrom = m_config.countdownFrom;
    journey.consentTextVersion = m_config.consentTextVersion;
    journey.keyring = std::move(*keyring);
    journey.verifyPolicy.maxAge = m_config.receiptMaxAge;
    journey.rewards = m_config.rewards;
    journey.staffPin = m_config.staffPin;
    m_journey = std::make_unique<Journey>(std::move(journey), m_vi, m_en, m_config.language);

    std::error_code ec;
    std::filesystem::create_directories(m_config.dataDir, ec);
    auto store = sync::LocalStore::open(m_config.dataDir / "kiosk.sqlite");
    if (!store) {
        throw std::runtime_error("local store in " + m_config.dataDir.string() + ": " +
                                 store.error().message);
    }
    m_store = std::move(*store);

    auto camera = hal::makeCamera(m_config.camera, m_clock);
    if (!camera) {
        throw std::runtime_error("[camera] " + camera.error().message);
    }
    m_camera = std::move(*camera);
    m_virtualCamera = dynamic_cast<hal::VirtualCamera*>(m_camera.get());
    m_scanner = std::make_unique<hal::Scanner>(*m_camera, m_clock);
    m_scanner->setNotifier([hostPtr] { hostPtr->wake(); });
    m_scanner->start();

    m_central = std::make_unique<CentralLink>();
    if (!m_config.centralUrl.empty()) {
        connectCentral();
    }

    if (auto cached = m_store->loadConfig(); cached && *cached) {
        applyCentralConfig((*cached)->body);
    }

    if (m_config.printerDriver != "none") {
        openPrinter();
    }

    m_printerWorker = std::make_unique<Worker>("printer");
    m_centralWorker = std::make_unique<Worker>("central");
    m_storeWorker = std::make_unique<Worker>("store");

    if (!m_config.automationSocket.empty()) {
        auto server = AutomationServer::start(m_config.automationSocket, [hostPtr] { hostPtr->wake(); });
        if (!server) {
            throw std::runtime_error(server.error());
        }
        m_automation = std::move(*server);
        spdlog::info("automation socket: {}", m_config.automationSocket.string());
    }
}

void App::connectCentral() {
    net::ClientConfig client;
    client.baseUrl = m_config.centralUrl;
    client.caFile = m_config.centralCaFile;
    client.kioskId = m_config.kioskId;
    client.credential = m_config.credential;
    const auto credentialFile = m_config.dataDir / "credential";
    if (client.credential.empty()) {
        auto saved = sync::readCredentialFile(credentialFile);
        if (!saved) {
            throw std::runtime_error("[central] " + saved.error().message);
        }
        client.credential = std::move(*saved);
    }
    client.connectTimeout = 2'000ms;
    client.requestTimeout = 8'000ms;
    auto created = net::CentralClient::create(client);
    if (!created) {
        throw std::runtime_error("[central] " + created.error().message);
    }
    auto forSync = net::CentralClient::create(client);
    m_central->client.emplace(std::move(*created));
    Inbox* inbox = m_inbox.get();
    sync::SyncEvents events;
    events.claimSettled = [inbox](const sync::ClaimSettled& s) {
        inbox->post(ClaimSettled{s.idempotencyKey, adapter::toModel(s.outcome)});
    };
    events.statusChanged = [inbox, refusalLogged = false](const sync::SyncStatus& s) mutable {
        // Once: the worker has stopped calling central, only staff with a new code can fix it.
        if (s.enrollment == sync::Enrollment::Refused && !refusalLogged) {
            spdlog::error("{}; claims stay queued", s.lastError);
            refusalLogged = true;
        }
        inbox->post(SyncChanged{s.online, s.outboxDepth, adapter::toModel(s.enrollment)});
    };
    events.validateConfig = [](const std::string& body) { return configProblem(body); };
    // The sync worker enrolls in the background (central may be unreachable at the first start of a
    // newly installed kiosk); the member, OTP and redemption calls then use the credential too.
    CentralLink* link = m_central.get();
    events.enrolled = [link, kioskId = m_config.kioskId](const std::string& credential) {
        link->client->setCredential(credential);
        spdlog::info("enrolled as {} with central", kioskId);
    };
    ui::Host* waker = m_host.get();
    events.configChanged = [this, waker](const sync::CachedConfig& c) {
        {
            std::lock_guard lock(m_configMutex);
            m_newConfig = c.body;
        }
        waker->wake();
    };
    hal::Scanner* scanner = m_scanner.get();
    events.deviceHealth = [scanner] {
        const auto health = scanner->cameraHealth();
        return std::map<std::string, std::string>{{"camera", health.healthy() ? "ok" : health.lastError}};
    };
    sync::SyncOptions syncOptions;
    syncOptions.version = "0.1.0";
    if (client.credential.empty()) {
        syncOptions.enrollmentCode = m_config.enrollmentCode;
    }
    syncOptions.credentialFile = credentialFile;
    // Settled entries stay as long as a receipt can be accepted: their row refuses a second scan.
    syncOptions.keepSettled = std::max<std::chrono::seconds>(syncOptions.keepSettled, m_config.receiptMaxAge);
    m_central->sync = std::make_unique<sync::SyncWorker>(*m_store, std::move(*forSync), m_clock, syncOptions,
                                                         std::move(events));
    m_central->sync->start();
}

void App::openPrinter() {
    hal::PrinterConfig printer;
    printer.driver = m_config.printerDriver;
    printer.address = m_config.printerAddress;
    auto created = hal::PrinterRegistry::withBuiltins().create(printer);
    if (!created) {
        throw std::runtime_error("[printer] " + created.error());
    }
    auto text = hal::TextRaster::openNoto();
    if (!text) {
        throw std::runtime_error("printer fonts: " + text.error());
    }
    m_printer = std::move(*created);
    m_ticketText = std::make_unique<hal::TextRaster>(std::move(*text));
    // The shop's logo heads every voucher; a missing or broken file costs the logo, not the print.
    const auto logoPath = m_config.assetsDir / "images" / "logo.png";
    if (auto logo = hal::loadBitmap(logoPath, m_printer->widthDots() * 2 / 3)) {
        m_ticketLogo = std::make_unique<hal::Bitmap>(std::move(*logo));
    } else {
        spdlog::warn("vouchers print without a logo: {}", logo.error());
    }
}

App::~App() {
    // A touch still being injected gets its answer now: the listener must not wait for a UI that stopped.
    if (m_job) {
        m_job->command.reply(failure("the kiosk is shutting down"));
        m_job.reset();
    }
    // Workers first: their jobs hold pointers to the store, the client and the inbox.
    m_automation.reset();
    m_printerWorker.reset();
    m_centralWorker.reset();
    m_storeWorker.reset();
    if (m_scanner) {
        m_scanner->stop();
    }
    if (m_central && m_central->sync) {
        m_central->sync->stop();
    }
}

Now App::now() const {
    // Receipt ages and claim times follow central's clock, not the kiosk's (which may be wrong): the
    // sync worker knows the learned offset, also offline (it is kept in the local store).
    const loyalty::UnixSeconds wall =
        m_central && m_central->sync ? m_central->sync->centralNow() : m_clock.now();
    return {std::chrono::milliseconds{m_clock.monotonicMs() + m_idleOffsetMs.load()}, wall};
}

void App::applyCentralConfig(const std::string& body) {
    const json config = json::parse(body, nullptr, false);
    if (config.is_discarded() || !config.is_object()) {
        spdlog::warn("central config: not a JSON object, kept the previous one");
        return;
    }
    if (config.contains("rewards") && config["rewards"].is_array()) {
        std::vector<Reward> rewards;
        for (const auto& r : config["rewards"]) {
            if (!r.is_object() || !r.contains("id") || !r["id"].is_string() || !r.contains("cost") ||
                !r["cost"].is_number_integer()) {
                continue;
            }
            Reward reward;
            reward.id = r["id"].get<std::string>();
            reward.titleVi = r.value("name_vi", reward.id);
            reward.titleEn = r.value("name_en", reward.titleVi);
            reward.points = r["cost"].get<std::int64_t>();
            if (reward.points > 0) {
                rewards.push_back(std::move(reward));
            }
        }
        m_journey->setRewards(std::move(rewards));
    }
    if (config.contains("campaign_toml") && config["campaign_toml"].is_string()) {
        auto campaign = loyalty::Campaign::fromToml(config["campaign_toml"].get<std::string>());
        if (campaign) {
            m_journey->setCampaign(*campaign, now());
            // Offline the member's tier is unknown: the provisional figure is the base tier's, the
            // lowest; central's answer replaces it once the claim syncs.
            m_journey->setEstimator([c = std::move(*campaign)](const loyalty::Receipt& receipt) {
                return std::optional<std::int64_t>(loyalty::computeEarning(receipt, {}, c).total);
            });
        } else {
            spdlog::warn("central config: campaign not usable ({}); no provisional points",
                         campaign.error().message);
        }
    }
    if (config.contains("store_keys") && config["store_keys"].is_array()) {
        auto keyring = loadStoreKeys(m_config.storeKeys);
        if (keyring) {
            for (const auto& k : config["store_keys"]) {
                if (!k.is_object() || !k.contains("store") || !k["store"].is_string() ||
                    !k.contains("public_key") || !k["public_key"].is_string()) {
                    continue;
                }
                if (auto key = loyalty::parsePublicKey(k["public_key"].get<std::string>())) {
                    keyring->add(k["store"].get<std::string>(), *key);
                }
            }
            m_journey->setKeyring(std::move(*keyring));
        }
    }
}

int App::run() {
    int framesToDraw = 3;
    std::uint64_t drawnRevision = 0;
    bool firstFrame = true;
    while (!m_host->quitRequested()) {
        std::optional<std::string> newConfig;
        {
            std::lock_guard lock(m_configMutex);
            newConfig.swap(m_newConfig);
        }
        if (newConfig) {
            applyCentralConfig(*newConfig);
        }
        std::chrono::milliseconds timeout = 60'000ms;
        if (framesToDraw > 0 || m_host->injecting() || m_job) {
            timeout = 0ms;
        } else {
            if (auto wake = m_journey->nextWake(now())) {
                timeout = std::clamp(*wake - now().mono, 0ms, 60'000ms);
            }
            if (m_journey->view().cameraPreview) {
                timeout =
                    std::min(timeout, std::chrono::milliseconds{1000 / std::max(1, m_config.camera.fps)});
            }
        }
        const auto woken = m_host->waitForInput(std::min(timeout, m_notifier.maxWait()));
        m_notifier.alive();
        if (woken.event) {
            framesToDraw = std::max(framesToDraw, 3);
        }
        if (woken.touch) {
            m_journey->touched(now());
        }
        for (auto& event : m_inbox->drain()) {
            m_journey->onEvent(event, now());
        }
        for (auto& scan : m_scanner->drainEvents()) {
            m_journey->onEvent(CodeScanned{scan.text}, now());
        }
        if (m_journey->view().cameraPreview) {
            // Polled with the preview: the journey ignores an unchanged tip.
            m_journey->onEvent(ScanTipChanged{adapter::toModel(m_scanner->hint().hint)}, now());
            if (auto frame = m_scanner->latestFrame(); frame && frame->format == hal::PixelFormat::Rgb24) {
                ui::Image rgb;
                rgb.width = frame->width;
                rgb.height = frame->height;
                rgb.channels = 3;
                rgb.pixels.resize(static_cast<std::size_t>(frame->width) *
                                  static_cast<std::size_t>(frame->height) * 3U);
                for (int y = 0; y < frame->height; ++y) {
                    std::copy_n(frame->row(y), static_cast<std::size_t>(frame->width) * 3U,
                                rgb.pixels.begin() + static_cast<std::ptrdiff_t>(y) * frame->width * 3);
                }
                m_host->setCameraImage(rgb);
                framesToDraw = std::max(framesToDraw, 1);
            }
        }
        pollAutomation();
        m_journey->tick(now());
        dispatch(m_journey->takeCommands());
        if (m_journey->view().revision != drawnRevision) {
            framesToDraw = std::max(framesToDraw, 2);
        }
        if (framesToDraw > 0 || m_host->injecting()) {
            const auto started = std::chrono::steady_clock::now();
            drawnRevision = m_journey->view().revision;
            const auto intents = m_host->frame(m_journey->view());
            m_lastFrameMs =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
            m_maxFrameMs = std::max(m_maxFrameMs, m_lastFrameMs);
            ++m_framesDrawn;
            if (firstFrame) {
                firstFrame = false;
                spdlog::info("first frame {:.0f} ms after start",
                             std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                       m_processStart)
                                 .count());
                m_notifier.ready("attract screen shown");
            }
            framesToDraw = std::max(0, framesToDraw - 1);
            for (const auto& intent : intents) {
                m_journey->onIntent(intent, now());
            }
            dispatch(m_journey->takeCommands());
        }
        finishAutomationJob();
    }
    m_notifier.stopping();
    return 0;
}

}  // namespace kiosk
