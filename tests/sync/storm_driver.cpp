// sync_storm_driver — a kiosk-side process for the kill -9 test: it uses LocalStore + SyncWorker the
// way the kiosk does (enqueue durably, tell the shopper, wake the worker) so a test can kill it at any
// instruction. It is not the kiosk binary; the kill test says so.
//
//   sync_storm_driver DB URL KIOSK_ID CREDENTIAL CLAIMS_FILE [--drain]
//
// CLAIMS_FILE: one claim per line, "receiptId<TAB>token<TAB>phone<TAB>provisionalPoints".
// For each claim in order: enqueue; once enqueue returned, print "CONFIRMED <receiptId>" (this is the
// moment the kiosk shows "done"); a receipt already in the outbox (queued by an earlier, killed run)
// is skipped. With --drain: afterwards wait until the outbox is empty, print "DRAINED", exit 0.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "hal/clock.hpp"
#include "kiosk/sync/local_store.hpp"
#include "kiosk/sync/sync_worker.hpp"

namespace {

void say(const std::string& line) {
    // write(2) straight to the pipe: nothing sits in a stdio buffer when the kill comes.
    const std::string text = line + "\n";
    (void)!::write(STDOUT_FILENO, text.data(), text.size());
}

}  // namespace

int main(int argc, char** argv) {
    using namespace std::chrono_literals;
    if (argc < 6) {
        std::cerr << "usage: sync_storm_driver DB URL KIOSK_ID CREDENTIAL CLAIMS_FILE [--drain]\n";
        return 2;
    }
    const bool drain = argc > 6 && std::string(argv[6]) == "--drain";
    auto store = kiosk::sync::LocalStore::open(argv[1]);
    if (!store) {
        std::cerr << "store: " << store.error().message << "\n";
        return 1;
    }
    net::ClientConfig config;
    config.baseUrl = argv[2];
    config.kioskId = argv[3];
    config.credential = argv[4];
    config.connectTimeout = 500ms;
    config.requestTimeout = 2000ms;
    auto client = net::CentralClient::create(config);
    if (!client) {
        std::cerr << "client: " << client.error().message << "\n";
        return 1;
    }
    hal::SystemClock clock;
    kiosk::sync::SyncOptions options;
    options.batchSize = 20;
    options.initialBackoff = 10ms;
    options.maxBackoff = 200ms;
    kiosk::sync::SyncWorker worker(**store, std::move(*client), clock, options, {});
    worker.start();

    std::ifstream claims(argv[5]);
    std::string line;
    while (std::getline(claims, line)) {
        std::istringstream fields(line);
        kiosk::sync::NewClaim claim;
        std::string points;
        if (!std::getline(fields, claim.receiptId, '\t') || !std::getline(fields, claim.token, '\t') ||
            !std::getline(fields, claim.phone, '\t') || !std::getline(fields, points, '\t'))
            continue;
        claim.provisionalPoints = std::stoll(points);
        claim.consentJoin = true;
        claim.consentTextVersion = "test-v1";
        claim.acceptedAt = worker.centralNow();
        auto key = (*store)->enqueue(claim);
        if (!key) {
            if (key.error().kind == kiosk::sync::StoreError::Kind::Duplicate) continue;
            std::cerr << "enqueue: " << key.error().message << "\n";
            return 1;
        }
        say("CONFIRMED " + claim.receiptId);
        worker.syncNow();
    }
    if (!drain) {
        // A storm run is killed from outside; if it got here first it just keeps syncing.
        while (true) std::this_thread::sleep_for(1s);
    }
    worker.syncNow();
    while ((*store)->outboxDepth().value_or(1) > 0) std::this_thread::sleep_for(5ms);
    worker.stop();
    say("DRAINED");
    return 0;
}
