#pragma once
// The wording of the slips the kiosk prints: turns the journey's slip content (kiosk/model.hpp) into the
// printer's tickets (hal/voucher_ticket.hpp, hal/consent_ticket.hpp), in the slip's language. The same
// wording serves a first print and a staff reprint.

#include <string>

#include "hal/consent_ticket.hpp"
#include "hal/test_ticket.hpp"
#include "hal/voucher_ticket.hpp"
#include "kiosk/model.hpp"
#include "ui/strings.hpp"

namespace kiosk {

class TicketWriter {
  public:
    /// `vi` and `en` must outlive the writer.
    TicketWriter(const ui::Strings& vi, const ui::Strings& en, std::string kioskId);

    [[nodiscard]] hal::VoucherTicket voucher(const VoucherSlip& slip) const;
    [[nodiscard]] hal::ConsentTicket consent(const ConsentSlip& slip) const;
    /// The maintenance test page, in Vietnamese (the shop's language), naming who asked for it.
    [[nodiscard]] hal::TestTicket testPage(const std::string& staffName, const std::string& version,
                                           loyalty::UnixSeconds at) const;

  private:
    [[nodiscard]] const ui::Strings& strings(const std::string& language) const;
    /// "Kiosk K1 · 23/11/2026 10:15"
    [[nodiscard]] std::string storeLine(const ui::Strings& strings, loyalty::UnixSeconds at) const;

    const ui::Strings& m_vi;
    const ui::Strings& m_en;
    std::string m_kioskId;
};

}  // namespace kiosk
