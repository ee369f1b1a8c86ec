#include "hal/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace hal {
namespace {

std::string failure(const std::string& what, const std::filesystem::path& file) {
    return what + " " + file.string() + ": " + std::strerror(errno);
}

/// Closes a descriptor on scope exit.
class Descriptor {
  public:
    explicit Descriptor(int fd) : m_fd(fd) {}
    ~Descriptor() {
        if (m_fd >= 0) ::close(m_fd);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    [[nodiscard]] int get() const { return m_fd; }
    /// Closes now and reports whether the kernel accepted everything written (close can fail late).
    [[nodiscard]] bool close() { return ::close(std::exchange(m_fd, -1)) == 0; }

  private:
    int m_fd;
};

bool writeAll(int fd, std::string_view text) {
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        written += static_cast<std::size_t>(n);
    }
    return true;
}

/// Moves `temp` to `file`; with Keep, link() fails on an existing target where rename() would replace it.
bool moveIntoPlace(const std::string& temp, const std::filesystem::path& file, Existing existing) {
    if (existing == Existing::Replace) return ::rename(temp.c_str(), file.c_str()) == 0;
    const bool linked = ::link(temp.c_str(), file.c_str()) == 0;
    const int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    return linked;
}

}  // namespace

std::expected<void, std::string> writeFileAtomically(const std::filesystem::path& file,
                                                     std::string_view content, mode_t mode,
                                                     Existing existing) {
    if (!file.has_filename()) return std::unexpected(std::string("no file named"));
    const auto folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    std::string temp = (folder / ("." + file.filename().string() + ".XXXXXX")).string();
    Descriptor fd(::mkstemp(temp.data()));  // created 0600, whatever the umask; fchmod sets `mode`
    if (fd.get() < 0) return std::unexpected(failure("cannot create", temp));
    const bool written =
        ::fchmod(fd.get(), mode) == 0 && writeAll(fd.get(), content) && ::fsync(fd.get()) == 0 && fd.close();
    if (!written || !moveIntoPlace(temp, file, existing)) {
        auto error = failure("cannot write", file);
        ::unlink(temp.c_str());
        return std::unexpected(error);
    }
    Descriptor dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0 || ::fsync(dir.get()) != 0) return std::unexpected(failure("cannot sync", folder));
    return {};
}

}  // namespace hal
