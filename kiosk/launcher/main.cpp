// kiosk-launcher — starts the kiosk version the update agent's `current` link names, and rolls back a
// new version that exits before its health gate (docs/fleet.md, "The launcher").
//
// Why a binary of its own and not a mode of `kiosk`: the launcher must never come from a slot (a
// broken release would take its own launcher down with it) and must outlive the kiosk it started to
// see how it ended. So it is the packaged /usr/lib/loyalty-kiosk/kiosk-launcher, it links only the
// agent's disk code (UpdateSlots), no SDL, curl or SQLite, and it runs one life: systemd's
// Restart=always is the loop (kiosk.service: cage -> kiosk-launcher -> kiosk).
//
// One life:
//  1. no [update] in the config: exec the packaged kiosk, nothing else;
//  2. a trial whose deadline passed (the new version hung, was stopped by the watchdog, or the power
//     went): roll back before starting anything;
//  3. start ROOT/current/usr/bin/kiosk with --release-version from the slot's VERSION (the packaged
//     kiosk when there is no `current`), forward SIGTERM/SIGINT to it, wait;
//  4. the kiosk was started on trial and the trial is still on when it ends (it exited, crashed or
//     was killed before its health gate): roll back at once; the next life starts the previous slot.
// Exit status: the kiosk's (128 + signal when a signal ended it); 1 when the launcher cannot work.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "jobs/updater_slots.hpp"

namespace {

namespace fs = std::filesystem;
using kiosk::sync::UpdateSlots;

volatile sig_atomic_t g_child = 0;  // the kiosk's pid, for the signal handler only

void forward(int signal) {
    if (g_child > 0) ::kill(static_cast<pid_t>(g_child), signal);
}

/// `[update] root` of the kiosk's config, resolved like the kiosk resolves it (against the config's
/// folder); empty when the config has no [update]. Throws on a file that is not TOML.
fs::path updateRoot(const fs::path& config) {
    const auto table = toml::parse_file(config.string());
    const auto root = table.at_path("update.root").value<std::string>();
    if (!root || root->empty()) return {};
    const fs::path p(*root);
    return p.is_absolute() ? p : (config.parent_path() / p).lexically_normal();
}

/// The slot's version (its VERSION file, written when the release was packaged); "" when unreadable.
std::string slotVersion(const fs::path& slot) {
    std::ifstream in(slot / "VERSION");
    std::string version;
    std::getline(in, version);
    return loyalty::parseReleaseVersion(version) ? version : "";
}

/// execv's view of `args` (which must outlive it).
std::vector<char*> cArgs(std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    return argv;
}

/// Starts `args` and waits for it; its wait status (-1 when it could not be started).
int runChild(std::vector<std::string> args) {
    auto argv = cArgs(args);
    const pid_t pid = ::fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        ::execv(argv[0], argv.data());
        ::_exit(127);  // a slot without a runnable kiosk: "exits at start"
    }
    g_child = pid;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    g_child = 0;
    return status;
}

std::string describe(int status) {
    if (status == -1) return "could not be started";
    if (WIFSIGNALED(status)) return "was ended by signal " + std::to_string(WTERMSIG(status));
    return "exited with status " + std::to_string(WEXITSTATUS(status));
}

int exitCode(int status) {
    if (status == -1) return 1;
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

std::expected<UpdateSlots, std::string> openSlots(const fs::path& root) {
    UpdateSlots::Options options;
    options.root = root;  // the launcher verifies nothing: no release key, no running version needed
    return UpdateSlots::open(std::move(options));
}

/// One life of a kiosk with an update agent (steps 2-4 above).
int launch(const fs::path& root, const std::string& packaged, const std::vector<std::string>& kioskArgs) {
    auto slots = openSlots(root);
    if (!slots) throw std::runtime_error(slots.error());
    const std::int64_t now = std::time(nullptr);
    if (auto rolled = slots->rollBack(now,
                                      "health gate: the trial's deadline passed before the new "
                                      "version proved healthy",
                                      false);
        !rolled) {
        throw std::runtime_error(rolled.error());
    } else if (*rolled) {
        spdlog::warn("launcher: the trial's deadline passed: back to version {}", slots->state().version);
    }
    const auto onTrial = slots->state().phase == "trial" ? slots->state().slot : std::string();
    std::vector<std::string> args{packaged};
    if (const auto slot = slots->currentDir(); !slot.empty()) {
        args = {(slot / "usr/bin/kiosk").string()};
        if (const auto version = slotVersion(slot); !version.empty())
            args.insert(args.end(), {"--release-version", version});
    }
    args.insert(args.end(), kioskArgs.begin(), kioskArgs.end());
    spdlog::info("launcher: starting {}{}", args.front(), onTrial.empty() ? "" : " (on trial)");
    const int status = runChild(args);
    if (onTrial.empty()) return exitCode(status);
    // The kiosk's agent may have passed the gate or rolled back itself meanwhile: read the state again.
    auto after = openSlots(root);
    if (!after) throw std::runtime_error(after.error());
    if (after->state().phase == "trial" && after->state().slot == onTrial) {
        const auto why = "the new version " + describe(status) + " before its health gate";
        if (auto rolled = after->rollBack(std::time(nullptr), why, true); !rolled)
            throw std::runtime_error(rolled.error());
        spdlog::warn("launcher: {}: back to version {}", why, after->state().version);
        return status == 0 ? 1 : exitCode(status);
    }
    return exitCode(status);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Starts the kiosk version the update agent installed (docs/fleet.md)"};
    std::string config;
    std::string packaged = "/usr/bin/kiosk";
    std::vector<std::string> extra;
    cli.add_option("--config", config, "the kiosk's configuration (its [update] root)")
        ->required()
        ->check(CLI::ExistingFile);
    cli.add_option("--kiosk", packaged, "the packaged kiosk, started when no update is installed")
        ->check(CLI::ExistingFile);
    cli.add_option("kiosk-args", extra, "more arguments for the kiosk (after --)");
    CLI11_PARSE(cli, argc, argv);
    std::vector<std::string> kioskArgs{"--config", config};
    kioskArgs.insert(kioskArgs.end(), extra.begin(), extra.end());
    try {
        const auto root = updateRoot(config);
        if (root.empty()) {
            std::vector<std::string> args{packaged};
            args.insert(args.end(), kioskArgs.begin(), kioskArgs.end());
            auto raw = cArgs(args);
            ::execv(raw[0], raw.data());
            spdlog::error("launcher: cannot start {}: {}", packaged, std::strerror(errno));
            return 1;
        }
        struct sigaction action {};
        action.sa_handler = forward;
        ::sigaction(SIGTERM, &action, nullptr);
        ::sigaction(SIGINT, &action, nullptr);
        return launch(root, packaged, kioskArgs);
    } catch (const std::exception& e) {
        spdlog::error("launcher: {}", e.what());
        return 1;
    }
}
