#pragma once
// Replacing a small file so that a power cut leaves the old content or the new one, never half: the
// content goes to a temporary file in the same folder (created with `mode` from the first byte), is
// fsync'd, renamed over the target, and the folder is fsync'd (the rename is durable only then).
//
// Contract: a free function, callable from any thread; BLOCKS on disk I/O. Standard library and POSIX
// only. Errors are values naming the file and the system's reason; nothing half-written is left.

#include <sys/types.h>

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

namespace kiosk::sync {

[[nodiscard]] std::expected<void, std::string> writeFileAtomically(const std::filesystem::path& file,
                                                                   std::string_view content, mode_t mode);

}  // namespace kiosk::sync
