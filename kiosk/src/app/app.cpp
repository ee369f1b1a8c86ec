#include "app.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "adapter.hpp"
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
#include "network/idempotency_key.hpp"
#include "tickets.hpp"
#include "worker.hpp"

namespace kiosk {

using nlohmann::json;
using namespace std::chrono_literals;

/// The kiosk's side of central: the client used by the `central` worker thread (member, OTP,
/// redemption) and the sync worker with its own client (claims, config, heartbeat).
struct CentralLink {
    std::optional<net::CentralClient> client;  ///< central-worker thread only; empty when offline by config
    std::unique_ptr<sync::SyncWorker> sync;
};

/// An automation command that needs several frames (tap, type): the taps still to inject.
struct App::AutomationJob {
    AutomationServer::Command command;
    std::deque<std::string> taps;
    bool started = false;
};

namespace {

CentralError offlineError() {
    return {"", false, "no central service configured"};
}

json stateOf(const ui::View& view) {
    json texts = json::array();
    texts.push_back(view.title);
    for (const auto& line : view.lines) {
        texts.push_back(line.text);
    }
    json controls = json::array();
    for (const auto& control : view.controls) {
        controls.push_back({{"id", control.id}, {"label", control.label}, {"enabled", control.enabled}});
        if (control.kind == ui::Control::Kind::Checkbox) {
            controls.back()["checked"] = control.checked;
        }
        if (!control.detail.empty()) {
            texts.push_back(control.detail);
        }
    }
    json state = {{"ok", true},
                  {"screen", ui::screenName(view.screen)},
                  {"language", view.language},
                  {"texts", texts},
                  {"controls", controls},
                  {"status", view.status},
                  {"revision", view.revision}};
    if (view.entry) {
        state["entry"] = *view.entry;
    }
    if (view.countdown) {
        state["countdown"] = *view.countdown;
    }
    if (view.tier) {
        state["tier"] = {
            {"id", view.tier->tierId}, {"name", view.tier->name}, {"progress", view.tier->progress}};
    }
    return state;
}

/// The printer's state as the journey's problem code: empty when a job may start.
std::string printerProblem(const hal::PrinterStatus& status) {
    if (status.ready()) {
        return {};
    }
    // A printer out of paper or with its cover open also reports itself offline (ESC/POS status
    // bits): the specific cause is what staff need to read.
    if (status.paper == hal::PaperLevel::Out) {
        return "paper_out";
    }
    if (status.coverOpen) {
        return "cover_open";
    }
    return status.online ? "other" : "offline";
}

/// Lays out and prints one ticket on the printer worker; empty: the whole ticket came out, otherwise the
/// problem code the journey shows. `what` names the ticket in the log. `text` is set whenever `printer` is.
template <typename Ticket>
std::string printTicket(hal::ReceiptPrinter* printer, hal::TextRaster* text, const hal::Bitmap* logo,
                        const Ticket& ticket, const std::string& what) {
    if (printer == nullptr) {
        return "offline";
    }
    auto job = ticket.layout(*text, printer->widthDots(), logo);
    if (!job) {
        spdlog::error("{}: cannot lay out the ticket: {}", what, job.error());
        return "other";
    }
    if (auto printed = printer->print(*job); !printed) {
        spdlog::warn("{} not printed: {}", what, printed.error().message);
        const std::string problem = printerProblem(printed.error().status);
        return problem.empty() ? "other" : problem;
    }
    return {};
}

json failure(const std::string& message) {
    return {{"ok", false}, {"error", message}};
}

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

/// Resident memory of this process (VmRSS), kilobytes; 0 if unknown.
std::int64_t residentKb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) {
            return std::strtoll(line.c_str() + 6, nullptr, 10);
        }
    }
    return 0;
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
        syncOptions.keepSettled =
            std::max<std::chrono::seconds>(syncOptions.keepSettled, m_config.receiptMaxAge);
        m_central->sync = std::make_unique<sync::SyncWorker>(*m_store, std::move(*forSync), m_clock,
                                                             syncOptions, std::move(events));
        m_central->sync->start();
    }

    if (auto cached = m_store->loadConfig(); cached && *cached) {
        applyCentralConfig((*cached)->body);
    }

    if (m_config.printerDriver != "none") {
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

void App::dispatch(std::vector<Command> commands) {
    for (auto& command : commands) {
        std::visit(
            [this](auto& c) {
                using T = std::decay_t<decltype(c)>;
                Inbox* inbox = m_inbox.get();
                CentralLink* central = m_central.get();
                if constexpr (std::is_same_v<T, LookupMember>) {
                    m_centralWorker->post([inbox, central, c] {
                        MemberLookedUp event{c.session, std::unexpected(offlineError())};
                        if (central->client) {
                            auto member = central->client->member(c.phone);
                            if (member) {
                                event.result = std::optional<Member>(adapter::toModel(*member));
                            } else if (member.error().kind == net::ErrorKind::Refused &&
                                       member.error().code == "not_found") {
                                event.result = std::optional<Member>();
                            } else {
                                event.result = std::unexpected(adapter::toModel(member.error()));
                            }
                        }
                        inbox->post(std::move(event));
                    });
                } else if constexpr (std::is_same_v<T, QueueClaim>) {
                    sync::LocalStore* store = m_store.get();
                    m_storeWorker->post([inbox, central, store, c] {
                        auto stored = store->enqueue(adapter::toStore(c.claim));
                        const bool queued = stored.has_value();
                        const std::int64_t pending =
                            queued ? store->pendingPoints(c.claim.phone).value_or(c.claim.provisionalPoints)
                                   : 0;
                        // Posted before the sync thread is woken; an answer that still comes first (a
                        // push already under way) waits in the journey until this arrives.
                        ClaimQueued event{c.session, std::unexpected(QueueFailure::Store), pending};
                        if (stored) {
                            event.idempotencyKey = std::move(*stored);
                        } else {
                            event.idempotencyKey = std::unexpected(adapter::toModel(stored.error()));
                        }
                        inbox->post(std::move(event));
                        if (queued && central->sync) {
                            central->sync->syncNow();
                        }
                    });
                } else if constexpr (std::is_same_v<T, RequestOtp>) {
                    m_centralWorker->post([inbox, central, c] {
                        OtpRequested event{c.session, std::unexpected(offlineError())};
                        if (central->client) {
                            event.result = adapter::toModel(central->client->requestOtp(c.phone));
                        }
                        inbox->post(std::move(event));
                    });
                } else if constexpr (std::is_same_v<T, Redeem>) {
                    sync::LocalStore* store = m_store.get();
                    m_centralWorker->post([inbox, central, store, c] {
                        Redeemed event{c.session, std::unexpected(offlineError())};
                        if (central->client) {
                            net::RedemptionRequest request = adapter::toNet(c.request);
                            request.idempotencyKey = net::newIdempotencyKey();
                            event.result = adapter::toModel(central->client->redeem(request));
                        }
                        if (event.result) {
                            // Kept before anything is printed, so staff can reprint a voucher whose
                            // print fails midway (it is safe on central either way).
                            const Voucher& v = event.result->voucher;
                            if (auto saved = store->saveVoucher(adapter::toStore(v)); !saved) {
                                spdlog::error("voucher {} not kept for reprints: {}", v.code,
                                              saved.error().message);
                            }
                        }
                        inbox->post(std::move(event));
                    });
                } else if constexpr (std::is_same_v<T, CheckPrinter>) {
                    hal::ReceiptPrinter* printer = m_printer.get();
                    m_printerWorker->post([inbox, printer, c] {
                        inbox->post(PrinterChecked{
                            c.session, printer == nullptr ? "offline" : printerProblem(printer->status())});
                    });
                } else if constexpr (std::is_same_v<T, PrintVoucher>) {
                    hal::ReceiptPrinter* printer = m_printer.get();
                    hal::TextRaster* text = m_ticketText.get();
                    const hal::Bitmap* logo = m_ticketLogo.get();
                    sync::LocalStore* store = m_store.get();
                    m_printerWorker->post([inbox, printer, text, logo, store, session = c.session,
                                           ticket = m_tickets->voucher(c.slip)] {
                        std::string problem =
                            printTicket(printer, text, logo, ticket, "voucher " + ticket.code);
                        if (problem.empty()) {
                            if (auto marked = store->markVoucherPrinted(ticket.code); !marked) {
                                spdlog::warn("voucher {} printed but not marked: {}", ticket.code,
                                             marked.error().message);
                            }
                        }
                        inbox->post(Printed{session, problem});
                    });
                } else if constexpr (std::is_same_v<T, PrintConsent>) {
                    hal::ReceiptPrinter* printer = m_printer.get();
                    hal::TextRaster* text = m_ticketText.get();
                    const hal::Bitmap* logo = m_ticketLogo.get();
                    m_printerWorker->post([inbox, printer, text, logo, session = c.session,
                                           ticket = m_tickets->consent(c.slip)] {
                        inbox->post(
                            Printed{session, printTicket(printer, text, logo, ticket, "consent receipt")});
                    });
                } else if constexpr (std::is_same_v<T, LoadStaffReport> ||
                                     std::is_same_v<T, AcknowledgeRefusal>) {
                    sync::LocalStore* store = m_store.get();
                    hal::Scanner* scanner = m_scanner.get();
                    m_storeWorker->post([inbox, store, scanner, c] {
                        if constexpr (std::is_same_v<T, AcknowledgeRefusal>) {
                            if (auto done = store->acknowledgeRefusal(c.refusalId); !done) {
                                spdlog::warn("refusal {} not acknowledged: {}", c.refusalId,
                                             done.error().message);
                            }
                        }
                        StaffReportLoaded event{c.session, StaffReport{}};
                        auto refusals = store->refusals();
                        auto vouchers = store->vouchers();
                        auto depth = store->outboxDepth();
                        if (!refusals || !vouchers || !depth) {
                            event.report = std::unexpected(!refusals   ? refusals.error().message
                                                           : !vouchers ? vouchers.error().message
                                                                       : depth.error().message);
                        } else {
                            StaffReport report;
                            for (const auto& refusal : *refusals) {
                                report.refusals.push_back(adapter::toModel(refusal));
                            }
                            for (const auto& voucher : *vouchers) {
                                report.vouchers.push_back(adapter::toModel(voucher));
                            }
                            report.outboxDepth = *depth;
                            const auto camera = scanner->cameraHealth();
                            report.cameraProblem = camera.healthy() ? "" : camera.lastError;
                            event.report = std::move(report);
                        }
                        inbox->post(std::move(event));
                    });
                }
            },
            command);
    }
}

void App::handleAutomation(AutomationServer::Command command) {
    const json& request = command.request;
    const std::string cmd = request.value("cmd", "");
    if (cmd == "state") {
        json state = stateOf(m_journey->view());
        state["frames"] = m_framesDrawn;
        state["last_frame_ms"] = m_lastFrameMs;
        state["max_frame_ms"] = m_maxFrameMs;
        state["rss_kb"] = residentKb();
        command.reply(std::move(state));
    } else if (cmd == "tap" || cmd == "type") {
        auto job = std::make_unique<AutomationJob>();
        if (cmd == "tap") {
            if (!request.contains("id") || !request["id"].is_string()) {
                command.reply(failure("tap needs a string \"id\""));
                return;
            }
            job->taps.push_back(request["id"].get<std::string>());
        } else {
            if (!request.contains("text") || !request["text"].is_string()) {
                command.reply(failure("type needs a string \"text\""));
                return;
            }
            for (char ch : request["text"].get<std::string>()) {
                if (ch < '0' || ch > '9') {
                    command.reply(failure("type takes digits only (the keypad has nothing else)"));
                    return;
                }
                job->taps.push_back(std::string("key:") + ch);
            }
        }
        job->command = std::move(command);
        m_job = std::move(job);
    } else if (cmd == "camera") {
        if (m_virtualCamera == nullptr) {
            command.reply(failure("the camera is not the virtual driver"));
            return;
        }
        const std::string image = request.contains("image") && request["image"].is_string()
                                      ? request["image"].get<std::string>()
                                      : std::string();
        if (image.empty()) {
            m_virtualCamera->clearShown();
            command.reply({{"ok", true}});
            return;
        }
        auto shown = m_virtualCamera->showFile(image);
        command.reply(shown ? json{{"ok", true}} : failure(shown.error()));
    } else if (cmd == "screenshot") {
        if (!request.contains("path") || !request["path"].is_string()) {
            command.reply(failure("screenshot needs a string \"path\""));
            return;
        }
        const std::string path = request["path"].get<std::string>();
        auto image = m_host->capture(m_journey->view());
        if (!image) {
            command.reply(failure(image.error()));
            return;
        }
        cv::Mat rgba(image->height, image->width, CV_8UC4, image->pixels.data());
        cv::Mat bgr;
        cv::cvtColor(rgba, bgr, cv::COLOR_RGBA2BGR);
        bool written = false;
        try {
            written = cv::imwrite(path, bgr);
        } catch (const cv::Exception& e) {
            spdlog::warn("screenshot {}: {}", path, e.what());
        }
        command.reply(
            written ? json{{"ok", true}, {"path", path}, {"width", image->width}, {"height", image->height}}
                    : failure("cannot write " + path));
    } else if (cmd == "idle") {
        if (!request.contains("advance_ms") || !request["advance_ms"].is_number_integer() ||
            request["advance_ms"].get<std::int64_t>() < 0) {
            command.reply(failure("idle needs a non-negative integer \"advance_ms\""));
            return;
        }
        m_idleOffsetMs += request["advance_ms"].get<std::int64_t>();
        m_journey->tick(now());
        command.reply({{"ok", true}, {"screen", ui::screenName(m_journey->view().screen)}});
    } else if (cmd == "advance") {
        if (!request.contains("ms") || !request["ms"].is_number_integer() ||
            request["ms"].get<std::int64_t>() < 0) {
            command.reply(failure("advance needs a non-negative integer \"ms\""));
            return;
        }
        m_clock.advance(std::chrono::milliseconds{request["ms"].get<std::int64_t>()});
        m_journey->tick(now());
        command.reply({{"ok", true}, {"screen", ui::screenName(m_journey->view().screen)}});
    } else {
        command.reply(
            failure("unknown cmd '" + cmd + "' (state, tap, type, camera, screenshot, idle, advance)"));
    }
}

void App::pollAutomation() {
    if (!m_automation) {
        return;
    }
    // One multi-frame job at a time; the listener waits for each answer before reading the next line.
    while (!m_job) {
        auto command = m_automation->take();
        if (!command) {
            return;
        }
        handleAutomation(std::move(*command));
    }
}

void App::finishAutomationJob() {
    if (!m_job || m_host->injecting()) {
        return;
    }
    if (m_job->started) {
        m_job->taps.pop_front();
    }
    if (m_job->taps.empty()) {
        json answer = stateOf(m_journey->view());
        m_job->command.reply(std::move(answer));
        m_job.reset();
        return;
    }
    const std::string& id = m_job->taps.front();
    if (!m_host->tap(id)) {
        m_job->command.reply(failure("no enabled control '" + id + "' on screen " +
                                     std::string(ui::screenName(m_journey->view().screen))));
        m_job.reset();
        return;
    }
    m_job->started = true;
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
        const auto woken = m_host->waitForInput(timeout);
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
            }
            framesToDraw = std::max(0, framesToDraw - 1);
            for (const auto& intent : intents) {
                m_journey->onIntent(intent, now());
            }
            dispatch(m_journey->takeCommands());
        }
        finishAutomationJob();
    }
    return 0;
}

}  // namespace kiosk
