#pragma once
// The kiosk credential, kept in one small file in the kiosk's data directory (one line, mode 0600).
// Whoever holds it can claim points as this kiosk: it is written owner-only and atomically, so a power
// cut leaves either the old file or the new one, never half.
//
// The kiosk makes its credential itself (loyalty::makeCredential, the one definition of the format central
// checks too) and saves it as a proposal (pendingCredentialFile) BEFORE
// sending it to central with the enrollment code: an answer lost to a dropped connection or a power cut
// is asked for again with the same proposal, and central answers it again (docs/sync.md, Enrollment).
//
// Contract: free functions, callable from any thread; they BLOCK on disk I/O (write: fsync of the file
// and its folder). Errors are values (StoreError), nothing throws.

#include <filesystem>
#include <string>

#include "kiosk/sync/database.hpp"

namespace kiosk::sync {

/// The credential in `file`; an empty string when the file does not exist (not enrolled yet). Io when
/// it exists but cannot be read.
[[nodiscard]] StoreResult<std::string> readCredentialFile(const std::filesystem::path& file);

/// Replaces `file` with `credential`: written to a temporary file (0600) in the same folder, fsync'd,
/// renamed over `file`, folder fsync'd. Invalid for an empty credential or one with characters that
/// cannot go into an HTTP header (control characters, spaces); Io when the disk refuses (nothing
/// half-written is left behind).
[[nodiscard]] StoreResult<void> writeCredentialFile(const std::filesystem::path& file,
                                                    const std::string& credential);

/// Where the proposal for `credentialFile` waits until central has accepted it: the same name with
/// ".pending" appended.
[[nodiscard]] std::filesystem::path pendingCredentialFile(const std::filesystem::path& credentialFile);

}  // namespace kiosk::sync
