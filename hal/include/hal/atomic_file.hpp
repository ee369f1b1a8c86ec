#pragma once
// THE atomic file write of the tree (kiosk/sync's credential, kioskctl's keys, receipts and manifests,
// the virtual printer's PNG pages): a power cut or a failure leaves the old content or the new one,
// never half. The content goes to a temporary file in the same folder (created 0600, then given
// `mode`, so no other user can open it in between), is fsync'd, moved over the target, and the folder
// is fsync'd (the move is durable only then).
//
// It lives in hal, the lowest layer every writer may use: loyalty/ is the pure domain (no I/O), and
// kiosk/sync, kioskctl and hal's own printer all depend on hal (../shared/ARCHITECTURE.md). The disk is
// part of the machine hal stands for; this file needs only the standard library and POSIX.
//
// Contract: a free function, callable from any thread; BLOCKS on disk I/O. `mode` is set exactly (the
// umask does not apply). Errors are values naming the file and the system's reason; no temporary file
// is left behind.

#include <sys/types.h>

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

namespace hal {

/// What to do when the target already exists.
enum class Existing {
    Replace,  ///< replace it whole (rename)
    Keep,     ///< fail and keep it (link: never replaces, even against a concurrent writer)
};

[[nodiscard]] std::expected<void, std::string> writeFileAtomically(const std::filesystem::path& file,
                                                                   std::string_view content, mode_t mode,
                                                                   Existing existing = Existing::Replace);

}  // namespace hal
