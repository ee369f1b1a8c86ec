#include "kiosk/journey.hpp"

#include <algorithm>

#include "entry_limits.hpp"
#include "kiosk/wording.hpp"
#include "loyalty/time.hpp"

namespace kiosk {
namespace {

/// A receipt not read after this long on the Scan screen gets the shopper a tip (flatten it, ...).
constexpr std::chrono::milliseconds kScanHelpAfter{8'000};

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
    m_scanTip = ScanTip::None;
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

void Journey::onKeypadIntent(const std::string& id, const std::function<void()>& submit, Step back) {
    if (id.starts_with("key:")) {
        handleKey(id.substr(4));
    } else if (id == "ok") {
        submit();
    } else if (id == "back") {
        m_s.digits.clear();
        setMessage("");
        go(back);
    }
}

void Journey::onConsentIntent(const std::string& id, Now now) {
    if (id == "consent:join") {
        m_s.consentJoin = !m_s.consentJoin;
        rebuild();
    } else if (id == "consent:marketing") {
        m_s.consentMarketing = !m_s.consentMarketing;
        rebuild();
    } else if (id == "ok" && m_s.consentJoin) {
        m_s.consentAt = now.wall;
        queueClaim(true, now);
        go(Step::Working);
    } else if (id == "back") {
        go(Step::Phone);
    }
}

void Journey::onResultIntent(const std::string& id) {
    if (id == "rewards") {
        setMessage("");
        go(Step::Rewards);
    } else if (id == "history") {
        go(Step::History);
    } else if (id == "print_consent") {
        // The printer is asked first, as for a voucher: no job starts on a printer that is known to be
        // unable to finish it.
        m_s.consentPrint.reset();
        m_pending = Pending::PrinterBeforeConsent;
        m_commands.emplace_back(CheckPrinter{m_session});
        rebuild();
    } else if (id == "done") {
        wipe();
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
            onKeypadIntent(
                id, [this] { submitPhone(); }, Step::Scan);
            break;
        case Step::Consent:
            onConsentIntent(id, now);
            break;
        case Step::Working:
            break;
        case Step::Result:
            onResultIntent(id);
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
            onKeypadIntent(
                id, [this] { submitOtp(); }, Step::Rewards);
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

void Journey::queueClaim(bool consented, Now now) {
    m_pending = Pending::Queue;
    m_s.workingKey = "working.saving";
    NewClaim claim;
    claim.receiptId = m_s.receipt->id();
    claim.token = m_s.token;
    claim.phone = m_s.phone->national();
    // A new member's consent, given on the Consent screen; a returning member's claim records none.
    // Central wants the text version on every claim.
    claim.consentJoin = consented;
    claim.consentMarketing = consented && m_s.consentMarketing;
    claim.consentTextVersion = m_config.consentTextVersion;
    claim.acceptedAt = now.wall;
    claim.provisionalPoints = m_s.provisional.value_or(0);
    m_commands.emplace_back(QueueClaim{m_session, std::move(claim)});
}

void Journey::onEvent(const Event& event, Now now) {
    std::visit([&](const auto& e) { on(e, now); }, event);
}

void Journey::on(const CodeScanned& e, Now now) {
    if (wantsCamera()) {
        handleScan(e.text, now);
    }
}

void Journey::on(const ScanTipChanged& e, Now /*now*/) {
    if (e.tip == m_scanTip) {
        return;
    }
    m_scanTip = e.tip;
    if (m_step == Step::Scan) {
        rebuild();
    }
}

void Journey::on(const MemberLookedUp& e, Now now) {
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
        queueClaim(false, now);
        rebuild();
        return;
    }
    // Unknown to central, or central unreachable: the shopper decides about joining.
    m_s.consentJoin = false;
    m_s.consentMarketing = false;
    go(Step::Consent);
}

void Journey::on(const ClaimQueued& e, Now) {
    if (e.session != m_session || m_pending != Pending::Queue) {
        return;
    }
    m_pending = Pending::None;
    if (!e.idempotencyKey) {
        m_s.receipt.reset();
        setMessage(e.idempotencyKey.error() == QueueFailure::Duplicate ? "scan.error.already_claimed_here"
                                                                       : "scan.error.store_failed");
        go(Step::Scan);
        return;
    }
    m_s.claimKey = *e.idempotencyKey;
    m_s.pendingPoints = e.pendingPoints;
    // The sync thread may have pushed the claim, and central answered, before the store
    // thread said it was queued: that answer waited here.
    const auto early =
        std::find_if(m_s.earlyAnswers.begin(), m_s.earlyAnswers.end(),
                     [&](const ClaimSettled& answer) { return answer.idempotencyKey == m_s.claimKey; });
    if (early != m_s.earlyAnswers.end()) {
        applySettlement(early->outcome);
    }
    m_s.earlyAnswers.clear();
    go(Step::Result);
}

void Journey::on(const ClaimSettled& e, Now now) {
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
}

void Journey::on(const SyncChanged& e, Now now) {
    if (e.online) {
        m_lastSync = now.wall;
    }
    if (e.online != m_online || e.outboxDepth != m_outboxDepth || e.enrollment != m_enrollment) {
        m_online = e.online;
        m_outboxDepth = e.outboxDepth;
        m_enrollment = e.enrollment;
        rebuild();
    }
}

}  // namespace kiosk
