#include "updater_slots.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

#include "hal/atomic_file.hpp"

namespace kiosk::sync {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kMaxStateBytes = 4096;

std::string otherSlot(const std::string& slot) {
    return slot == "a" ? "b" : "a";
}

std::string encode(const UpdateState& s) {
    std::ostringstream out;
    out << "phase=" << s.phase << "\nslot=" << s.slot << "\nprevious_slot=" << s.previousSlot
        << "\nversion=" << s.version << "\nprevious_version=" << s.previousVersion
        << "\nhighest_installed=" << s.highestInstalled << "\nrelease_id=" << s.releaseId
        << "\ntrial_deadline=" << s.trialDeadline << "\nlast_error=" << s.lastError << "\n";
    return out.str();
}

std::int64_t toInt(std::string_view text) {
    std::int64_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

/// The state file's fields; a line it does not know is ignored (a newer agent's field after a rollback).
UpdateState decode(const std::string& text) {
    UpdateState s;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        const auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        const auto key = line.substr(0, eq);
        auto value = line.substr(eq + 1);
        if (key == "phase") s.phase = value;
        if (key == "slot") s.slot = value;
        if (key == "previous_slot") s.previousSlot = value;
        if (key == "version") s.version = value;
        if (key == "previous_version") s.previousVersion = value;
        if (key == "highest_installed") s.highestInstalled = value;
        if (key == "release_id") s.releaseId = toInt(value);
        if (key == "trial_deadline") s.trialDeadline = toInt(value);
        if (key == "last_error") s.lastError = value;
    }
    return s;
}

/// Runs `tar -xf archive -C dir` (no shell); an error says why.
std::expected<void, std::string> untar(const fs::path& archive, const fs::path& dir) {
    std::vector<std::string> args{"tar", "--no-same-owner", "-xf", archive.string(), "-C", dir.string()};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (const int rc = posix_spawnp(&pid, "tar", nullptr, nullptr, argv.data(), environ); rc != 0)
        return std::unexpected("cannot start tar: " + std::error_code(rc, std::generic_category()).message());
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return std::unexpected("tar could not unpack the bundle");
    return {};
}

std::expected<std::string, std::string> hashFile(const fs::path& file, std::uint64_t& size) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::unexpected("cannot read " + file.string());
    loyalty::Sha256 hash;
    std::array<char, 64 * 1024> buffer{};
    size = 0;
    while (in) {
        in.read(buffer.data(), buffer.size());
        const auto got = static_cast<std::size_t>(in.gcount());
        hash.update(std::span(reinterpret_cast<const std::uint8_t*>(buffer.data()), got));
        size += got;
    }
    return hash.hexDigest();
}

}  // namespace

std::expected<UpdateSlots, std::string> UpdateSlots::open(Options options) {
    UpdateSlots slots(std::move(options));
    const auto& root = slots.m_options.root;
    std::error_code ec;
    fs::create_directories(root / "staging", ec);
    if (!ec) fs::create_directories(root / "slots", ec);
    if (ec) return std::unexpected("update agent: cannot create " + root.string() + ": " + ec.message());
    if (std::ifstream in(root / "state"); in) {
        std::string text(kMaxStateBytes, '\0');
        in.read(text.data(), static_cast<std::streamsize>(text.size()));
        text.resize(static_cast<std::size_t>(in.gcount()));
        slots.m_state = decode(text);
    } else {
        slots.m_state.version = slots.m_options.runningVersion;
        slots.m_state.highestInstalled = slots.m_options.runningVersion;
    }
    // A switch or rollback cut short: `current` is what will run, so it is the truth.
    const auto linked = slots.linkedSlot();
    if (linked != slots.m_state.slot) {
        const bool toPrevious = linked == slots.m_state.previousSlot;
        if (toPrevious) std::swap(slots.m_state.version, slots.m_state.previousVersion);
        slots.m_state.slot = linked;
        slots.m_state.phase = slots.m_state.phase == "trial" ? "rolled_back" : "idle";
        slots.m_state.previousSlot.clear();
        slots.m_state.lastError = "update interrupted: running slot " + (linked.empty() ? "none" : linked);
        if (auto saved = slots.save(); !saved) return std::unexpected(saved.error());
    }
    for (const auto* leftover : {"a.new", "b.new"}) fs::remove_all(root / "slots" / leftover, ec);
    return slots;
}

fs::path UpdateSlots::stagedBundle() const {
    return m_options.root / "staging" / "bundle";
}

fs::path UpdateSlots::currentDir() const {
    const auto slot = linkedSlot();
    return slot.empty() ? fs::path() : m_options.root / "slots" / slot;
}

std::string UpdateSlots::linkedSlot() const {
    std::error_code ec;
    const auto target = fs::read_symlink(m_options.root / "current", ec);
    if (ec) return "";
    return target.filename().string();
}

std::unexpected<UpdateRefusal> UpdateSlots::refuse(std::string code, std::string detail) {
    std::error_code ec;
    fs::remove(stagedBundle(), ec);
    return std::unexpected(UpdateRefusal{std::move(code), std::move(detail)});
}

std::expected<loyalty::ReleaseManifest, UpdateRefusal> UpdateSlots::precheck(std::string_view manifestText,
                                                                             loyalty::UnixSeconds now) {
    auto manifest = loyalty::verifyReleaseManifest(manifestText, m_options.releaseKey);
    if (!manifest) {
        const auto error = manifest.error().error;
        const char* code = error == loyalty::ManifestError::BadSignature ? "bad_signature"
                           : error == loyalty::ManifestError::TooLarge   ? "too_large"
                                                                         : "malformed";
        return refuse(code, manifest.error().detail);
    }
    const auto running = loyalty::parseReleaseVersion(m_state.version);
    const auto highest = loyalty::parseReleaseVersion(m_state.highestInstalled);
    if (!running || !highest) return refuse("malformed", "the running version is not MAJOR.MINOR.PATCH");
    const loyalty::InstalledState installed{m_options.package, m_options.channel, *running, *highest};
    if (auto applies = loyalty::checkReleaseApplies(*manifest, installed, now); !applies)
        return refuse(std::string(loyalty::code(applies.error())),
                      std::string(loyalty::describe(applies.error())));
    if (manifest->size > m_options.maxBundleBytes) return refuse("too_large", "over the agent's size cap");
    return *manifest;
}

std::expected<loyalty::ReleaseManifest, UpdateRefusal> UpdateSlots::verify(std::string_view manifestText,
                                                                           loyalty::UnixSeconds now) {
    auto manifest = precheck(manifestText, now);
    if (!manifest) return manifest;
    std::uint64_t size = 0;
    auto digest = hashFile(stagedBundle(), size);
    if (!digest) return refuse("bundle_mismatch", digest.error());
    if (size != manifest->size)
        return refuse("bundle_mismatch",
                      std::to_string(size) + " bytes, the manifest says " + std::to_string(manifest->size));
    if (*digest != manifest->sha256) return refuse("bundle_mismatch", "SHA-256 differs from the manifest");
    return manifest;
}

std::expected<std::string, UpdateRefusal> UpdateSlots::install(const loyalty::ReleaseManifest& manifest) {
    const auto slot = otherSlot(linkedSlot());
    const auto dir = m_options.root / "slots" / slot;
    const auto fresh = m_options.root / "slots" / (slot + ".new");
    std::error_code ec;
    const auto space = fs::space(m_options.root, ec);
    // Unpacked, a bundle takes about its size again (more for a compressed one: the spare covers it).
    if (ec || space.available < manifest.size + m_options.spareBytes)
        return refuse("disk_full",
                      "not enough free space to unpack " + std::to_string(manifest.size) + " bytes");
    fs::remove_all(fresh, ec);
    fs::create_directories(fresh, ec);
    if (ec) return refuse("install_failed", "cannot create " + fresh.string() + ": " + ec.message());
    if (auto unpacked = untar(stagedBundle(), fresh); !unpacked) {
        fs::remove_all(fresh, ec);
        return refuse("install_failed", unpacked.error());
    }
    ::sync();  // the slot's files are on disk before any link may name it
    fs::remove_all(dir, ec);
    fs::rename(fresh, dir, ec);
    if (ec) return refuse("install_failed", "cannot rename " + fresh.string() + ": " + ec.message());
    fs::remove(stagedBundle(), ec);
    return slot;
}

std::expected<void, std::string> UpdateSlots::point(const std::string& slot) {
    const auto link = m_options.root / "current";
    const auto fresh = m_options.root / "current.new";
    std::error_code ec;
    fs::remove(fresh, ec);
    fs::create_directory_symlink(fs::path("slots") / slot, fresh, ec);
    if (!ec) fs::rename(fresh, link, ec);
    if (ec) return std::unexpected("cannot point current at slot " + slot + ": " + ec.message());
    ::sync();
    return {};
}

std::expected<void, std::string> UpdateSlots::switchTo(const std::string& slot,
                                                       const loyalty::ReleaseManifest& manifest,
                                                       std::int64_t releaseId, std::int64_t deadline) {
    UpdateState next = m_state;
    next.phase = "trial";
    next.previousSlot = linkedSlot();
    next.previousVersion = m_state.version;
    next.slot = slot;
    next.version = loyalty::formatReleaseVersion(manifest.version);
    next.releaseId = releaseId;
    next.trialDeadline = deadline;
    next.lastError.clear();
    std::swap(m_state, next);
    if (auto saved = save(); !saved) {
        m_state = next;
        return saved;
    }
    return point(slot);
}

std::expected<void, std::string> UpdateSlots::markGood() {
    if (m_state.phase != "trial") return {};
    m_state.phase = "idle";
    m_state.previousSlot.clear();
    const auto running = loyalty::parseReleaseVersion(m_state.version);
    const auto highest = loyalty::parseReleaseVersion(m_state.highestInstalled);
    if (running && (!highest || *running > *highest)) m_state.highestInstalled = m_state.version;
    return save();
}

std::expected<bool, std::string> UpdateSlots::rollBack(std::int64_t now, const std::string& why, bool force) {
    if (m_state.phase != "trial" || (!force && now < m_state.trialDeadline)) return false;
    if (!m_state.previousSlot.empty()) {
        if (auto pointed = point(m_state.previousSlot); !pointed) return std::unexpected(pointed.error());
    } else {
        // The first update replaced the package's own install: without `current` the launcher starts it.
        std::error_code ec;
        fs::remove(m_options.root / "current", ec);
    }
    m_state.phase = "rolled_back";
    m_state.slot = m_state.previousSlot;
    m_state.previousSlot.clear();
    std::swap(m_state.version, m_state.previousVersion);
    m_state.lastError = why;
    if (auto saved = save(); !saved) return std::unexpected(saved.error());
    return true;
}

std::expected<void, std::string> UpdateSlots::save() {
    return hal::writeFileAtomically(m_options.root / "state", encode(m_state), 0600);
}

}  // namespace kiosk::sync
