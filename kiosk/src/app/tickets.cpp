#include "tickets.hpp"

#include "kiosk/wording.hpp"
#include "loyalty/time.hpp"

namespace kiosk {

TicketWriter::TicketWriter(const ui::Strings& vi, const ui::Strings& en, std::string kioskId)
    : m_vi(vi), m_en(en), m_kioskId(std::move(kioskId)) {}

const ui::Strings& TicketWriter::strings(const std::string& language) const {
    return language == "en" ? m_en : m_vi;
}

std::string TicketWriter::storeLine(const ui::Strings& strings, loyalty::UnixSeconds at) const {
    return strings.text("ticket.store",
                        {{"kiosk", m_kioskId},
                         {"date", loyalty::formatLocalDateVi(loyalty::localDateTime(at).date)},
                         {"time", clockText(at)}});
}

hal::VoucherTicket TicketWriter::voucher(const VoucherSlip& slip) const {
    const ui::Strings& s = strings(slip.language);
    const Voucher& v = slip.voucher;
    const bool en = slip.language == "en";
    hal::VoucherTicket t;
    t.title = en && !v.title.en.empty() ? v.title.en : v.title.vi;
    t.valueText = v.valueDong > 0 ? moneyText(loyalty::Dong{v.valueDong}, slip.language) : "";
    // expiresAt is the first second it is no longer valid: the last valid day is the one before.
    t.expiryText =
        s.text("ticket.expiry", {{"date", loyalty::formatLocalDateVi(loyalty::localDate(v.expiresAt - 1))}});
    t.terms = en && !v.terms.en.empty() ? v.terms.en : v.terms.vi;
    t.code = v.code;
    t.qrPayload = v.qrPayload;
    if (!slip.memberPhone.empty()) {
        t.memberLine = s.text("ticket.member", {{"phone", slip.memberPhone}});
    }
    t.storeLine = storeLine(s, v.issuedAt > 0 ? v.issuedAt : slip.printedAt);
    return t;
}

hal::ConsentTicket TicketWriter::consent(const ConsentSlip& slip) const {
    const ui::Strings& s = strings(slip.language);
    hal::ConsentTicket t;
    t.title = s.text("consent_ticket.title");
    t.consentText = s.text("consent.text");  // the very key the Consent screen shows
    t.versionLine = s.text("consent.version", {{"version", slip.textVersion}});
    t.joinLine = s.text("consent_ticket.join", {{"answer", s.text("consent_ticket.yes")}});
    t.marketingLine =
        s.text("consent_ticket.marketing",
               {{"answer", s.text(slip.marketing ? "consent_ticket.yes" : "consent_ticket.no")}});
    t.memberLine = s.text("ticket.member", {{"phone", slip.memberPhone}});
    t.storeLine = storeLine(s, slip.givenAt);
    return t;
}

hal::TestTicket TicketWriter::testPage(const std::string& staffName, const std::string& version,
                                       loyalty::UnixSeconds at) const {
    hal::TestTicket t;
    t.title = m_vi.text("paper.test_title");
    t.lines = {m_vi.text("ticket.test_staff", {{"name", staffName}, {"version", version}}),
               m_vi.text("ticket.test_text")};
    t.storeLine = storeLine(m_vi, at);
    return t;
}

}  // namespace kiosk
