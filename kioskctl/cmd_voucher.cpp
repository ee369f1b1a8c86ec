// kioskctl voucher verify — the offline check a POS integrator (or a cashier's laptop) runs on a
// scanned voucher QR: is it signed by the chain's voucher key, and is it still within its dates?
// Whether it was already used is central's knowledge; this command says so instead of guessing.
//
// Exit codes: 0 valid; 1 the voucher was refused; 2 bad input (unreadable key file, bad --now).

#include <fmt/core.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "commands.hpp"
#include "key_file.hpp"
#include "loyalty/money.hpp"
#include "loyalty/time.hpp"
#include "loyalty/voucher.hpp"

namespace kioskctl {
namespace {

constexpr int kExitRefused = 1;
constexpr int kExitBadInput = 2;

struct VoucherVerifyOptions {
    std::string payload;
    std::string pubkeyFile;
    std::optional<std::string> now;
};

int runVoucherVerify(const VoucherVerifyOptions& o) {
    const auto fail = [](const std::string& message) {
        fmt::print(stderr, "kioskctl: {}\n", message);
        return kExitBadInput;
    };
    loyalty::UnixSeconds now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    if (o.now) {
        const auto parsed = loyalty::parseIso8601(*o.now);
        if (!parsed) return fail(fmt::format("--now \"{}\": {}", *o.now, loyalty::describe(parsed.error())));
        now = *parsed;
    }
    const auto key = readPublicKeyFile(o.pubkeyFile);
    if (!key) return fail(key.error());

    const auto voucher = loyalty::verifyVoucherPayload(o.payload, *key, now);
    if (!voucher) {
        fmt::print(stderr, "refused: {} ({})\n", loyalty::describe(voucher.error()),
                   loyalty::voucherErrorCode(voucher.error()));
        return kExitRefused;
    }
    fmt::print("valid voucher (signature and dates; ask central whether it was already used)\n");
    fmt::print("code:     {}\n", voucher->code.text());
    fmt::print("reward:   {}\n", voucher->rewardId);
    fmt::print("value:    {} ({} dong)\n", loyalty::formatVnd(voucher->value), voucher->value.value);
    fmt::print("issued:   {}\n", loyalty::formatIso8601(voucher->issuedAt));
    fmt::print("expires:  {} (valid through {})\n", loyalty::formatIso8601(voucher->expiresAt),
               loyalty::formatLocalDateVi(loyalty::voucherLastValidDay(voucher->expiresAt)));
    return 0;
}

}  // namespace

void addVoucherCommands(CLI::App& app, int& exitCode) {
    CLI::App* voucher = app.add_subcommand("voucher", "Check voucher QR payloads offline");
    voucher->require_subcommand(1);

    auto verifyOptions = std::make_shared<VoucherVerifyOptions>();
    CLI::App* verify = voucher->add_subcommand(
        "verify", "Verify a voucher QR payload (LV1...): print its fields or why it is refused");
    verify->add_option("payload", verifyOptions->payload, "The payload (the QR text)")->required();
    verify->add_option("--pubkey", verifyOptions->pubkeyFile, "The chain's voucher public key file")
        ->required();
    verify->add_option("--now", verifyOptions->now, "Judge the dates at this ISO 8601 time (default: now)");
    verify->callback([verifyOptions, &exitCode] { exitCode = runVoucherVerify(*verifyOptions); });
}

}  // namespace kioskctl
