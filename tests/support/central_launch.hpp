#pragma once
// The one way a test starts the REAL central of this build tree (<build>/bin/central): on 127.0.0.1, its
// output in a log file, ready once it logs "listening on 127.0.0.1:PORT", stopped with SIGTERM (then
// SIGKILL) when this dies. The harnesses of tests/central (typed HTTP calls, both databases) and
// tests/sync (enrolled kiosks, restart on the same port) build on it.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace test_support {

struct CentralArgs {
    bool demo = true;                    ///< --demo: development secrets allowed, loopback only
    std::string listen = "127.0.0.1:0";  ///< port 0: central binds a free port itself and logs it
    std::filesystem::path dataDir;       ///< --data
    std::filesystem::path config;        ///< --config; empty: none (central's development defaults)
    std::string databaseUrl;             ///< --db; empty: SQLite in the data directory
};

class CentralLaunch {
  public:
    /// Starts central with its working directory in the log file's folder; output is appended to
    /// `logFile`. Blocks until central logs its port (returns), exits (throws std::runtime_error with
    /// the log) or 20 s pass (throws, after stopping it).
    CentralLaunch(const CentralArgs& args, std::filesystem::path logFile);
    ~CentralLaunch();
    CentralLaunch(const CentralLaunch&) = delete;
    CentralLaunch& operator=(const CentralLaunch&) = delete;

    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] pid_t pid() const { return m_pid; }
    /// Everything central wrote since this launch.
    [[nodiscard]] std::string log() const;
    /// False once central has exited (it is then reaped).
    [[nodiscard]] bool running() const;
    /// SIGTERM, then SIGKILL after 10 s; waits for the exit. Idempotent; the destructor calls it.
    void stop();

  private:
    std::filesystem::path m_logFile;
    std::uintmax_t m_logStart = 0;
    mutable pid_t m_pid = -1;  ///< -1 once stopped or seen exited
    int m_port = 0;
};

}  // namespace test_support
