#include "enroller.hpp"

#include "../link.hpp"
#include "kiosk/sync/credential_file.hpp"
#include "loyalty/credential.hpp"

namespace kiosk::sync {
namespace {

/// The credential to propose: the one a previous life saved (central may have taken it and the answer
/// been lost), else a new one, saved before it is ever sent.
StoreResult<std::string> loadOrMakeProposal(const std::filesystem::path& pendingFile) {
    auto saved = readCredentialFile(pendingFile);
    if (!saved || !saved->empty()) return saved;
    auto fresh = loyalty::makeCredential();
    if (auto written = writeCredentialFile(pendingFile, fresh); !written)
        return std::unexpected(written.error());
    return fresh;
}

}  // namespace

void forgetProposal(const std::filesystem::path& credentialFile) {
    std::error_code ignored;
    std::filesystem::remove(pendingCredentialFile(credentialFile), ignored);
}

Enroller::Enroller(Link& link, std::string code, std::filesystem::path credentialFile,
                   std::chrono::milliseconds saveRetry, std::function<void(const std::string&)> enrolled)
    : m_link(link),
      m_code(std::move(code)),
      m_credentialFile(std::move(credentialFile)),
      m_saveRetry(saveRetry),
      m_enrolled(std::move(enrolled)) {}

bool Enroller::ready() const {
    return m_link.enrollment() == Enrollment::Pending || !m_unsavedCredential.empty();
}

Next Enroller::run() {
    return m_link.enrollment() == Enrollment::Pending ? enrollOnce() : saveCredential();
}

Next Enroller::enrollOnce() {
    if (m_proposedCredential.empty()) {
        auto proposal = loadOrMakeProposal(pendingCredentialFile(m_credentialFile));
        if (!proposal) {
            // Sent unsaved, a lost answer would leave the kiosk unable to enroll with this code again.
            m_link.setError("enrollment: cannot save the credential proposal: " + proposal.error().message);
            return Next::retry();
        }
        m_proposedCredential = std::move(*proposal);
    }
    auto answer = m_link.exchange(
        [&](net::CentralClient& client) { return client.enroll(m_code, m_proposedCredential); });
    if (!answer) {
        const auto& error = answer.error();
        // Only central's own refusal (its JSON error code: unknown, used or expired code, another
        // kiosk's) ends the retries; a bare 401/403 could come from something between shop and central.
        const bool refused = error.definitive() && !error.code.empty();
        m_link.setOnline(false);  // without a credential central can do nothing for this kiosk's shoppers
        // The reason is in the status before the Refused state is: whoever sees Refused can read why.
        m_link.setError(
            (refused ? "enrollment refused (staff: enter a new enrollment code): " : "enrollment: ") +
            describe(error));
        if (refused) {
            m_link.setEnrollment(Enrollment::Refused);
            // Refused, the proposal is worth nothing (central either never stored it or will not answer
            // it again): the next life, with a new code, starts from a fresh one.
            m_proposedCredential.clear();
            forgetProposal(m_credentialFile);
            return Next::whenNudged();
        }
        return Next::retry(error.retryAfter.value_or(std::chrono::seconds{0}));
    }
    m_link.client().setCredential(answer->credential);
    m_link.setOnline(true);
    m_link.setError("");
    // The other jobs are ready from now on and were due since the start: the outbox drains at once.
    m_link.setEnrollment(Enrollment::Enrolled);
    m_unsavedCredential = answer->credential;
    auto next = saveCredential();
    if (m_enrolled) m_enrolled(answer->credential);
    return next;
}

Next Enroller::saveCredential() {
    auto saved = writeCredentialFile(m_credentialFile, m_unsavedCredential);
    if (saved) {
        m_unsavedCredential.clear();
        forgetProposal(m_credentialFile);
        return Next::whenNudged();
    }
    // The credential works from memory; until the file is written the next start has only the proposal
    // and must ask central again.
    m_link.setError("credential not saved to " + m_credentialFile.string() + ": " + saved.error().message);
    return Next::after(m_saveRetry);
}

}  // namespace kiosk::sync
