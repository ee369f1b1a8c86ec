#pragma once
// The enroller job: trades the one-time enrollment code for the kiosk credential while the kiosk has
// none (docs/sync.md, Enrollment), then keeps trying to save a credential it could not write.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "kiosk/sync/scheduler.hpp"

namespace kiosk::sync {

class Link;

class Enroller final : public Job {
  public:
    /// `enrolled` (may be empty) hears the credential once central gave it, on the sync thread.
    Enroller(Link& link, std::string code, std::filesystem::path credentialFile,
             std::chrono::milliseconds saveRetry, std::function<void(const std::string&)> enrolled);

    [[nodiscard]] std::string_view name() const override { return "enroll"; }
    /// While enrolling, and while an enrolled credential is not saved yet.
    [[nodiscard]] bool ready() const override;
    [[nodiscard]] Next run() override;

  private:
    [[nodiscard]] Next enrollOnce();
    [[nodiscard]] Next saveCredential();

    Link& m_link;
    std::string m_code;
    std::filesystem::path m_credentialFile;
    std::chrono::milliseconds m_saveRetry;
    std::function<void(const std::string&)> m_enrolled;
    std::string m_proposedCredential;  ///< saved as the pending proposal, sent with every try
    std::string m_unsavedCredential;   ///< in use but not yet written to the credential file
};

/// Deletes the proposal saved next to `credentialFile`, if any (best effort: one left behind is deleted
/// at the next start that finds a credential).
void forgetProposal(const std::filesystem::path& credentialFile);

}  // namespace kiosk::sync
