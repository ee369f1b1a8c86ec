#include "kiosk/journey.hpp"

#include <algorithm>
#include <charconv>

#include "kiosk/wording.hpp"
#include "loyalty/time.hpp"

namespace kiosk {
namespace {

constexpr std::size_t kPhoneDigits = 10;
constexpr std::size_t kOtpDigits = 6;
constexpr std::size_t kStaffPinMaxDigits = 8;
constexpr std::size_t kStaffPinMinDigits = 4;
/// Rows of refused claims and of vouchers the maintenance screen lists (each with its button): what
/// fits a landscape screen; the count of the others is shown.
constexpr std::size_t kStaffRows = 2;
/// A receipt not read after this long on the Scan screen gets the shopper a tip (flatten it, ...).
constexpr std::chrono::milliseconds kScanHelpAfter{8'000};

/// "0901234567" typed so far, grouped as Vietnamese numbers are written: "090 123 4567".
std::string groupPhone(const std::string& digits) {
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i == 3 || i == 6) {
            out += ' ';
        }
        out += digits[i];
    }
    return out;
}

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};

}  // namespace

Journey::Journey(JourneyConfig config, const ui::Strings& vi, const ui::Strings& en, std::string language)
    : m_config(std::move(config)),
      m_vi(vi),
      m_en(en),
      m_language(std::move(language)),
      m_defaultLanguage(m_language) {
    rebuild();
}

std::vector<Command> Journey::takeCommands() {
    std::vector<Command> out;
    out.swap(m_commands);
    return out;
}

bool Journey::wantsCamera() const {
    return m_step == Step::Attract || m_step == Step::Scan;
}

std::optional<std::chrono::milliseconds> Journey::nextWake(Now now) const {
    if (m_step == Step::Attract) {
        return std::nullopt;
    }
    const auto deadline = m_lastActivity + m_config.idleTimeout;
    const auto countdownStart = deadline - m_config.countdownFrom;
    if (m_step == Step::Scan && !m_scanHelp && now.mono < m_lastActivity + kScanHelpAfter) {
        return std::min(countdownStart, m_lastActivity + kScanHelpAfter);
    }
    if (now.mono < countdownStart) {
        return countdownStart;
    }
    // Inside the countdown: wake on every whole second so the number ticks down.
    const auto left = deadline - now.mono;
    const auto intoSecond = left % std::chrono::milliseconds{1000};
    return now.mono + (intoSecond.count() == 0 ? std::chrono::milliseconds{1000} : intoSecond);
}

void Journey::wipe() {
    m_s = Session{};
    m_staff = Staff{};
    m_pending = Pending::None;
    m_step = Step::Attract;
    m_language = m_defaultLanguage;
    m_countdownShown.reset();
    m_scanHelp = false;
    ++m_session;
    rebuild();
}

void Journey::go(Step step) {
    m_step = step;
    rebuild();
}

void Journey::setMessage(std::string key, std::vector<std::pair<std::string_view, std::string>> args) {
    m_s.messageKey = std::move(key);
    m_s.messageArgs = std::move(args);
}

std::string Journey::tr(std::string_view key,
                        const std::vector<std::pair<std::string_view, std::string>>& args) const {
    return (m_language == "en" ? m_en : m_vi).text(key, args);
}

std::string Journey::errorText(std::string_view prefix, const std::string& code,
                               const std::string& fallbackKey) const {
    const auto& strings = m_language == "en" ? m_en : m_vi;
    const std::string key = std::string(prefix) + code;
    return strings.has(key) ? strings.text(key) : strings.text(fallbackKey);
}

void Journey::setRewards(std::vector<Reward> rewards) {
    m_config.rewards = std::move(rewards);
    rebuild();
}

void Journey::setKeyring(loyalty::StoreKeyring keyring) {
    m_config.keyring = std::move(keyring);
}

void Journey::setEstimator(
    std::function<std::optional<std::int64_t>(const loyalty::Receipt&)> estimatePoints) {
    m_config.estimatePoints = std::move(estimatePoints);
}

void Journey::setCampaign(const loyalty::Campaign& campaign, Now now) {
    m_campaignName = campaign.name;
    m_promotions.clear();
    const loyalty::LocalDate today = loyalty::localDate(now.wall);
    for (const auto& promotion : campaign.promotions) {
        if (promotion.kind == loyalty::Promotion::Kind::Weekend || promotion.to >= today) {
            m_promotions.push_back(promotion);
        }
    }
    rebuild();
}

// ---- inputs ------------------------------------------------------------------------------------------

void Journey::tick(Now now) {
    if (m_step == Step::Attract) {
        return;
    }
    const auto deadline = m_lastActivity + m_config.idleTimeout;
    if (now.mono >= deadline) {
        wipe();
        return;
    }
    const bool help = m_step == Step::Scan && now.mono >= m_lastActivity + kScanHelpAfter;
    if (help != m_scanHelp) {
        m_scanHelp = help;
        rebuild();
    }
    std::optional<std::int64_t> shown;
    if (now.mono >= deadline - m_config.countdownFrom) {
        // Round up: "5 s" stays on screen until 4 s are left, and 0 is never shown.
        shown = (deadline - now.mono + std::chrono::milliseconds{999}) / std::chrono::milliseconds{1000};
    }
    if (shown != m_countdownShown) {
        m_countdownShown = shown;
        rebuild();
    }
}

void Journey::touched(Now now) {
    m_lastActivity = now.mono;
    if (m_countdownShown) {
        m_countdownShown.reset();
        rebuild();
    }
}

void Journey::onIntent(const ui::Intent& intent, Now now) {
    m_lastActivity = now.mono;
    m_countdownShown.reset();
    const std::string& id = intent.id;
    if (id == "lang") {
        m_language = m_language == "vi" ? "en" : "vi";
        rebuild();
        return;
    }
    const ui::Control* control = m_view.control(id);
    if (control == nullptr || !control->enabled) {
        return;  // a stale touch on a control the current screen does not offer
    }
    switch (m_step) {
        case Step::Attract:
            if (id == "start") {
                go(Step::Scan);
            } else if (id == "staff") {
                tapStaffCorner(now);
            }
            break;
        case Step::Scan:
            if (id == "back") {
                wipe();
            }
            break;
        case Step::Phone:
            if (id.starts_with("key:")) {
                handleKey(id.substr(4));
            } else if (id == "ok") {
                submitPhone();
            } else if (id == "back") {
                m_s.digits.clear();
                setMessage("");
                go(Step::Scan);
            }
            break;
        case Step::Consent:
            if (id == "consent:join") {
                m_s.consentJoin = !m_s.consentJoin;
                rebuild();
            } else if (id == "consent:marketing") {
                m_s.consentMarketing = !m_s.consentMarketing;
                rebuild();
            } else if (id == "ok" && m_s.consentJoin) {
                m_pending = Pending::Queue;
                m_s.workingKey = "working.saving";
                NewClaim claim;
                claim.receiptId = m_s.receipt->id();
                claim.token = m_s.token;
                claim.phone = m_s.phone->national();
                claim.consentJoin = true;
                claim.consentMarketing = m_s.consentMarketing;
                claim.consentTextVersion = m_config.consentTextVersion;
                claim.acceptedAt = now.wall;
                claim.provisionalPoints = m_s.provisional.value_or(0);
                m_s.consentAt = now.wall;
                m_commands.emplace_back(QueueClaim{m_session, std::move(claim)});
                go(Step::Working);
            } else if (id == "back") {
                go(Step::Phone);
            }
            break;
        case Step::Working:
            break;
        case Step::Result:
            if (id == "rewards") {
                setMessage("");
                go(Step::Rewards);
            } else if (id == "history") {
                go(Step::History);
            } else if (id == "print_consent") {
                // The printer is asked first, as for a voucher: no job starts on a printer that is
                // known to be unable to finish it.
                m_s.consentPrint.reset();
                m_pending = Pending::PrinterBeforeConsent;
                m_commands.emplace_back(CheckPrinter{m_session});
                rebuild();
            } else if (id == "done") {
                wipe();
            }
            break;
        case Step::Rewards:
            if (id.starts_with("reward:")) {
                chooseReward(id.substr(7));
            } else if (id == "back") {
                setMessage("");
                go(Step::Result);
            }
            break;
        case Step::Otp:
            if (id.starts_with("key:")) {
                handleKey(id.substr(4));
            } else if (id == "ok") {
                submitOtp();
            } else if (id == "back") {
                m_s.digits.clear();
                setMessage("");
                go(Step::Rewards);
            }
            break;
        case Step::Voucher:
            if (id == "done") {
                wipe();
            } else if (id == "back") {
                m_s.voucher.reset();
                setMessage("");
                go(Step::Result);
            }
            break;
        case Step::History:
            if (id == "back") {
                go(Step::Result);
            }
            break;
        case Step::StaffPin:
            if (id.starts_with("key:")) {
                handleKey(id.substr(4));
            } else if (id == "ok") {
                submitStaffPin(now);
            } else if (id == "back") {
                wipe();
            }
            break;
        case Step::Maintenance:
            onMaintenanceIntent(id);
            break;
    }
}

void Journey::tapStaffCorner(Now now) {
    if (now.mono < m_staffLockedUntil) {
        return;
    }
    if (m_staff.cornerTaps == 0 || now.mono - m_staff.firstTap > kStaffTapWindow) {
        m_staff.cornerTaps = 0;
        m_staff.firstTap = now.mono;
    }
    if (++m_staff.cornerTaps < kStaffTaps) {
        return;
    }
    m_staff.cornerTaps = 0;
    m_s.digits.clear();
    setMessage("");
    go(Step::StaffPin);
}

void Journey::submitStaffPin(Now now) {
    if (m_s.digits.size() < kStaffPinMinDigits) {
        return;
    }
    const bool right = m_s.digits == m_config.staffPin;
    m_s.digits.clear();
    if (!right) {
        if (++m_staff.wrongPins >= kStaffPinTries) {
            m_staffLockedUntil = now.mono + kStaffLockout;
            wipe();
            return;
        }
        setMessage("staff.error.wrong_pin");
        rebuild();
        return;
    }
    setMessage("");
    m_staff.wrongPins = 0;
    m_commands.emplace_back(LoadStaffReport{m_session});
    m_commands.emplace_back(CheckPrinter{m_session});
    go(Step::Maintenance);
}

void Journey::setNotice(std::string key, ui::Tone tone,
                        std::vector<std::pair<std::string_view, std::string>> args) {
    m_staff.noticeKey = std::move(key);
    m_staff.noticeTone = tone;
    m_staff.noticeArgs = std::move(args);
}

void Journey::onMaintenanceIntent(const std::string& id) {
    if (id == "back") {
        wipe();
    } else if (id.starts_with("ack:")) {
        std::int64_t refusal = 0;
        const std::string digits = id.substr(4);
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), refusal);
        if (error == std::errc() && end == digits.data() + digits.size()) {
            m_commands.emplace_back(AcknowledgeRefusal{m_session, refusal});
        }
    } else if (id.starts_with("reprint:") && m_pending == Pending::None) {
        // The printer is asked first, as for a shopper's voucher: no job starts on a printer that is
        // out of paper or open.
        m_staff.reprintCode = id.substr(8);
        m_pending = Pending::PrinterBeforeReprint;
        setNotice("working.printer", ui::Tone::Normal);
        m_commands.emplace_back(CheckPrinter{m_session});
        rebuild();
    }
}

void Journey::onStaffPrinterChecked(const std::string& problem, Now now) {
    m_staff.printerProblem = problem;
    if (m_pending != Pending::PrinterBeforeReprint) {
        rebuild();
        return;
    }
    m_pending = Pending::None;
    const KeptVoucher* kept = nullptr;
    if (m_staff.report) {
        const auto& list = m_staff.report->vouchers;
        const auto found = std::find_if(list.begin(), list.end(), [&](const KeptVoucher& v) {
            return v.voucher.code == m_staff.reprintCode;
        });
        kept = found == list.end() ? nullptr : &*found;
    }
    if (kept == nullptr) {
        setNotice("", ui::Tone::Normal);  // the list changed meanwhile: nothing to print
        rebuild();
        return;
    }
    if (!problem.empty()) {
        setNotice("staff.reprint_failed", ui::Tone::Error,
                  {{"code", kept->voucher.code},
                   {"problem", errorText("staff.printer_problem.", problem, "staff.printer_problem.other")}});
        rebuild();
        return;
    }
    m_pending = Pending::Reprint;
    setNotice("working.printing", ui::Tone::Normal);
    m_commands.emplace_back(PrintVoucher{m_session, VoucherSlip{kept->voucher, m_language, "", now.wall}});
    rebuild();
}

ConsentSlip Journey::consentSlip(Now now) const {
    return {m_language, m_s.consentMarketing, m_s.phone ? m_s.phone->masked() : "",
            m_config.consentTextVersion, m_s.consentAt > 0 ? m_s.consentAt : now.wall};
}

void Journey::handleKey(const std::string& key) {
    const std::size_t max = m_step == Step::Otp        ? kOtpDigits
                            : m_step == Step::StaffPin ? kStaffPinMaxDigits
                                                       : kPhoneDigits;
    if (key == "del") {
        if (!m_s.digits.empty()) {
            m_s.digits.pop_back();
        }
    } else if (key.size() == 1 && key[0] >= '0' && key[0] <= '9' && m_s.digits.size() < max) {
        m_s.digits += key;
    }
    setMessage("");
    rebuild();
}

void Journey::submitPhone() {
    auto phone = loyalty::parsePhone(m_s.digits, *m_config.phonePolicy);
    if (!phone) {
        setMessage("phone.error." + std::string(loyalty::phoneErrorCode(phone.error())));
        rebuild();
        return;
    }
    m_s.phone = *phone;
    m_s.digits.clear();
    setMessage("");
    m_pending = Pending::Member;
    m_s.workingKey = "working.checking";
    m_commands.emplace_back(LookupMember{m_session, m_s.phone->national()});
    go(Step::Working);
}

void Journey::chooseReward(const std::string& id) {
    const Reward* r = reward(id);
    if (r == nullptr || !m_s.member || m_s.member->balance < r->points) {
        return;
    }
    m_s.selectedReward = id;
    setMessage("");
    // The printer is asked first: no code is sent and no point is spent for a voucher it cannot print.
    m_pending = Pending::PrinterBeforeOtp;
    m_s.workingKey = "working.printer";
    m_commands.emplace_back(CheckPrinter{m_session});
    go(Step::Working);
}

void Journey::submitOtp() {
    if (m_s.digits.size() != kOtpDigits) {
        return;
    }
    m_pending = Pending::PrinterBeforeRedeem;
    m_s.workingKey = "working.printer";
    m_commands.emplace_back(CheckPrinter{m_session});
    go(Step::Working);
}

void Journey::handleScan(const std::string& text, Now now) {
    auto receipt = loyalty::verifyReceiptToken(text, m_config.keyring, now.wall, m_config.verifyPolicy);
    if (!receipt) {
        // Another QR (a payment code, a URL) on the attract screen is noise, not a refused receipt.
        if (m_step == Step::Attract && receipt.error() == loyalty::TokenError::NotAReceiptToken) {
            return;
        }
        m_lastActivity = now.mono;
        setMessage("scan.error." + std::string(loyalty::tokenErrorCode(receipt.error())));
        go(Step::Scan);
        return;
    }
    m_lastActivity = now.mono;
    m_s.receipt = *receipt;
    m_s.token = text;
    m_s.provisional = m_config.estimatePoints ? m_config.estimatePoints(*receipt) : std::nullopt;
    m_s.digits.clear();
    setMessage("");
    go(Step::Phone);
}

void Journey::applySettlement(const ClaimOutcome& outcome) {
    m_s.settled = outcome;
    if (outcome.status == ClaimOutcome::Status::Accepted && m_s.phone) {
        m_commands.emplace_back(LookupMember{m_session, m_s.phone->national()});
    }
}

void Journey::onEvent(const Event& event, Now now) {
    std::visit(
        Overloaded{
            [&](const CodeScanned& e) {
                if (wantsCamera()) {
                    handleScan(e.text, now);
                }
            },
            [&](const MemberLookedUp& e) {
                if (e.session != m_session) {
                    return;
                }
                if (e.result && *e.result) {
                    m_s.member = **e.result;
                    m_s.memberKnown = true;
                }
                if (m_pending != Pending::Member) {
                    rebuild();  // a refresh after the claim settled: new balance, tier, history
                    return;
                }
                m_pending = Pending::None;
                if (e.result && *e.result) {
                    // A returning member: the claim goes straight in, no question asked.
                    m_pending = Pending::Queue;
                    m_s.workingKey = "working.saving";
                    NewClaim claim;
                    claim.receiptId = m_s.receipt->id();
                    claim.token = m_s.token;
                    claim.phone = m_s.phone->national();
                    // Central wants the text version on every claim; join=false records no consent.
                    claim.consentTextVersion = m_config.consentTextVersion;
                    claim.acceptedAt = now.wall;
                    claim.provisionalPoints = m_s.provisional.value_or(0);
                    m_commands.emplace_back(QueueClaim{m_session, std::move(claim)});
                    rebuild();
                    return;
                }
                // Unknown to central, or central unreachable: the shopper decides about joining.
                m_s.consentJoin = false;
                m_s.consentMarketing = false;
                go(Step::Consent);
            },
            [&](const ClaimQueued& e) {
                if (e.session != m_session || m_pending != Pending::Queue) {
                    return;
                }
                m_pending = Pending::None;
                if (!e.idempotencyKey) {
                    m_s.receipt.reset();
                    setMessage(e.idempotencyKey.error() == QueueFailure::Duplicate
                                   ? "scan.error.already_claimed_here"
                                   : "scan.error.store_failed");
                    go(Step::Scan);
                    return;
                }
                m_s.claimKey = *e.idempotencyKey;
                m_s.pendingPoints = e.pendingPoints;
                // The sync thread may have pushed the claim, and central answered, before the store
                // thread said it was queued: that answer waited here.
                const auto early = std::find_if(
                    m_s.earlyAnswers.begin(), m_s.earlyAnswers.end(),
                    [&](const ClaimSettled& answer) { return answer.idempotencyKey == m_s.claimKey; });
                if (early != m_s.earlyAnswers.end()) {
                    applySettlement(early->outcome);
                }
                m_s.earlyAnswers.clear();
                go(Step::Result);
            },
            [&](const ClaimSettled& e) {
                m_lastSync = now.wall;
                if (m_step == Step::Maintenance) {
                    rebuild();
                }
                if (m_pending == Pending::Queue) {
                    m_s.earlyAnswers.push_back(e);  // its key is not known yet: kept until ClaimQueued
                    return;
                }
                if (m_s.claimKey.empty() || e.idempotencyKey != m_s.claimKey) {
                    return;
                }
                applySettlement(e.outcome);
                rebuild();
            },
            [&](const SyncChanged& e) {
                if (e.online) {
                    m_lastSync = now.wall;
                }
                if (e.online != m_online || e.outboxDepth != m_outboxDepth || e.enrollment != m_enrollment) {
                    m_online = e.online;
                    m_outboxDepth = e.outboxDepth;
                    m_enrollment = e.enrollment;
                    rebuild();
                }
            },
            [&](const OtpRequested& e) {
                if (e.session != m_session || m_pending != Pending::Otp) {
                    return;
                }
                m_pending = Pending::None;
                if (!e.result) {
                    setMessage("rewards.error.otp_failed");
                    go(Step::Rewards);
                    return;
                }
                m_s.digits.clear();
                setMessage("");
                go(Step::Otp);
            },
            [&](const PrinterChecked& e) {
                if (e.session != m_session) {
                    return;
                }
                if (m_step != Step::Maintenance && m_pending != Pending::PrinterBeforeOtp &&
                    m_pending != Pending::PrinterBeforeRedeem && m_pending != Pending::PrinterBeforeConsent) {
                    return;
                }
                if (m_step == Step::Maintenance) {
                    onStaffPrinterChecked(e.problem, now);
                    return;
                }
                if (m_pending == Pending::PrinterBeforeConsent) {
                    m_pending = Pending::None;
                    if (!e.problem.empty()) {
                        m_s.consentPrint = e.problem;
                    } else {
                        m_pending = Pending::PrintConsent;
                        m_commands.emplace_back(PrintConsent{m_session, consentSlip(now)});
                    }
                    rebuild();
                    return;
                }
                const Pending was = m_pending;
                m_pending = Pending::None;
                if (!e.problem.empty()) {
                    setMessage("printer.problem." + e.problem);
                    m_s.digits.clear();
                    go(Step::Rewards);
                    return;
                }
                if (was == Pending::PrinterBeforeOtp) {
                    m_pending = Pending::Otp;
                    m_s.workingKey = "working.sending_code";
                    m_commands.emplace_back(RequestOtp{m_session, m_s.phone->national()});
                    rebuild();
                    return;
                }
                m_pending = Pending::Redeem;
                m_s.workingKey = "working.redeeming";
                RedeemRequest request;
                request.phone = m_s.phone->national();
                request.rewardId = m_s.selectedReward;
                request.otp = m_s.digits;
                m_s.digits.clear();
                m_commands.emplace_back(Redeem{m_session, std::move(request)});
                rebuild();
            },
            [&](const Redeemed& e) {
                if (e.session != m_session || m_pending != Pending::Redeem) {
                    return;
                }
                m_pending = Pending::None;
                if (!e.result) {
                    const auto& error = e.result.error();
                    if (error.code.starts_with("otp")) {
                        setMessage("otp.error.wrong_code");
                        go(Step::Otp);
                    } else {
                        setMessage(error.definitive ? "rewards.error.refused" : "rewards.error.offline");
                        go(Step::Rewards);
                    }
                    return;
                }
                m_s.voucher = *e.result;
                if (m_s.member) {
                    m_s.member->balance = e.result->balance;
                }
                m_pending = Pending::Print;
                m_s.workingKey = "working.printing";
                VoucherSlip slip{e.result->voucher, m_language, m_s.phone->masked(), now.wall};
                // Central names its vouchers; the catalog's title stands in for a name it did not send.
                if (const Reward* r = reward(m_s.selectedReward)) {
                    if (slip.voucher.title.vi.empty()) {
                        slip.voucher.title.vi = r->titleVi;
                    }
                    if (slip.voucher.title.en.empty()) {
                        slip.voucher.title.en = r->titleEn;
                    }
                }
                m_commands.emplace_back(PrintVoucher{m_session, std::move(slip)});
                rebuild();
            },
            [&](const Printed& e) {
                if (e.session == m_session && m_pending == Pending::Reprint) {
                    m_pending = Pending::None;
                    m_staff.printerProblem = e.problem;
                    if (e.problem.empty()) {
                        setNotice("staff.reprinted", ui::Tone::Good, {{"code", m_staff.reprintCode}});
                    } else {
                        setNotice("staff.reprint_failed", ui::Tone::Error,
                                  {{"code", m_staff.reprintCode},
                                   {"problem", errorText("staff.printer_problem.", e.problem,
                                                         "staff.printer_problem.other")}});
                    }
                    m_commands.emplace_back(LoadStaffReport{m_session});  // the printed flag changed
                    rebuild();
                    return;
                }
                if (e.session == m_session && m_pending == Pending::PrintConsent) {
                    m_pending = Pending::None;
                    m_s.consentPrint = e.problem;
                    rebuild();
                    return;
                }
                if (e.session != m_session || m_pending != Pending::Print) {
                    return;
                }
                m_pending = Pending::None;
                m_s.printProblem = e.problem;
                go(Step::Voucher);
            },
            [&](const StaffReportLoaded& e) {
                if (e.session != m_session || m_step != Step::Maintenance) {
                    return;
                }
                m_staff.reportFailed = !e.report.has_value();
                if (e.report) {
                    m_staff.report = *e.report;
                }
                rebuild();
            },
        },
        event);
}

// ---- the view --------------------------------------------------------------------------------------

std::string Journey::money(loyalty::Dong amount) const {
    return moneyText(amount, m_language);
}

std::string Journey::number(std::int64_t n) const {
    return numberText(n, m_language);
}

const Reward* Journey::reward(const std::string& id) const {
    auto found = std::find_if(m_config.rewards.begin(), m_config.rewards.end(),
                              [&](const Reward& r) { return r.id == id; });
    return found == m_config.rewards.end() ? nullptr : &*found;
}

std::string Journey::rewardTitle(const Reward& r) const {
    return m_language == "en" ? r.titleEn : r.titleVi;
}

void Journey::rebuild() {
    ui::View v;
    v.language = m_language;
    v.revision = m_view.revision + 1;
    switch (m_step) {
        case Step::Attract:
            buildAttract(v);
            break;
        case Step::Scan:
            buildScan(v);
            break;
        case Step::Phone:
            buildPhone(v);
            break;
        case Step::Consent:
            buildConsent(v);
            break;
        case Step::Working:
            v.screen = ui::ScreenId::Working;
            v.title = tr("working.title");
            v.lines.push_back({tr(m_s.workingKey), ui::TextLine::Style::Big});
            break;
        case Step::Result:
            buildResult(v);
            break;
        case Step::Rewards:
            buildRewards(v);
            break;
        case Step::Otp:
            buildOtp(v);
            break;
        case Step::Voucher:
            buildVoucher(v);
            break;
        case Step::History:
            buildHistory(v);
            break;
        case Step::StaffPin:
            buildStaffPin(v);
            break;
        case Step::Maintenance:
            buildMaintenance(v);
            break;
    }
    if (!m_s.messageKey.empty()) {
        v.lines.push_back({tr(m_s.messageKey, m_s.messageArgs), ui::TextLine::Style::Body, ui::Tone::Error});
    }
    v.controls.push_back({"lang", tr("common.other_language")});
    if (m_countdownShown) {
        v.countdown = tr("common.countdown", {{"seconds", std::to_string(*m_countdownShown)}});
    }
    v.status = m_online
                   ? (m_outboxDepth > 0 ? tr("status.syncing", {{"count", std::to_string(m_outboxDepth)}})
                                        : tr("status.online"))
                   : tr("status.offline");
    m_view = std::move(v);
}

void Journey::buildAttract(ui::View& v) const {
    v.screen = ui::ScreenId::Attract;
    v.title = tr("attract.title");
    v.lines.push_back({tr("attract.offer"), ui::TextLine::Style::Big});
    const bool en = m_language == "en";
    if (m_campaignName) {
        v.lines.push_back({en ? m_campaignName->en : m_campaignName->vi, ui::TextLine::Style::Heading});
    }
    for (const auto& promotion : m_promotions) {
        const std::string label = en ? promotion.label.en : promotion.label.vi;
        const std::string times =
            std::to_string(promotion.multiplierPercent / 100) +
            (promotion.multiplierPercent % 100 == 0
                 ? ""
                 : (en ? "." : ",") + std::to_string(promotion.multiplierPercent % 100 / 10));
        v.lines.push_back(
            {promotion.kind == loyalty::Promotion::Kind::Weekend
                 ? tr("attract.promotion_weekend", {{"label", label}, {"times", times}})
                 : tr("attract.promotion_dates", {{"label", label},
                                                  {"times", times},
                                                  {"from", loyalty::formatLocalDateVi(promotion.from)},
                                                  {"to", loyalty::formatLocalDateVi(promotion.to)}}),
             ui::TextLine::Style::Body, ui::Tone::Good});
    }
    v.cameraPreview = false;
    v.controls.push_back({"start", tr("attract.start"), ui::Control::Kind::Button, true, true});
    if (!m_config.staffPin.empty()) {
        v.controls.push_back({"staff", "", ui::Control::Kind::Hidden});
    }
}

void Journey::buildScan(ui::View& v) const {
    v.screen = ui::ScreenId::Scan;
    v.title = tr("scan.title");
    v.lines.push_back({tr("scan.hint"), ui::TextLine::Style::Body});
    if (m_scanHelp) {
        v.lines.push_back({tr("scan.help"), ui::TextLine::Style::Body, ui::Tone::Warning});
    }
    v.cameraPreview = true;
    v.controls.push_back({"back", tr("common.back")});
}

void Journey::addKeypad(ui::View& v, bool okEnabled) const {
    for (char d = '1'; d <= '9'; ++d) {
        v.controls.push_back({std::string("key:") + d, std::string(1, d), ui::Control::Kind::Key});
    }
    v.controls.push_back({"key:del", tr("keypad.delete"), ui::Control::Kind::Key});
    v.controls.push_back({"key:0", "0", ui::Control::Kind::Key});
    v.controls.push_back({"ok", tr("keypad.ok"), ui::Control::Kind::Key, okEnabled, true});
    v.controls.push_back({"back", tr("common.back")});
}

void Journey::buildPhone(ui::View& v) const {
    v.screen = ui::ScreenId::Phone;
    v.title = tr("phone.title");
    if (m_s.receipt) {
        v.lines.push_back({tr("phone.receipt", {{"amount", money(m_s.receipt->amount)}}),
                           ui::TextLine::Style::Body, ui::Tone::Good});
    }
    v.lines.push_back({tr("phone.hint"), ui::TextLine::Style::Body});
    v.entry = groupPhone(m_s.digits);
    addKeypad(v, m_s.digits.size() == kPhoneDigits);
}

void Journey::buildConsent(ui::View& v) const {
    v.screen = ui::ScreenId::Consent;
    v.title = tr("consent.title");
    v.lines.push_back({tr("consent.phone", {{"phone", m_s.phone ? m_s.phone->masked() : ""}}),
                       ui::TextLine::Style::Heading});
    if (!m_s.memberKnown) {
        v.lines.push_back({tr("consent.offline_note"), ui::TextLine::Style::Small});
    }
    v.lines.push_back({tr("consent.text"), ui::TextLine::Style::Body});
    v.lines.push_back(
        {tr("consent.version", {{"version", m_config.consentTextVersion}}), ui::TextLine::Style::Small});
    ui::Control join{"consent:join", tr("consent.join"), ui::Control::Kind::Checkbox};
    join.checked = m_s.consentJoin;
    ui::Control marketing{"consent:marketing", tr("consent.marketing"), ui::Control::Kind::Checkbox};
    marketing.checked = m_s.consentMarketing;
    v.controls.push_back(join);
    v.controls.push_back(marketing);
    v.controls.push_back({"ok", tr("consent.accept"), ui::Control::Kind::Button, m_s.consentJoin, true});
    v.controls.push_back({"back", tr("common.back")});
}

void Journey::buildResult(ui::View& v) const {
    v.screen = ui::ScreenId::Result;
    v.title = tr("result.title");
    const std::string masked = m_s.phone ? m_s.phone->masked() : "";
    v.lines.push_back({tr("result.member", {{"phone", masked}}), ui::TextLine::Style::Heading});
    const bool accepted = m_s.settled && m_s.settled->status == ClaimOutcome::Status::Accepted;
    const bool refused = m_s.settled && m_s.settled->status == ClaimOutcome::Status::Refused;
    if (accepted) {
        v.lines.push_back({tr("result.earned", {{"points", number(m_s.settled->pointsEarned)}}),
                           ui::TextLine::Style::Big, ui::Tone::Good});
        for (const auto& line : m_s.settled->breakdown) {
            // Central words its own rules (campaign names change without a kiosk release); the kind's
            // generic text is the fallback.
            std::string label = line.label.in(language());
            if (label.empty()) {
                label = errorText("breakdown.", line.kind, "breakdown.other");
            }
            v.lines.push_back(
                {tr("result.breakdown_line", {{"label", label}, {"points", number(line.points)}}),
                 ui::TextLine::Style::Body});
        }
        const std::int64_t balance = m_s.member ? m_s.member->balance : m_s.settled->balance;
        v.lines.push_back(
            {tr("result.balance", {{"points", number(balance)}}), ui::TextLine::Style::Heading});
    } else if (refused) {
        // Central's own wording says when and where a receipt was claimed; ours is the fallback.
        const std::string& reason = m_s.settled->reason.in(language());
        v.lines.push_back(
            {reason.empty() ? errorText("claim.error.", m_s.settled->code, "claim.error.other") : reason,
             ui::TextLine::Style::Big, ui::Tone::Error});
    } else {
        v.lines.push_back({m_s.provisional
                               ? tr("result.pending_points", {{"points", number(*m_s.provisional)}})
                               : tr("result.pending"),
                           ui::TextLine::Style::Big, ui::Tone::Warning});
        v.lines.push_back({tr("result.pending_note"), ui::TextLine::Style::Body});
        if (m_s.member) {
            v.lines.push_back({tr("result.balance", {{"points", number(m_s.member->balance)}}),
                               ui::TextLine::Style::Heading});
        }
    }
    if (m_s.member && !m_s.member->tier.empty()) {
        ui::TierCard card;
        card.tierId = m_s.member->tier;
        const std::string& centralName = m_s.member->tierName.in(language());
        card.name = centralName.empty() ? errorText("tier.", m_s.member->tier + ".name", "tier.unknown.name")
                                        : centralName;
        if (m_s.member->nextTier.empty()) {
            card.progress = 1.0F;
            card.progressText = tr("tier.top");
        } else {
            card.progress =
                std::clamp(static_cast<float>(m_s.member->progressPermille) / 1000.0F, 0.0F, 1.0F);
            card.progressText =
                tr("tier.progress",
                   {{"left", number(std::max<std::int64_t>(0, m_s.member->pointsToNextTier))},
                    {"next", errorText("tier.", m_s.member->nextTier + ".name", "tier.unknown.name")}});
        }
        for (int i = 1; i <= 3; ++i) {
            const std::string key = "tier." + m_s.member->tier + ".benefit" + std::to_string(i);
            if ((m_language == "en" ? m_en : m_vi).has(key)) {
                card.benefits.push_back(tr(key));
            }
        }
        v.tier = std::move(card);
    }
    // Not while the consent receipt prints: the printer answers one question at a time.
    const bool canSpend =
        m_online && m_s.member.has_value() && !m_config.rewards.empty() && m_pending == Pending::None;
    v.controls.push_back({"rewards", tr("result.rewards"), ui::Control::Kind::Button, canSpend});
    v.controls.push_back(
        {"history", tr("result.history"), ui::Control::Kind::Button, m_s.member.has_value()});
    if (m_s.consentAt > 0) {
        // Only a shopper who gave consent in this very session: a returning member gave it earlier.
        const bool printing =
            m_pending == Pending::PrinterBeforeConsent || m_pending == Pending::PrintConsent;
        if (printing) {
            v.lines.push_back({tr("result.consent_printing"), ui::TextLine::Style::Small});
        } else if (m_s.consentPrint && m_s.consentPrint->empty()) {
            v.lines.push_back({tr("result.consent_printed"), ui::TextLine::Style::Body, ui::Tone::Good});
        } else if (m_s.consentPrint) {
            v.lines.push_back({tr("result.consent_print_failed",
                                  {{"problem", errorText("staff.printer_problem.", *m_s.consentPrint,
                                                         "staff.printer_problem.other")}}),
                               ui::TextLine::Style::Body, ui::Tone::Error});
        }
        v.controls.push_back({"print_consent", tr("result.print_consent"), ui::Control::Kind::Button,
                              m_pending == Pending::None});
    }
    v.controls.push_back({"done", tr("result.done"), ui::Control::Kind::Button, true, true});
}

void Journey::buildRewards(ui::View& v) const {
    v.screen = ui::ScreenId::Rewards;
    v.title = tr("rewards.title");
    const std::int64_t balance = m_s.member ? m_s.member->balance : 0;
    v.lines.push_back({tr("result.balance", {{"points", number(balance)}}), ui::TextLine::Style::Heading});
    const bool printerProblem = m_s.messageKey.starts_with("printer.problem.");
    for (const auto& r : m_config.rewards) {
        ui::Control c{"reward:" + r.id, rewardTitle(r), ui::Control::Kind::Button,
                      balance >= r.points && !printerProblem};
        c.detail = balance >= r.points ? tr("rewards.cost", {{"points", number(r.points)}})
                                       : tr("rewards.cost_short", {{"points", number(r.points - balance)}});
        v.controls.push_back(std::move(c));
    }
    v.controls.push_back({"back", tr("common.back")});
}

void Journey::buildOtp(ui::View& v) const {
    v.screen = ui::ScreenId::Otp;
    v.title = tr("otp.title");
    v.lines.push_back(
        {tr("otp.hint", {{"phone", m_s.phone ? m_s.phone->masked() : ""}}), ui::TextLine::Style::Body});
    std::string shown = m_s.digits;
    shown.append(kOtpDigits - m_s.digits.size(), '_');
    v.entry = shown;
    addKeypad(v, m_s.digits.size() == kOtpDigits);
}

void Journey::buildVoucher(ui::View& v) const {
    v.screen = ui::ScreenId::Voucher;
    v.title = tr("voucher.title");
    if (m_s.voucher) {
        if (m_s.printProblem.empty()) {
            v.lines.push_back({tr("voucher.printed"), ui::TextLine::Style::Big, ui::Tone::Good});
            v.lines.push_back(
                {tr("voucher.code", {{"code", m_s.voucher->voucher.code}}), ui::TextLine::Style::Heading});
        } else {
            v.lines.push_back({tr("voucher.print_failed"), ui::TextLine::Style::Big, ui::Tone::Error});
            v.lines.push_back({errorText("printer.problem.", m_s.printProblem, "printer.problem.other"),
                               ui::TextLine::Style::Body});
            v.lines.push_back(
                {tr("voucher.safe", {{"code", m_s.voucher->voucher.code}}), ui::TextLine::Style::Heading});
        }
        v.lines.push_back(
            {tr("result.balance", {{"points", number(m_s.voucher->balance)}}), ui::TextLine::Style::Body});
    }
    // After a failed print the screen has just said rewards cannot print: it offers no more of them.
    if (m_s.printProblem.empty()) {
        v.controls.push_back({"back", tr("voucher.more")});
    }
    v.controls.push_back({"done", tr("result.done"), ui::Control::Kind::Button, true, true});
}

void Journey::buildHistory(ui::View& v) const {
    v.screen = ui::ScreenId::History;
    v.title = tr("history.title");
    if (m_s.member) {
        if (m_s.member->history.empty()) {
            v.lines.push_back({tr("history.empty"), ui::TextLine::Style::Body});
        }
        for (const auto& h : m_s.member->history) {
            const std::string kind = errorText("history.kind.", h.kind, "history.kind.other");
            v.lines.push_back(
                {tr("history.line", {{"date", loyalty::formatLocalDateVi(loyalty::localDate(h.at))},
                                     {"kind", kind},
                                     {"points", (h.points > 0 ? "+" : "") + number(h.points)},
                                     {"text", h.description}}),
                 ui::TextLine::Style::Body, h.points >= 0 ? ui::Tone::Good : ui::Tone::Normal});
        }
    }
    v.controls.push_back({"back", tr("common.back"), ui::Control::Kind::Button, true, true});
}

void Journey::buildStaffPin(ui::View& v) const {
    v.screen = ui::ScreenId::StaffPin;
    v.title = tr("staff.pin_title");
    v.lines.push_back({tr("staff.pin_hint"), ui::TextLine::Style::Body});
    v.entry = std::string(m_s.digits.size(), '*');
    addKeypad(v, m_s.digits.size() >= kStaffPinMinDigits);
}

void Journey::buildMaintenance(ui::View& v) const {
    v.screen = ui::ScreenId::Maintenance;
    v.title = tr("staff.title");
    const StaffReport* report = m_staff.report ? &*m_staff.report : nullptr;
    const std::string ok = tr("staff.ok");
    v.lines.push_back(
        {tr("staff.camera", {{"state", report == nullptr               ? tr("staff.checking")
                                       : report->cameraProblem.empty() ? ok
                                                                       : report->cameraProblem}}),
         ui::TextLine::Style::Body,
         report != nullptr && !report->cameraProblem.empty() ? ui::Tone::Error : ui::Tone::Normal});
    v.lines.push_back(
        {tr("staff.printer", {{"state", !m_staff.printerProblem ? tr("staff.checking")
                                        : m_staff.printerProblem->empty()
                                            ? ok
                                            : errorText("staff.printer_problem.", *m_staff.printerProblem,
                                                        "staff.printer_problem.other")}}),
         ui::TextLine::Style::Body,
         m_staff.printerProblem && !m_staff.printerProblem->empty() ? ui::Tone::Error : ui::Tone::Normal});
    // A kiosk without a credential sends nothing but its enrollment: that, not "online", is what staff
    // need to read; a refused code needs them (a new code in the configuration).
    const bool refused = m_enrollment == Enrollment::Refused;
    const std::string syncState = refused                               ? tr("staff.enrollment_refused")
                                  : m_enrollment == Enrollment::Pending ? tr("staff.enrolling")
                                  : m_online                            ? tr("staff.online")
                                                                        : tr("staff.offline");
    v.lines.push_back(
        {tr("staff.sync", {{"state", syncState},
                           {"count", number(report != nullptr ? report->outboxDepth : m_outboxDepth)},
                           {"last", m_lastSync ? timeAndDateText(*m_lastSync) : tr("staff.never")}}),
         ui::TextLine::Style::Body,
         refused    ? ui::Tone::Error
         : m_online ? ui::Tone::Normal
                    : ui::Tone::Warning});
    if (m_staff.reportFailed) {
        v.lines.push_back({tr("staff.store_failed"), ui::TextLine::Style::Body, ui::Tone::Error});
    }

    const std::size_t refusals = report != nullptr ? report->refusals.size() : 0;
    v.lines.push_back({tr("staff.refusals", {{"count", number(static_cast<std::int64_t>(refusals))}}),
                       ui::TextLine::Style::Heading});
    for (std::size_t i = 0; i < std::min(refusals, kStaffRows); ++i) {
        const Refusal& r = report->refusals[i];
        // Phones stay masked, for staff too; a stored number that no longer parses shows nothing.
        const auto phone = loyalty::parsePhone(r.phone, *m_config.phonePolicy);
        // Our wording of central's code where we have one (a receipt-token refusal is worded like the
        // Scan screen's); central's own reason otherwise.
        const auto& strings = m_language == "en" ? m_en : m_vi;
        const std::string reason = strings.has("claim.error." + r.code)  ? tr("claim.error." + r.code)
                                   : strings.has("scan.error." + r.code) ? tr("scan.error." + r.code)
                                                                         : r.reason;
        v.lines.push_back({tr("staff.refusal_line", {{"receipt", r.receiptId},
                                                     {"phone", phone ? phone->masked() : "—"},
                                                     {"points", number(r.provisionalPoints)},
                                                     {"time", timeAndDateText(r.refusedAt)},
                                                     {"reason", reason}}),
                           ui::TextLine::Style::Small, ui::Tone::Warning});
        v.controls.push_back(
            {"ack:" + std::to_string(r.id), tr("staff.acknowledge", {{"receipt", r.receiptId}})});
    }
    if (refusals > kStaffRows) {
        v.lines.push_back(
            {tr("staff.more", {{"count", number(static_cast<std::int64_t>(refusals - kStaffRows))}}),
             ui::TextLine::Style::Small});
    }

    const std::size_t vouchers = report != nullptr ? report->vouchers.size() : 0;
    v.lines.push_back({tr("staff.vouchers"), ui::TextLine::Style::Heading});
    if (vouchers == 0) {
        v.lines.push_back({tr("staff.none"), ui::TextLine::Style::Small});
    }
    // A reprint waits for a known printer status and for any job under way.
    const bool canPrint = m_pending == Pending::None && m_staff.printerProblem.has_value();
    for (std::size_t i = 0; i < std::min(vouchers, kStaffRows); ++i) {
        const KeptVoucher& kept = report->vouchers[i];
        const Voucher& voucher = kept.voucher;
        v.lines.push_back({tr("staff.voucher_line",
                              {{"code", voucher.code},
                               {"title", m_language == "en" && !voucher.title.en.empty() ? voucher.title.en
                                                                                         : voucher.title.vi},
                               {"time", timeAndDateText(voucher.issuedAt)},
                               {"printed", kept.printed ? tr("staff.printed") : tr("staff.not_printed")}}),
                           ui::TextLine::Style::Small, kept.printed ? ui::Tone::Normal : ui::Tone::Warning});
        v.controls.push_back({"reprint:" + voucher.code, tr("staff.reprint", {{"code", voucher.code}}),
                              ui::Control::Kind::Button, canPrint});
    }
    if (vouchers > kStaffRows) {
        v.lines.push_back(
            {tr("staff.more", {{"count", number(static_cast<std::int64_t>(vouchers - kStaffRows))}}),
             ui::TextLine::Style::Small});
    }
    if (!m_staff.noticeKey.empty()) {
        v.lines.push_back(
            {tr(m_staff.noticeKey, m_staff.noticeArgs), ui::TextLine::Style::Body, m_staff.noticeTone});
    }
    v.controls.push_back({"back", tr("staff.exit"), ui::Control::Kind::Button, true, true});
}

}  // namespace kiosk
