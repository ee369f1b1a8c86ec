#include "kiosk/sync/credential_file.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "hal/atomic_file.hpp"
#include "network/central_client.hpp"

namespace kiosk::sync {
namespace {

StoreError ioError(const std::filesystem::path& file, const std::string& what) {
    return StoreError{StoreError::Kind::Io, what + " " + file.string() + ": " + std::strerror(errno)};
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

    if (auto written = hal::writeFileAtomically(file, credential + "\n", 0600); !written)
        return std::unexpected(StoreError{StoreError::Kind::Io, written.error()});
    return {};
}

std::filesystem::path pendingCredentialFile(const std::filesystem::path& credentialFile) {
    auto pending = credentialFile;
    pending += ".pending";
    return pending;
}

}  // namespace kiosk::sync
