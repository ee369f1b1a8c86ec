#include "kiosk/sync/credential_file.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <utility>

#include "loyalty/base32.hpp"
#include "network/central_client.hpp"

namespace kiosk::sync {
namespace {

StoreError ioError(const std::filesystem::path& file, const std::string& what) {
    return StoreError{StoreError::Kind::Io, what + " " + file.string() + ": " + std::strerror(errno)};
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

bool writeAll(int fd, const std::string& text) {
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        written += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

StoreResult<std::string> readCredentialFile(const std::filesystem::path& file) {
    std::error_code ec;
    const auto type = std::filesystem::status(file, ec).type();
    if (type == std::filesystem::file_type::not_found) return std::string();
    if (type != std::filesystem::file_type::regular)
        return std::unexpected(StoreError{StoreError::Kind::Io, file.string() + " is not a readable file"});
    std::ifstream in(file);
    if (!in) return std::unexpected(ioError(file, "cannot read"));
    std::string credential;
    std::getline(in, credential);
    while (!credential.empty() && std::isspace(static_cast<unsigned char>(credential.back())))
        credential.pop_back();
    return credential;
}

StoreResult<void> writeCredentialFile(const std::filesystem::path& file, const std::string& credential) {
    if (!file.has_filename())
        return std::unexpected(StoreError{StoreError::Kind::Invalid, "no credential file named"});
    // A newline would also end the file's one line early.
    if (!net::isUsableCredential(credential))
        return std::unexpected(StoreError{StoreError::Kind::Invalid,
                                          "a credential is 1 to 512 visible ASCII characters (no spaces)"});

    const auto folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    std::string temp = (folder / ("." + file.filename().string() + ".XXXXXX")).string();
    Descriptor fd(::mkstemp(temp.data()));  // created 0600, whatever the umask
    if (fd.get() < 0) return std::unexpected(ioError(temp, "cannot create"));
    const bool written = ::fchmod(fd.get(), 0600) == 0 && writeAll(fd.get(), credential + "\n") &&
                         ::fsync(fd.get()) == 0 && fd.close();
    if (!written || ::rename(temp.c_str(), file.c_str()) != 0) {
        auto error = ioError(file, "cannot write");
        ::unlink(temp.c_str());
        return std::unexpected(error);
    }
    // The rename is durable only once the folder's entry is on disk.
    Descriptor dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0 || ::fsync(dir.get()) != 0) return std::unexpected(ioError(folder, "cannot sync"));
    return {};
}

std::string makeCredential() {
    std::array<std::uint8_t, 32> random{};
    randombytes_buf(random.data(), random.size());
    return "kc_" + loyalty::encodeBase32(random);
}

std::filesystem::path pendingCredentialFile(const std::filesystem::path& credentialFile) {
    auto pending = credentialFile;
    pending += ".pending";
    return pending;
}

}  // namespace kiosk::sync
