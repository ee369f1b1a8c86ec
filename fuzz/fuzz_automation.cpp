// The kiosk automation socket (kiosk/src/app/automation_server.hpp): any bytes a client writes to the
// real Unix socket. The input is sent, then the client half-closes and reads every answer. The UI side
// of this harness takes each queued command at once and echoes it.
// Invariants: every complete line gets exactly one answer line, in order; each answer is a JSON
// object; a line that is a JSON object with a string "cmd" reaches the UI side unchanged (its answer
// is the echo), and any other line is answered {"ok": false, "error": …} without reaching it.

#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/automation_server.hpp"
#include "fuzz_check.hpp"

namespace {

struct Harness {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("fuzz-automation-" + std::to_string(::getpid()) + ".sock");
    std::unique_ptr<kiosk::AutomationServer> server;

    Harness() {
        // libFuzzer's timeout timer interrupts system calls with SIGALRM: it must reach this (main)
        // thread, whose loops retry, and never the listener thread, whose recv() would take it for
        // the client going away. The listener inherits the mask it is started with.
        sigset_t alarm, old;
        sigemptyset(&alarm);
        sigaddset(&alarm, SIGALRM);
        pthread_sigmask(SIG_BLOCK, &alarm, &old);
        auto started = kiosk::AutomationServer::start(path, [this] { echoQueued(); });
        pthread_sigmask(SIG_SETMASK, &old, nullptr);
        FUZZ_CHECK(started.has_value());
        server = std::move(*started);
    }

    /// Called on the listener thread right after a command was queued: plays the UI thread.
    void echoQueued() {
        while (auto command = server->take()) {
            FUZZ_CHECK(command->request.is_object() && command->request.contains("cmd") &&
                       command->request.at("cmd").is_string());
            command->reply({{"ok", true}, {"echo", command->request}});
        }
    }

    /// Sends `input`, half-closes, returns everything the server wrote back.
    std::string exchange(std::string_view input) const {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        FUZZ_CHECK(fd >= 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
        FUZZ_CHECK(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0);
        for (std::size_t done = 0; done < input.size();) {
            const auto n = ::send(fd, input.data() + done, input.size() - done, MSG_NOSIGNAL);
            FUZZ_CHECK(n > 0 || errno == EINTR);
            if (n > 0) done += static_cast<std::size_t>(n);
        }
        ::shutdown(fd, SHUT_WR);
        std::string answers;
        char chunk[4096];
        for (;;) {
            const auto n = ::recv(fd, chunk, sizeof(chunk), 0);
            if (n < 0 && errno == EINTR) continue;
            FUZZ_CHECK(n >= 0);
            if (n == 0) break;
            answers.append(chunk, static_cast<std::size_t>(n));
        }
        ::close(fd);
        return answers;
    }
};

std::vector<std::string_view> completeLines(std::string_view text) {
    std::vector<std::string_view> lines;
    for (auto newline = text.find('\n'); newline != std::string_view::npos; newline = text.find('\n')) {
        lines.push_back(text.substr(0, newline));
        text.remove_prefix(newline + 1);
    }
    return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Harness harness;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto requests = completeLines(input);
    const auto answerText = harness.exchange(input);
    const auto answers = completeLines(answerText);
    FUZZ_CHECK(answers.size() == requests.size());
    for (std::size_t i = 0; i < answers.size(); ++i) {
        const auto answer = nlohmann::json::parse(answers[i], nullptr, false);
        FUZZ_CHECK(answer.is_object() && answer.contains("ok") && answer.at("ok").is_boolean());
        const auto request = nlohmann::json::parse(requests[i], nullptr, false);
        const bool command = !request.is_discarded() && request.is_object() && request.contains("cmd") &&
                             request.at("cmd").is_string();
        FUZZ_CHECK(answer.at("ok").get<bool>() == command);
        if (command) FUZZ_CHECK(answer.contains("echo") && answer.at("echo") == request);
    }
    return 0;
}
