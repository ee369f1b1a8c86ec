// App::dispatch: the journey's commands, carried out on the worker threads; their answers, mapped to
// the core's vocabulary (adapter.hpp), posted to the inbox.
#include <spdlog/spdlog.h>

#include <sodium.h>

#include "adapter.hpp"
#include "app_parts.hpp"
#include "hal/bitmap.hpp"
#include "hal/receipt_printer.hpp"
#include "hal/scanner.hpp"
#include "hal/text_raster.hpp"
#include "inbox.hpp"
#include "kiosk/sync/local_store.hpp"
#include "network/games.hpp"
#include "network/idempotency_key.hpp"
#include "tickets.hpp"
#include "worker.hpp"

namespace kiosk {
namespace {

CentralError offlineError() {
    return {"", false, "no central service configured"};
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

}  // namespace

void App::dispatch(std::vector<Command> commands) {
    for (const auto& command : commands) {
        std::visit([this](const auto& c) { carryOut(c); }, command);
    }
}

void App::carryOut(const LookupMember& c) {
    Inbox* inbox = m_inbox.get();
    CentralLink* central = m_central.get();
    m_centralWorker->post([inbox, central, c] {
        MemberLookedUp event{c.session, std::unexpected(offlineError())};
        if (central->client) {
            auto member = central->client->member(c.phone);
            if (member) {
                event.result = std::optional<Member>(adapter::toModel(*member));
            } else if (member.error().kind == net::ErrorKind::Refused && member.error().code == "not_found") {
                event.result = std::optional<Member>();
            } else {
                event.result = std::unexpected(adapter::toModel(member.error()));
            }
        }
        inbox->post(std::move(event));
    });
}

void App::carryOut(const QueueClaim& c) {
    Inbox* inbox = m_inbox.get();
    CentralLink* central = m_central.get();
    sync::LocalStore* store = m_store.get();
    m_storeWorker->post([inbox, central, store, c] {
        auto stored = store->enqueue(adapter::toStore(c.claim));
        const bool queued = stored.has_value();
        const std::int64_t pending =
            queued ? store->pendingPoints(c.claim.phone).value_or(c.claim.provisionalPoints) : 0;
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
}

void App::carryOut(const RequestOtp& c) {
    Inbox* inbox = m_inbox.get();
    CentralLink* central = m_central.get();
    m_centralWorker->post([inbox, central, c] {
        OtpRequested event{c.session, std::unexpected(offlineError())};
        if (central->client) {
            event.result = adapter::toModel(central->client->requestOtp(c.phone, c.rewardId));
        }
        inbox->post(std::move(event));
    });
}

void App::carryOut(const Redeem& c) {
    Inbox* inbox = m_inbox.get();
    CentralLink* central = m_central.get();
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
                spdlog::error("voucher {} not kept for reprints: {}", v.code, saved.error().message);
            }
        }
        inbox->post(std::move(event));
    });
}

void App::carryOut(const CheckPrinter& c) {
    Inbox* inbox = m_inbox.get();
    hal::ReceiptPrinter* printer = m_devices->printer.get();
    m_printerWorker->post([inbox, printer, c] {
        inbox->post(
            PrinterChecked{c.session, printer == nullptr ? "offline" : printerProblem(printer->status())});
    });
}

void App::carryOut(const PrintVoucher& c) {
    Inbox* inbox = m_inbox.get();
    hal::ReceiptPrinter* printer = m_devices->printer.get();
    hal::TextRaster* text = m_devices->ticketText.get();
    std::shared_ptr<const hal::Bitmap> logo = m_devices->ticketLogo;
    sync::LocalStore* store = m_store.get();
    m_printerWorker->post([inbox, printer, text, logo, store, session = c.session,
                           ticket = m_tickets->voucher(c.slip)] {
        std::string problem = printTicket(printer, text, logo.get(), ticket, "voucher " + ticket.code);
        if (problem.empty()) {
            if (auto marked = store->markVoucherPrinted(ticket.code); !marked) {
                spdlog::warn("voucher {} printed but not marked: {}", ticket.code, marked.error().message);
            }
        }
        inbox->post(Printed{session, problem});
    });
}

void App::carryOut(const PrintConsent& c) {
    Inbox* inbox = m_inbox.get();
    hal::ReceiptPrinter* printer = m_devices->printer.get();
    hal::TextRaster* text = m_devices->ticketText.get();
    std::shared_ptr<const hal::Bitmap> logo = m_devices->ticketLogo;
    m_printerWorker->post(
        [inbox, printer, text, logo, session = c.session, ticket = m_tickets->consent(c.slip)] {
            inbox->post(Printed{session, printTicket(printer, text, logo.get(), ticket, "consent receipt")});
        });
}

template <typename T>
void App::reportToStaff(const T& c) {
    Inbox* inbox = m_inbox.get();
    sync::LocalStore* store = m_store.get();
    hal::Scanner* scanner = m_devices->scanner.get();
    m_storeWorker->post([inbox, store, scanner, update = m_central->update, c] {
        if constexpr (std::is_same_v<T, AcknowledgeRefusal>) {
            if (auto done = store->acknowledgeRefusal(c.refusalId); !done) {
                spdlog::warn("refusal {} not acknowledged: {}", c.refusalId, done.error().message);
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
            report.staffActionsUnsent = store->unsentStaffActionCount().value_or(0);
            const auto camera = scanner->cameraHealth();
            report.cameraProblem = camera.healthy() ? "" : camera.lastError;
            if (update) {
                report.update = adapter::toModel(*update);
            }
            event.report = std::move(report);
        }
        inbox->post(std::move(event));
    });
}

void App::carryOut(const LoadStaffReport& c) {
    reportToStaff(c);
}

void App::carryOut(const AcknowledgeRefusal& c) {
    reportToStaff(c);
}

void App::carryOut(const LoadGames& c) {
    Inbox* inbox = m_inbox.get();
    CentralLink* central = m_central.get();
    m_centralWorker->post([inbox, central, c] {
        GamesLoaded event{c.session, std::unexpected(offlineError())};
        if (central->client) {
            auto games = central->client->games();
            auto member = games ? central->client->memberGames(c.phone) : std::unexpected(games.error());
            if (games && member) {
                event.result = adapter::toModel(*games, *member);
            } else {
                event.result = std::unexpected(adapter::toModel(games ? member.error() : games.error()));
            }
        }
        inbox->post(std::move(event));
    });
}

void App::carryOut(const DrawGame& c) {
    Inbox* inbox = m_inbox.get();
    CentralLink* central = m_central.get();
    sync::LocalStore* store = m_store.get();
    m_centralWorker->post([inbox, central, store, c] {
        GameDrawn event{c.session, std::unexpected(offlineError())};
        if (central->client) {
            // One key for this play: an answer lost on the way is asked again and never draws twice.
            const std::string key = net::newIdempotencyKey();
            auto drawn = central->client->draw(c.gameId, c.phone, key);
            if (!drawn && !drawn.error().definitive()) {
                drawn = central->client->draw(c.gameId, c.phone, key);
            }
            if (drawn) {
                event.result = adapter::toModel(drawn->draw);
            } else {
                event.result = std::unexpected(adapter::toModel(drawn.error()));
            }
        }
        if (event.result && event.result->voucher) {
            // Kept before it is shown or printed, so staff can reprint a prize voucher.
            if (auto saved = store->saveVoucher(adapter::toStore(*event.result->voucher)); !saved) {
                spdlog::error("prize voucher not kept for reprints: {}", saved.error().message);
            }
        }
        inbox->post(std::move(event));
    });
}

void App::carryOut(const MarkDrawShown& c) {
    CentralLink* central = m_central.get();
    m_centralWorker->post([central, c] {
        // Lost, it only means central lists the draw again the next time the member plays here.
        if (central->client) {
            if (auto marked = central->client->markDisplayed(c.key, c.phone); !marked) {
                spdlog::warn("draw {} not marked displayed: {}", c.key, marked.error().message);
            }
        }
    });
}

void App::carryOut(const BuyGameTicket& c) {
    Inbox* inbox = m_inbox.get();
    CentralLink* central = m_central.get();
    m_centralWorker->post([inbox, central, c] {
        GameTicketBought event{c.session, std::unexpected(offlineError())};
        if (central->client) {
            // One key for this purchase: an answer lost on the way is asked again and never debits twice.
            const std::string key = net::newIdempotencyKey();
            auto bought = central->client->buyTicket(c.gameId, c.phone, c.otp, key);
            if (!bought && !bought.error().definitive()) {
                bought = central->client->buyTicket(c.gameId, c.phone, c.otp, key);
            }
            event.result = adapter::toModel(bought);
        }
        inbox->post(std::move(event));
    });
}

void App::carryOut(const WithdrawConsent& c) {
    Inbox* inbox = m_inbox.get();
    CentralLink* central = m_central.get();
    m_centralWorker->post([inbox, central, c] {
        ConsentWithdrawn event{c.session, std::unexpected(offlineError())};
        if (central->client) {
            // Withdrawing twice leaves it withdrawn: a retry after a lost answer is harmless.
            auto withdrawn = central->client->withdrawMarketingConsent(c.phone);
            if (!withdrawn && !withdrawn.error().definitive()) {
                withdrawn = central->client->withdrawMarketingConsent(c.phone);
            }
            if (withdrawn) {
                event.result = {};
                spdlog::info("a member withdrew marketing consent at this kiosk");
            } else {
                event.result = std::unexpected(adapter::toModel(withdrawn.error()));
            }
        }
        inbox->post(std::move(event));
    });
}

void App::carryOut(const CallStaff& c) {
    Inbox* inbox = m_inbox.get();
    if (!m_central || !m_central->sync) {
        inbox->post(StaffCalled{c.session, false});  // no central to tell: the screen says so
        return;
    }
    m_central->staffCalledAt = m_central->sync->centralNow();
    spdlog::info("a shopper called staff");
    m_central->sync->heartbeatNow([inbox, session = c.session](bool answered) {
        inbox->post(StaffCalled{session, answered});
    });
}

// ---- staff maintenance (issue 13) --------------------------------------------------------------------

std::map<std::string, std::string> heartbeatHealth(hal::Scanner& scanner, const CentralLink& link) {
    const auto camera = scanner.cameraHealth();
    std::map<std::string, std::string> health{{"camera", camera.healthy() ? "ok" : camera.lastError}};
    if (const auto called = link.staffCalledAt.load();
        called > 0 && link.sync && link.sync->centralNow() - called < kStaffCallReported) {
        health["staff_call"] = std::to_string(called);
    }
    if (const auto refused = link.lookRefused.load()) {
        health["theme"] = "refused: " + *refused;
    }
    return health;
}

bool takeServiceCommand(const net::Command& command, sync::LocalStore& store, Inbox& inbox) {
    if (command.type != "out_of_service") {
        return false;
    }
    const ServiceNotice notice{
        command.field("on") == "true",
        {command.field("message_vi").substr(0, 200), command.field("message_en").substr(0, 200)},
        "central"};
    // Saved first: a kiosk restarted offline keeps head office's decision.
    if (auto saved = store.saveServiceState(adapter::toStore(notice)); !saved) {
        spdlog::error("out_of_service from central not saved: {}", saved.error().message);
    }
    inbox.post(ServiceChanged{notice});
    return true;
}

void App::carryOut(const CheckStaffPin& c) {
    Inbox* inbox = m_inbox.get();
    m_storeWorker->post([inbox, staff = m_staff, c] {
        StaffPinChecked event{c.session, std::nullopt};
        // Argon2id (crypto_pwhash_str_verify): ~0.1 s and 64 MiB per member, so never on the UI thread.
        for (const auto& member : *staff) {
            if (crypto_pwhash_str_verify(member.pinHash.c_str(), c.pin.data(), c.pin.size()) == 0) {
                event.staff = StaffMember{member.id, member.name};
                break;
            }
        }
        inbox->post(std::move(event));
    });
}

void App::carryOut(const RecordStaffAction& c) {
    sync::LocalStore* store = m_store.get();
    CentralLink* central = m_central.get();
    const loyalty::UnixSeconds at = central->sync ? central->sync->centralNow() : now().wall;
    m_storeWorker->post([store, central, at, c] {
        const sync::StaffAction action{0, net::newIdempotencyKey(), c.staffId, c.action, c.detail, at};
        if (auto recorded = store->recordStaffAction(action); !recorded) {
            spdlog::error("staff action {} by {} not recorded: {}", c.action, c.staffId,
                          recorded.error().message);
            return;
        }
        spdlog::info("staff {}: {} {}", c.staffId, c.action, c.detail);
        if (central->sync) {
            central->sync->sendStaffLogNow();
        }
    });
}

void App::carryOut(const PrintTestPage& c) {
    Inbox* inbox = m_inbox.get();
    hal::ReceiptPrinter* printer = m_devices->printer.get();
    hal::TextRaster* text = m_devices->ticketText.get();
    std::shared_ptr<const hal::Bitmap> logo = m_devices->ticketLogo;
    m_printerWorker->post([inbox, printer, text, logo, session = c.session,
                           ticket = m_tickets->testPage(c.staffName, runningVersion(m_config), now().wall)] {
        inbox->post(Printed{session, printTicket(printer, text, logo.get(), ticket, "test page")});
    });
}

void App::carryOut(const SetService& c) {
    Inbox* inbox = m_inbox.get();
    sync::LocalStore* store = m_store.get();
    m_storeWorker->post([inbox, store, c] {
        if (auto saved = store->saveServiceState(adapter::toStore(c.notice)); !saved) {
            spdlog::error("out-of-service state not saved: {}", saved.error().message);
        }
        inbox->post(ServiceChanged{c.notice});
    });
}

void App::carryOut(const RestartApp& /*c*/) {
    // After the store worker wrote what was queued before it (the staff action naming the restart).
    m_storeWorker->post([this] {
        m_restartRequested = true;
        m_host->wake();
    });
}

void App::carryOut(const InstallUpdateNow& /*c*/) {
    if (!m_central->update) {
        return;
    }
    // After the store worker wrote the staff action queued before it: the switch restarts the app.
    m_storeWorker->post([store = m_store.get(), update = m_central->update] {
        if (auto saved = store->saveUpdatePostponedUntil(0); !saved) {
            spdlog::error("update postponement not cleared: {}", saved.error().message);
        }
        update->installNow();
    });
}

void App::carryOut(const PostponeUpdate& /*c*/) {
    if (!m_central->update) {
        return;
    }
    // Saved before the agent holds back, so a restart (or a power cut) keeps it; the staff report that
    // follows on the same worker reads it.
    const auto until = now().wall + std::chrono::seconds{sync::kUpdatePostpone}.count();
    m_storeWorker->post([store = m_store.get(), update = m_central->update, until] {
        if (auto saved = store->saveUpdatePostponedUntil(until); !saved) {
            spdlog::error("update postponement not saved (kept until the app restarts): {}",
                          saved.error().message);
        }
        update->postpone(until);
    });
}

void App::carryOut(const PlayChime& /*c*/) {
    if (m_chime) {
        m_chime->play();  // queued for SDL's audio thread: never waits
    }
}

void App::checkDevicesForUpdate() {
    hal::Scanner* scanner = m_devices->scanner.get();
    hal::ReceiptPrinter* printer = m_devices->printer.get();
    m_printerWorker->post([scanner, printer, update = m_central->update] {
        std::string problem;
        if (const auto camera = scanner->cameraHealth(); !camera.healthy()) {
            problem = "camera not open" + (camera.lastError.empty() ? "" : " (" + camera.lastError + ")");
        }
        // A printer out of paper or with its cover open answers: staff fix that, not a rollback.
        if (printer != nullptr && printerProblem(printer->status()) == "offline") {
            problem += (problem.empty() ? "" : ", ") + std::string("printer not answering");
        }
        update->devicesChecked(problem);
    });
}

}  // namespace kiosk
