#include "updater.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>

#include "../link.hpp"
#include "hal/atomic_file.hpp"
#include "loyalty/time.hpp"
#include "network/release_download.hpp"

namespace kiosk::sync {
namespace {

using namespace std::chrono_literals;

/// Bytes downloaded per run before the other jobs get their turn (a range is 256 KiB).
constexpr std::uint64_t kBytesPerRun = 4u << 20;
/// How often a waiting step (quiet moment, health gate) looks again.
constexpr auto kPoll = 1000ms;
/// How often the health gate asks the app to check its devices again while they are not right.
constexpr auto kDeviceCheckEvery = 5000ms;

std::string readMarker(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string text;
    std::getline(in, text);
    return text;
}

/// "HH:MM" as minutes after midnight.
std::optional<int> minuteOfDay(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    if (!isDigit(text[0]) || !isDigit(text[1]) || !isDigit(text[3]) || !isDigit(text[4])) return std::nullopt;
    const int hour = (text[0] - '0') * 10 + (text[1] - '0');
    const int minute = (text[3] - '0') * 10 + (text[4] - '0');
    if (hour > 23 || minute > 59) return std::nullopt;
    return hour * 60 + minute;
}

}  // namespace

std::expected<MaintenanceWindow, std::string> MaintenanceWindow::parse(std::string_view text) {
    const auto dash = text.find('-');
    const auto from = minuteOfDay(text.substr(0, dash));
    const auto to = dash == std::string_view::npos ? std::nullopt : minuteOfDay(text.substr(dash + 1));
    if (!from || !to) return std::unexpected("must be \"HH:MM-HH:MM\" (Vietnam time, e.g. \"02:00-05:00\")");
    if (*from == *to) return std::unexpected("must end at another time than it starts");
    return MaintenanceWindow{*from, *to};
}

bool MaintenanceWindow::contains(loyalty::UnixSeconds t) const {
    const auto local = loyalty::localDateTime(t);
    const int minute = local.hour * 60 + local.minute;
    return fromMinute < toMinute ? minute >= fromMinute && minute < toMinute
                                 : minute >= fromMinute || minute < toMinute;
}

Updater::Updater(Link& link, UpdateSlots slots, UpdaterOptions options,
                 std::shared_ptr<UpdateControl> control, std::function<void()> reportNow)
    : m_link(link),
      m_slots(std::move(slots)),
      m_options(std::move(options)),
      m_control(std::move(control)),
      m_reportNow(std::move(reportNow)) {
    const auto& state = m_slots.state();
    // What the last life ended with: a rollback is this release's failure, an idle state after a
    // release its success (central counts it when the version matches).
    if (state.phase == "rolled_back") {
        m_givenUp.insert(state.releaseId);
        setReport("failed", state.lastError);
    } else if (state.phase == "trial") {
        setReport("trial", "");
    } else if (state.releaseId != 0) {
        setReport("healthy", state.lastError);
    }
}

bool Updater::ready() const {
    return m_link.mayCallCentral();
}

bool Updater::offer(const net::UpdateOffer& offer) {
    const auto& state = m_slots.state();
    if (m_restarting || state.phase == "trial" || m_givenUp.contains(offer.releaseId)) return false;
    if (state.releaseId == offer.releaseId && state.phase == "idle") return false;  // already running it
    if (m_offer && m_offer->releaseId == offer.releaseId) return false;
    forgetOffer();
    m_offer = offer;
    spdlog::info("updater: central offers release {} (version {})", offer.releaseId, offer.version);
    return true;
}

std::optional<net::UpdateReport> Updater::report() const {
    return m_report;
}

void Updater::setReport(std::string state, std::string error) {
    const auto release = m_offer ? m_offer->releaseId : m_slots.state().releaseId;
    m_report = net::UpdateReport{release, std::move(state), std::move(error)};
    m_control->setStatus({*m_report, m_offer ? m_offer->version : m_slots.state().version});
}

void Updater::forgetOffer() {
    m_offer.reset();
    m_manifestText.clear();
    m_manifest.reset();
    m_installedSlot.clear();
}

Next Updater::run() {
    if (m_restarting) return Next::whenNudged();
    if (m_slots.state().phase == "trial") return gate();
    if (!m_offer) return Next::whenNudged();
    if (!m_installedSlot.empty()) return switchWhenQuiet();
    if (!m_manifest) return fetchManifest();
    return download();
}

std::string Updater::devicesProblem() {
    if (!m_options.checkDevices) return "";
    auto problem = m_control->devicesProblem();
    if (problem && problem->empty()) return "";
    // Asked again while the trial lasts: a camera or printer may come up a little after the app.
    const auto now = m_link.clock().monotonicMs();
    if (now >= m_nextDeviceCheck) {
        m_options.checkDevices();
        m_nextDeviceCheck = now + kDeviceCheckEvery.count();
    }
    return problem ? *problem : "devices not checked";
}

Next Updater::gate() {
    const bool frame = m_control->firstFrame();
    const bool central = m_link.status().online;
    const auto devices = devicesProblem();
    if (frame && central && devices.empty()) {
        if (auto good = m_slots.markGood(); !good) {
            spdlog::error("updater: cannot record the health gate: {}", good.error());
            return Next::retry();
        }
        spdlog::info("updater: version {} passed its health gate", m_slots.state().version);
        setReport("healthy", "");
        m_reportNow();
        return Next::whenNudged();
    }
    const auto now = m_link.clock().now();
    if (now < m_slots.state().trialDeadline) return Next::after(kPoll);
    std::string why;
    for (const auto& problem : {frame ? "" : std::string("no first frame"), devices,
                                central ? "" : std::string("no answer from central")})
        if (!problem.empty()) why += (why.empty() ? "" : ", ") + problem;
    why = "health gate: " + why + " within " + std::to_string(m_options.healthDeadline.count()) + " s";
    const auto failedRelease = m_slots.state().releaseId;
    auto rolled = m_slots.rollBack(now, why, true);
    if (!rolled) {
        spdlog::error("updater: cannot roll back: {}", rolled.error());
        return Next::retry();
    }
    spdlog::warn("updater: release {} rolled back ({})", failedRelease, why);
    m_givenUp.insert(failedRelease);
    setReport("failed", why);
    return restart();
}

Next Updater::fetchManifest() {
    auto text = net::fetchText(m_link.client(), m_offer->manifestUrl, loyalty::kMaxManifestBytes);
    if (!text) {
        if (text.error().definitive()) return refuse("download_refused", text.error().message);
        setReport("downloading", "manifest: " + text.error().message);
        return Next::retry(text.error().retryAfter.value_or(0s));
    }
    auto manifest = m_slots.precheck(*text, m_link.centralNow());
    if (!manifest) return refuse(manifest.error().code, manifest.error().detail);
    // The staged bytes belong to one bundle: another one's are thrown away, ours are resumed.
    const auto marker = m_slots.stagedBundle().string() + ".sha256";
    if (readMarker(marker) != manifest->sha256) {
        std::error_code ec;
        std::filesystem::remove(m_slots.stagedBundle(), ec);
        if (auto written = hal::writeFileAtomically(marker, manifest->sha256 + "\n", 0600); !written)
            return refuse("disk_full", written.error());
    }
    m_manifestText = std::move(*text);
    m_manifest = std::move(*manifest);
    setReport("downloading", "");
    m_reportNow();
    return Next::after(0ms);
}

Next Updater::download() {
    std::uint64_t startedAt = 0;
    net::RangedDownload request;
    request.maxBytes = std::min<std::uint64_t>(m_options.maxBundleBytes, m_manifest->size);
    request.expectedSize = m_manifest->size;
    request.progress = [&startedAt](std::uint64_t have, std::uint64_t) {
        if (startedAt == 0) startedAt = have;
        return have - startedAt < kBytesPerRun;
    };
    auto done = net::downloadRanges(m_link.client(), m_offer->bundleUrl, m_slots.stagedBundle(), request);
    if (!done) {
        const auto& error = done.error();
        if (error.code == "staging_too_large") {
            std::error_code ec;
            std::filesystem::remove(m_slots.stagedBundle(), ec);
            return Next::after(0ms);
        }
        if (error.code == "disk_full") return refuse("disk_full", error.message);
        if (error.kind == net::ErrorKind::TooLarge) return refuse("too_large", error.message);
        if (error.definitive()) return refuse("download_refused", error.message);
        setReport("downloading", "bundle: " + error.message);
        return Next::retry(error.retryAfter.value_or(0s));
    }
    if (!done->complete()) return Next::after(0ms);
    return install();
}

Next Updater::install() {
    auto verified = m_slots.verify(m_manifestText, m_link.centralNow());
    if (!verified) return refuse(verified.error().code, verified.error().detail);
    auto slot = m_slots.install(*verified);
    if (!slot) return refuse(slot.error().code, slot.error().detail);
    std::error_code ec;
    std::filesystem::remove(m_slots.stagedBundle().string() + ".sha256", ec);
    m_installedSlot = *slot;
    spdlog::info("updater: release {} installed in slot {}, waiting for a quiet moment", m_offer->releaseId,
                 *slot);
    setReport("installed", "");
    m_reportNow();
    return switchWhenQuiet();
}

bool Updater::quietMoment() const {
    const auto now = m_link.centralNow();
    if (now < m_control->postponedUntil()) return false;
    return m_control->quiet() || (m_control->idle() && m_options.window && m_options.window->contains(now));
}

Next Updater::switchWhenQuiet() {
    if (!m_control->takeInstallNow() && !quietMoment()) return Next::after(kPoll);
    const auto deadline = m_link.clock().now() + m_options.healthDeadline.count();
    if (auto switched = m_slots.switchTo(m_installedSlot, *m_manifest, m_offer->releaseId, deadline);
        !switched) {
        setReport("failed", "switch: " + switched.error());
        m_givenUp.insert(m_offer->releaseId);
        forgetOffer();
        m_reportNow();
        return Next::whenNudged();
    }
    spdlog::info("updater: switched to {} (release {}), restarting", m_slots.state().version,
                 m_offer->releaseId);
    setReport("trial", "");
    return restart();
}

Next Updater::refuse(const std::string& code, const std::string& detail) {
    spdlog::warn("updater: release {} refused: {} ({})", m_offer ? m_offer->releaseId : 0, code, detail);
    setReport("refused", code + ": " + detail);
    // A refused release leaves nothing behind: not its staged bytes (a download refused midway) nor
    // the name of the bundle they belonged to.
    std::error_code ec;
    std::filesystem::remove(m_slots.stagedBundle(), ec);
    std::filesystem::remove(m_slots.stagedBundle().string() + ".sha256", ec);
    if (m_offer) m_givenUp.insert(m_offer->releaseId);
    forgetOffer();
    m_reportNow();
    return Next::whenNudged();
}

Next Updater::restart() {
    m_restarting = true;
    forgetOffer();
    m_reportNow();
    m_control->requestRestart();
    return Next::whenNudged();
}

}  // namespace kiosk::sync
