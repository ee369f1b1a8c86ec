// Staff mode: the hidden gesture, the PIN, and the maintenance screen's actions (acknowledge a refused
// claim, reprint a voucher after asking the printer). The screens themselves are in screens.cpp.
#include <algorithm>
#include <charconv>

#include "entry_limits.hpp"
#include "kiosk/journey.hpp"

namespace kiosk {

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

void Journey::on(const StaffReportLoaded& e, Now) {
    if (e.session != m_session || m_step != Step::Maintenance) {
        return;
    }
    m_staff.reportFailed = !e.report.has_value();
    if (e.report) {
        m_staff.report = *e.report;
    }
    rebuild();
}

}  // namespace kiosk
