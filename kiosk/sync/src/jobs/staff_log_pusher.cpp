#include "staff_log_pusher.hpp"

#include "../link.hpp"
#include "kiosk/sync/staff_log.hpp"

namespace kiosk::sync {
namespace {

/// Actions per request (central takes at most 100).
constexpr std::size_t kBatch = 100;

}  // namespace

StaffLogPusher::StaffLogPusher(Link& link, StaffLog& log) : m_link(link), m_log(log) {}

bool StaffLogPusher::ready() const {
    return m_link.mayCallCentral();
}

Next StaffLogPusher::run() {
    auto unsent = m_log.unsentStaffActions(kBatch);
    if (!unsent) {
        m_link.setError("staff log: " + unsent.error().message);
        return Next::retry();
    }
    if (unsent->empty()) return Next::whenNudged();
    std::vector<net::StaffActionReport> reports;
    std::vector<std::int64_t> seqs;
    for (const auto& a : *unsent) {
        reports.push_back(net::StaffActionReport{a.key, a.staffId, a.action, a.detail, a.at});
        seqs.push_back(a.seq);
    }
    auto answer =
        m_link.exchange([&](net::CentralClient& client) { return client.reportStaffActions(reports); });
    if (!answer) {
        m_link.callFailed("staff log: ", answer.error());
        return Next::retry(answer.error().retryAfter.value_or(std::chrono::seconds{0}));
    }
    if (auto sent = m_log.staffActionsSent(seqs); !sent) {
        m_link.setError("staff log: " + sent.error().message);
        return Next::retry();
    }
    m_link.setOnline(true);
    return Next::after(std::chrono::milliseconds{0});  // more may be waiting
}

}  // namespace kiosk::sync
