// The real build/bin/central speaks systemd's notify protocol to a real notify socket: STATUS while it
// starts, READY=1 once the database is open and the port answers, STOPPING=1 on SIGTERM — what
// loyalty-central.service (Type=notify) waits for.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <optional>

#include "central_harness.hpp"
#include "notify_socket.hpp"

using namespace std::chrono_literals;
using packaging_test::NotifySocket;

TEST(CentralNotify, ReadyWhenServingThenStoppingOnSigterm) {
    NotifySocket socket;
    ::setenv("NOTIFY_SOCKET", socket.path().c_str(), 1);  // inherited by the central process only
    std::optional<central_test::CentralProcess> central;
    central.emplace(central_test::CentralProcess::Options{});
    ::unsetenv("NOTIFY_SOCKET");

    const auto status = socket.waitFor("STATUS=database open", 10s);
    ASSERT_TRUE(status) << central->log();
    const auto ready = socket.waitFor("READY=1", 10s);
    ASSERT_TRUE(ready) << central->log();
    EXPECT_NE(ready->find("STATUS=serving on 127.0.0.1:" + std::to_string(central->port())),
              std::string::npos)
        << *ready;
    EXPECT_EQ(central->get("/healthz", "").status, 200);
    EXPECT_EQ(socket.receive(200ms), std::nullopt) << "nothing more while it serves";

    central.reset();  // SIGTERM, then waits for the exit
    const auto stopping = socket.waitFor("STOPPING=1", 5s);
    ASSERT_TRUE(stopping);
}
