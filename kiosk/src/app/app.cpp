#include "app.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <stdexcept>

#include "adapter.hpp"
#include "app_parts.hpp"
#include "central_config.hpp"
#include "hal/scanner.hpp"
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

using namespace std::chrono_literals;

namespace {

/// What the journey needs of kiosk.toml (central's config adds to it later: applyCentralConfig).
JourneyConfig journeyConfigOf(const KioskConfig& config, loyalty::StoreKeyring keyring) {
    JourneyConfig journey;
    journey.kioskId = config.kioskId;
    journey.idleTimeout = config.idleTimeout;
    journey.countdownFrom = config.countdownFrom;
    journey.consentTextVersion = config.consentTextVersion;
    journey.keyring = std::move(keyring);
    journey.verifyPolicy.maxAge = config.receiptMaxAge;
    journey.rewards = config.rewards;
    journey.staffPin = config.staffPin;
    journey.cameraAt = config.cameraAt;
    journey.version = runningVersion(config);
    return journey;
}

ui::HostOptions hostOptions(const KioskConfig& config, const ui::Strings& vi, const ui::Strings& en) {
    ui::HostOptions options;
    // A chain's font must draw every text of both languages (ui::Host::setFonts checks).
    auto texts = vi.texts();
    const auto english = en.texts();
    texts.insert(texts.end(), english.begin(), english.end());
    options.neededGlyphs = ui::codePointsOf(texts);
    options.width = config.landscape ? 1920 : 1080;
    options.height = config.landscape ? 1080 : 1920;
    options.fullscreen = config.fullscreen;
    options.gpu = config.gpu;
    options.theme = config.theme;
    return options;
}

/// The success moment's chime at `volume` percent; null when kiosk.toml asks for none (0), or when no
/// audio device opens: said once in the log, and the kiosk works silent.
std::unique_ptr<ui::Chime> openChime(int volume) {
    if (volume == 0) {
        return nullptr;
    }
    auto chime = ui::Chime::open(volume);
    if (!chime) {
        spdlog::warn("sound is off: {}", chime.error());
        return nullptr;
    }
    return std::move(*chime);
}

/// Staff's postponement of an update outlives the app's life (saved by carryOut(PostponeUpdate)).
void restorePostponement(sync::LocalStore& store, sync::UpdateControl* update) {
    if (!update) {
        return;
    }
    if (auto until = store.loadUpdatePostponedUntil()) {
        update->postpone(*until);
    } else {
        spdlog::error("update postponement not read: {}", until.error().message);
    }
}

}  // namespace

App::App(KioskConfig config, std::unique_ptr<Devices> devices,
         std::chrono::steady_clock::time_point processStart)
    : m_config(std::move(config)), m_processStart(processStart), m_devices(std::move(devices)) {
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

    auto host = ui::Host::create(hostOptions(m_config, m_vi, m_en));
    if (!host) {
        throw std::runtime_error(host.error());
    }
    m_host = std::move(*host);
    m_lookTheme = m_config.theme;
    ui::Host* hostPtr = m_host.get();
    m_inbox = std::make_unique<Inbox>([hostPtr] { hostPtr->wake(); });

    m_journey = std::make_unique<Journey>(journeyConfigOf(m_config, std::move(*keyring)), m_vi, m_en,
                                          m_config.language);

    std::error_code ec;
    std::filesystem::create_directories(m_config.dataDir, ec);
    auto store = sync::LocalStore::open(m_config.dataDir / "kiosk.sqlite");
    if (!store) {
        throw std::runtime_error("local store in " + m_config.dataDir.string() + ": " +
                                 store.error().message);
    }
    m_store = std::move(*store);
    if (auto service = m_store->loadServiceState()) {
        m_inbox->post(ServiceChanged{adapter::toModel(*service)});
    } else {
        spdlog::error("out-of-service state not read: {}", service.error().message);
    }

    // Scans reach the UI thread as events in the one inbox, like every other answer.
    m_devices->scanner->setNotifier([scanner = m_devices->scanner.get(), inbox = m_inbox.get()] {
        for (auto& scan : scanner->drainEvents()) {
            inbox->post(CodeScanned{std::move(scan.text)});
        }
    });
    m_devices->scanner->start();

    m_central = std::make_unique<CentralLink>();
    if (!m_config.centralUrl.empty()) {
        connectCentral();
    }

    if (auto cached = m_store->loadConfig(); cached && *cached) {
        if (auto parsed = parseCentralConfig((*cached)->body)) {
            applyCentralConfig(*parsed);
        } else {
            spdlog::warn("cached central config: {}; not used", parsed.error());
        }
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
        inbox->post(SyncChanged{s.online, s.outboxDepth, adapter::toModel(s.enrollment), s.clockOffsetSeconds,
                                s.lastRoundTripMs >= 0 ? std::optional(s.lastRoundTripMs) : std::nullopt,
                                s.lastError});
    };
    // Parsed once: the validator keeps the document it accepted, which configChanged (next, on the same
    // sync thread, for that same document) posts to the UI thread.
    auto accepted = std::make_shared<std::optional<CentralConfig>>();
    events.validateConfig = [accepted](const std::string& body) -> std::optional<std::string> {
        auto parsed = parseCentralConfig(body);
        if (!parsed) {
            return parsed.error();
        }
        *accepted = std::move(*parsed);
        return std::nullopt;
    };
    // The sync worker enrolls in the background (central may be unreachable at the first start of a
    // newly installed kiosk); the member, OTP and redemption calls then use the credential too.
    CentralLink* link = m_central.get();
    events.enrolled = [link, kioskId = m_config.kioskId](const std::string& credential) {
        link->client->setCredential(credential);
        spdlog::info("enrolled as {} with central", kioskId);
    };
    events.configChanged = [inbox, accepted](const sync::CachedConfig&) {
        if (*accepted) {
            inbox->post(std::move(**accepted));
            accepted->reset();
        }
    };
    events.command = [inbox, store = m_store.get()](const net::Command& command) {
        return takeServiceCommand(command, *store, *inbox);
    };
    events.deviceHealth = [scanner = m_devices->scanner.get(), link] {
        return heartbeatHealth(*scanner, *link);
    };
    sync::SyncOptions syncOptions;
    syncOptions.version = runningVersion(m_config);
    m_central->update = configureUpdater(m_config.update, syncOptions, [this] { askDevicesForUpdate(); });
    restorePostponement(*m_store, m_central->update.get());
    if (client.credential.empty()) {
        syncOptions.enrollmentCode = m_config.enrollmentCode;
    }
    syncOptions.credentialFile = credentialFile;
    // Settled entries stay as long as a receipt can be accepted: their row refuses a second scan.
    syncOptions.keepSettled = std::max<std::chrono::seconds>(syncOptions.keepSettled, m_config.receiptMaxAge);
    m_central->sync = std::make_unique<sync::SyncWorker>(*m_store, std::move(*forSync), m_devices->clock,
                                                         syncOptions, std::move(events));
    m_central->sync->start();
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
    if (m_devices->scanner) {
        m_devices->scanner->stop();
    }
    if (m_central && m_central->sync) {
        m_central->sync->stop();
    }
}

Now App::now() const {
    // Receipt ages and claim times follow central's clock, not the kiosk's (which may be wrong): the
    // sync worker knows the learned offset, also offline (it is kept in the local store).
    const loyalty::UnixSeconds wall =
        m_central && m_central->sync ? m_central->sync->centralNow() : m_devices->clock.now();
    return {std::chrono::milliseconds{m_devices->clock.monotonicMs() + m_idleOffsetMs.load()}, wall};
}

void App::applyCentralConfig(const CentralConfig& config) {
    for (const auto& problem : config.problems) {
        spdlog::warn("central's config: {}", problem);
    }
    if (config.rewards) {
        m_journey->setRewards(*config.rewards);
        showRewardPictures(config.rewardPictures);
    }
    if (config.campaign) {
        m_journey->setCampaign(*config.campaign, now());
        // Offline the member's tier is unknown: the provisional figure is the base tier's, the lowest;
        // central's answer replaces it once the claim syncs.
        m_journey->setEstimator([c = *config.campaign](const loyalty::Receipt& receipt) {
            return std::optional<std::int64_t>(loyalty::computeEarning(receipt, {}, c).total);
        });
    }
    if (config.tierRules) {
        m_journey->setTierRules(*config.tierRules);
    }
    if (config.storeKeys) {
        if (auto keyring = loadStoreKeys(m_config.storeKeys)) {
            for (const auto& [store, key] : *config.storeKeys) {
                keyring->add(store, key);
            }
            m_journey->setKeyring(std::move(*keyring));
        }
    }
    if (config.staff) {
        m_staff = std::make_shared<const std::vector<StaffCredential>>(*config.staff);
        m_journey->setStaffIssued(!config.staff->empty());
    }
    if (config.look) {
        applyLook(*config.look);
    }
}

void App::showRewardPictures(const std::map<std::string, ui::Image>& pictures) {
    for (const auto& id : m_rewardPictures) {
        static_cast<void>(m_host->setPicture("reward:" + id, nullptr));
    }
    m_rewardPictures.clear();
    for (const auto& [id, rgba] : pictures) {
        if (m_host->setPicture("reward:" + id, &rgba)) {
            m_rewardPictures.push_back(id);
        } else {
            spdlog::warn("the picture of reward {} could not be shown", id);
        }
    }
}

void App::applyLook(const std::expected<ChainLook, std::string>& look) {
    m_framesToDraw = std::max(m_framesToDraw, 2);
    if (!look) {
        spdlog::warn("central's theme refused, the last good look stays: {}", look.error());
        m_central->lookRefused.store(std::make_shared<const std::string>(look.error()));
        return;
    }
    m_central->lookRefused.store(nullptr);
    const ui::Theme theme = look->theme.value_or(m_config.theme);
    if (theme != m_lookTheme) {
        m_host->setTheme(theme);
        m_lookTheme = theme;
    }
    // Fonts are checked against this kiosk's files and texts: refused, they alone keep their last good
    // families (the chain's colours and logo still apply).
    if (auto fonts = m_host->setFonts(look->fonts.value_or(ui::FontFamilies{})); !fonts) {
        spdlog::warn("central's fonts refused, the texts stay in {} and {}: {}", m_host->fonts().body,
                     m_host->fonts().heading, fonts.error());
        m_central->lookRefused.store(std::make_shared<const std::string>(fonts.error()));
    }
    if (look->logoPng == m_lookLogo) {
        return;
    }
    m_lookLogo = look->logoPng;
    if (!m_host->setPicture("logo", look->logo ? &*look->logo : nullptr)) {
        spdlog::warn("central's logo could not be shown");
    }
    // Paper: central's logo heads the tickets unless this kiosk has a logo file of its own.
    if (!m_devices->localLogo && m_devices->printer) {
        auto dots = hal::decodeBitmap(m_lookLogo, m_devices->printer->widthDots() * 2 / 3);
        m_devices->ticketLogo = dots ? std::make_shared<const hal::Bitmap>(std::move(*dots)) : nullptr;
    }
}

std::chrono::milliseconds App::waitTimeout() const {
    if (m_framesToDraw > 0 || m_host->injecting() || m_job) {
        return 0ms;
    }
    std::chrono::milliseconds timeout = 60'000ms;
    if (auto wake = m_journey->nextWake(now())) {
        timeout = std::clamp(*wake - now().mono, 0ms, 60'000ms);
    }
    if (m_journey->view().cameraPreview) {
        timeout = std::min(timeout, std::chrono::milliseconds{1000 / std::max(1, m_config.camera.fps)});
    }
    return std::min(timeout, m_notifier.maxWait());
}

void App::drainInbox() {
    for (auto& item : m_inbox->drain()) {
        if (const auto* event = std::get_if<Event>(&item)) {
            m_journey->onEvent(*event, now());
        } else {
            applyCentralConfig(std::get<CentralConfig>(item));
        }
    }
}

void App::showCameraFrame() {
    if (!m_journey->view().cameraPreview) {
        return;
    }
    // Polled with the preview: an unchanged tip leaves the view (and its revision) as it was.
    m_journey->onEvent(ScanTipChanged{adapter::toModel(m_devices->scanner->hint().hint)}, now());
    auto frame = m_devices->scanner->latestFrame();
    if (!frame || frame->format != hal::PixelFormat::Rgb24) {
        return;
    }
    ui::Image rgb;
    rgb.width = frame->width;
    rgb.height = frame->height;
    rgb.channels = 3;
    rgb.pixels.resize(static_cast<std::size_t>(frame->width) * static_cast<std::size_t>(frame->height) * 3U);
    for (int y = 0; y < frame->height; ++y) {
        std::copy_n(frame->row(y), static_cast<std::size_t>(frame->width) * 3U,
                    rgb.pixels.begin() + static_cast<std::ptrdiff_t>(y) * frame->width * 3);
    }
    m_host->setCameraImage(rgb);
    m_framesToDraw = std::max(m_framesToDraw, 1);
}

void App::drawIfDirty() {
    if (m_journey->view().revision != m_drawnRevision) {
        m_framesToDraw = std::max(m_framesToDraw, 2);
    }
    if (m_framesToDraw == 0 && !m_host->injecting()) {
        return;
    }
    const auto started = std::chrono::steady_clock::now();
    m_drawnRevision = m_journey->view().revision;
    const auto intents = m_host->frame(m_journey->view());
    m_lastFrameMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    m_maxFrameMs = std::max(m_maxFrameMs, m_lastFrameMs);
    if (m_framesDrawn++ == 0) {
        spdlog::info(
            "first frame {:.0f} ms after start",
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_processStart)
                .count());
        m_notifier.ready("attract screen shown");
        // After the first frame: opening an audio device (tens of ms) does not hold the attract screen back.
        m_chime = openChime(m_config.chimeVolume);
        if (m_central && m_central->update) {
            m_central->update->firstFrameDrawn();  // the update agent's health gate, first half
        }
    }
    m_framesToDraw = std::max(0, m_framesToDraw - 1);
    for (const auto& intent : intents) {
        m_journey->onIntent(intent, now());
    }
    dispatch(m_journey->takeCommands());
}

void App::askDevicesForUpdate() {
    m_devicesAsked = true;
    m_host->wake();
}

bool App::updateWantsRestart() {
    if (!m_central || !m_central->update) {
        return false;
    }
    const auto nowMs = m_devices->clock.monotonicMs();
    const bool session = m_journey->nextWake(now()).has_value();  // only Attract has no next wake
    if (m_lastActiveMs == 0 || session) {
        m_lastActiveMs = nowMs;
    }
    const auto quietMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(m_config.update.quietAfter).count();
    m_central->update->setIdle(!session);
    if (m_devicesAsked.exchange(false)) {
        checkDevicesForUpdate();
    }
    m_central->update->setQuiet(nowMs - m_lastActiveMs >= quietMs);
    return m_central->update->restartRequested();
}

int App::run() {
    // wait → drain → tick → dispatch → draw if dirty
    while (!m_host->quitRequested()) {
        const auto woken = m_host->waitForInput(waitTimeout());
        m_notifier.alive();
        if (woken.event) {
            m_framesToDraw = std::max(m_framesToDraw, 3);
        }
        if (woken.touch) {
            m_journey->touched(now());
            m_lastActiveMs = m_devices->clock.monotonicMs();
        }
        drainInbox();
        showCameraFrame();
        pollAutomation();
        m_journey->tick(now());
        dispatch(m_journey->takeCommands());
        if (m_journey->view().revision == m_drawnRevision) {
            finishAutomationJob();  // the screen as drawn is current: a tap may start on this frame
        }
        drawIfDirty();
        finishAutomationJob();
        if (updateWantsRestart()) {
            spdlog::info("the update agent switched versions: restarting");
            break;
        }
        if (m_restartRequested) {
            spdlog::info("staff asked for a restart");
            break;
        }
    }
    m_notifier.stopping();
    return 0;
}

}  // namespace kiosk
