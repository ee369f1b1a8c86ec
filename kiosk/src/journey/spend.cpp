// Spending points: reward → printer check → one-time code → printer check → redeem → print, and the
// printer's answers for the consent receipt and staff reprints. The screens are in screens.cpp.
#include "entry_limits.hpp"
#include "kiosk/journey.hpp"

namespace kiosk {

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

void Journey::on(const OtpRequested& e, Now) {
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
}

void Journey::on(const PrinterChecked& e, Now now) {
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
        m_commands.emplace_back(RequestOtp{m_session, m_s.phone->national(), m_s.selectedReward});
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
}

void Journey::on(const Redeemed& e, Now now) {
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
}

void Journey::on(const Printed& e, Now) {
    if (e.session == m_session && m_pending == Pending::Reprint) {
        m_pending = Pending::None;
        m_staff.printerProblem = e.problem;
        if (e.problem.empty()) {
            setNotice("staff.reprinted", ui::Tone::Good, {{"code", m_staff.reprintCode}});
        } else {
            setNotice(
                "staff.reprint_failed", ui::Tone::Error,
                {{"code", m_staff.reprintCode},
                 {"problem", errorText("staff.printer_problem.", e.problem, "staff.printer_problem.other")}});
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
}

}  // namespace kiosk
