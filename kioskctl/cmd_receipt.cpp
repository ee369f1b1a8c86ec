// kioskctl keygen | receipt sign | receipt verify — the POS side of the signed receipt QR
// (docs/receipt-qr.md) and the integrator's check of a token.
//
// Exit codes: 0 success; 1 a token was refused (verify); 2 bad input or a file that cannot be read or
// written. Files are written to a temporary name next to the target and moved into place, so a failure
// never leaves half a key or half a PNG behind.

#include <fcntl.h>
#include <qrencode.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/core.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <expected>
#include <filesystem>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "hal/atomic_file.hpp"
#include "key_file.hpp"
#include "loyalty/money.hpp"
#include "loyalty/receipt_token.hpp"
#include "loyalty/signing.hpp"
#include "loyalty/time.hpp"

namespace kioskctl {

namespace {

namespace fs = std::filesystem;

constexpr int kExitRefused = 1;
constexpr int kExitBadInput = 2;
/// QR rendering: 8 px per module and the 4-module quiet zone the QR standard asks for — about 3 cm
/// at 300 dpi for a version 7 code, comfortable for a kiosk camera.
constexpr int kModulePixels = 8;
constexpr int kQuietZoneModules = 4;

std::string errnoText() {
    return std::strerror(errno);
}

/// Reports `message` and returns the exit code of bad input.
int failBadInput(const std::string& message) {
    fmt::print(stderr, "kioskctl: {}\n", message);
    return kExitBadInput;
}

/// The store's key pair from `path`, with a warning (not a refusal: the POS owner decides) when the
/// file is open to other users.
std::expected<loyalty::SigningKeyPair, std::string> readSecretKey(const fs::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && (info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        fmt::print(stderr,
                   "kioskctl: warning: {} is readable by other users; a store's secret key should be "
                   "mode 0600\n",
                   path.string());
    }
    return readSecretKeyFile(path);
}

/// The QR of `text` at error-correction level M, as PNG bytes. libqrencode splits the text into
/// alphanumeric and numeric segments (never byte mode for a token's characters), which is often one
/// version smaller than a single alphanumeric segment.
std::expected<std::vector<unsigned char>, std::string> renderQrPng(const std::string& text) {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code) return std::unexpected("cannot build the QR code: " + errnoText());

    const int modules = code->width + 2 * kQuietZoneModules;
    cv::Mat image(modules * kModulePixels, modules * kModulePixels, CV_8UC1, cv::Scalar(255));
    for (int y = 0; y < code->width; ++y) {
        for (int x = 0; x < code->width; ++x) {
            // Bit 0 of each libqrencode module byte is "dark".
            if ((code->data[y * code->width + x] & 1U) == 0) continue;
            const cv::Rect module((x + kQuietZoneModules) * kModulePixels,
                                  (y + kQuietZoneModules) * kModulePixels, kModulePixels, kModulePixels);
            image(module).setTo(cv::Scalar(0));
        }
    }
    std::vector<unsigned char> png;
    if (!cv::imencode(".png", image, png)) return std::unexpected(std::string("cannot encode the PNG"));
    return png;
}

std::expected<loyalty::UnixSeconds, std::string> timeArgument(const std::optional<std::string>& iso,
                                                              std::string_view what) {
    if (!iso) {
        return std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
    auto parsed = loyalty::parseIso8601(*iso);
    if (!parsed) {
        return std::unexpected(fmt::format("{} \"{}\": {} (expected e.g. 2026-11-23T14:05:00+07:00)", what,
                                           *iso, loyalty::describe(parsed.error())));
    }
    return *parsed;
}

struct KeygenOptions {
    std::string store;
    std::string outDir;
};

int runKeygen(const KeygenOptions& o) {
    if (!loyalty::isValidStoreId(o.store)) {
        return failBadInput(fmt::format("store id \"{}\" must be 1-{} characters of A-Z, 0-9 and -", o.store,
                                        loyalty::kMaxStoreIdChars));
    }
    std::error_code ec;
    fs::create_directories(o.outDir, ec);
    if (ec) {
        return failBadInput(fmt::format("cannot create {}: {}", o.outDir, ec.message()));
    }
    const auto written = writeKeyPair(
        o.outDir, o.store,
        fmt::format("store {}: Ed25519 secret key of the POS. Keep it secret; never copy it to a kiosk.",
                    o.store),
        fmt::format("store {}: Ed25519 public key; kiosks and central verify receipts with it.", o.store));
    if (!written) return failBadInput(written.error());
    fmt::print("{}\n{}\n", written->first.string(), written->second.string());
    return 0;
}

struct SignOptions {
    std::string keyFile;
    std::string store;
    std::string receipt;
    std::string amount;
    std::uint32_t items = 0;
    std::optional<std::string> time;
    std::optional<std::string> qrFile;
};

int runSign(const SignOptions& o) {
    if (!loyalty::isValidStoreId(o.store)) {
        return failBadInput(fmt::format("store id \"{}\" must be 1-{} characters of A-Z, 0-9 and -", o.store,
                                        loyalty::kMaxStoreIdChars));
    }
    if (!loyalty::isValidReceiptNumber(o.receipt)) {
        return failBadInput(fmt::format("receipt number \"{}\" must be 1-{} characters of A-Z, 0-9 and -",
                                        o.receipt, loyalty::kMaxReceiptNumberChars));
    }
    const auto amount = loyalty::parseDong(o.amount);
    if (!amount)
        return failBadInput(fmt::format("amount \"{}\": {}", o.amount, loyalty::describe(amount.error())));
    if (o.items > loyalty::kMaxReceiptItems) {
        return failBadInput(fmt::format("--items {} is more than {}", o.items, loyalty::kMaxReceiptItems));
    }
    const auto issuedAt = timeArgument(o.time, "--time");
    if (!issuedAt) return failBadInput(issuedAt.error());
    const auto keys = readSecretKey(o.keyFile);
    if (!keys) return failBadInput(keys.error());

    const loyalty::Receipt receipt{
        .store = o.store, .number = o.receipt, .amount = *amount, .issuedAt = *issuedAt, .items = o.items};
    const auto token = loyalty::encodeReceiptToken(receipt, *keys);
    if (!token) return failBadInput(std::string(loyalty::describe(token.error())));

    if (o.qrFile) {
        const auto png = renderQrPng(*token);
        if (!png) return failBadInput(png.error());
        const std::string_view bytes(reinterpret_cast<const char*>(png->data()), png->size());
        if (auto ok = hal::writeFileAtomically(*o.qrFile, bytes, 0644); !ok) return failBadInput(ok.error());
    }
    fmt::print("{}\n", *token);
    return 0;
}

struct VerifyOptions {
    std::string token;
    std::string pubkeyFile;
    std::optional<std::string> store;
    std::optional<std::string> now;
    std::optional<std::int64_t> maxAgeDays;
};

int runVerify(const VerifyOptions& o) {
    const auto now = timeArgument(o.now, "--now");
    if (!now) return failBadInput(now.error());
    loyalty::VerifyPolicy policy;
    if (o.maxAgeDays) policy.maxAge = std::chrono::days{*o.maxAgeDays};
    const auto key = readPublicKeyFile(o.pubkeyFile);
    if (!key) return failBadInput(key.error());

    // One key file: it vouches for the store named by --store, or else for the store the token names.
    loyalty::StoreKeyring keyring;
    if (o.store) {
        keyring.add(*o.store, *key);
    } else if (const auto decoded = loyalty::decodeReceiptToken(o.token)) {
        keyring.add(decoded->receipt.store, *key);
    }
    const auto receipt = loyalty::verifyReceiptToken(o.token, keyring, *now, policy);
    if (!receipt) {
        fmt::print(stderr, "refused: {} ({})\n", loyalty::describe(receipt.error()),
                   loyalty::tokenErrorCode(receipt.error()));
        return kExitRefused;
    }
    fmt::print("valid receipt\n");
    fmt::print("store:    {}\n", receipt->store);
    fmt::print("receipt:  {}\n", receipt->number);
    fmt::print("id:       {}\n", receipt->id());
    fmt::print("amount:   {} ({} dong)\n", loyalty::formatVnd(receipt->amount), receipt->amount.value);
    fmt::print("items:    {}\n", receipt->items);
    fmt::print("issued:   {} (unix {})\n", loyalty::formatIso8601(receipt->issuedAt), receipt->issuedAt);
    return 0;
}

}  // namespace

void addReceiptCommands(CLI::App& app, int& exitCode) {
    auto keygenOptions = std::make_shared<KeygenOptions>();
    CLI::App* keygen =
        app.add_subcommand("keygen", "Create a store's Ed25519 signing key pair (STORE.key, STORE.pub)");
    keygen->add_option("--store", keygenOptions->store, "Store id (A-Z, 0-9, -; up to 16)")->required();
    keygen->add_option("--out", keygenOptions->outDir, "Directory for STORE.key (mode 0600) and STORE.pub")
        ->required();
    keygen->callback([keygenOptions, &exitCode] { exitCode = runKeygen(*keygenOptions); });

    CLI::App* receipt = app.add_subcommand("receipt", "Sign or verify receipt QR tokens");
    receipt->require_subcommand(1);

    auto signOptions = std::make_shared<SignOptions>();
    CLI::App* sign =
        receipt->add_subcommand("sign", "Sign a receipt: print its token, optionally write the QR PNG");
    sign->add_option("--key", signOptions->keyFile, "The store's secret key file (from keygen)")->required();
    sign->add_option("--store", signOptions->store, "Store id")->required();
    sign->add_option("--receipt", signOptions->receipt, "Receipt number (A-Z, 0-9, -; up to 24)")->required();
    sign->add_option("--amount", signOptions->amount, "Total in dong: 256000 or 256.000")->required();
    sign->add_option("--items", signOptions->items, "Number of items (default 0)");
    sign->add_option("--time", signOptions->time, "Issue time, ISO 8601 (default: now)");
    sign->add_option("--qr", signOptions->qrFile, "Write the QR code to this PNG file");
    sign->callback([signOptions, &exitCode] { exitCode = runSign(*signOptions); });

    auto verifyOptions = std::make_shared<VerifyOptions>();
    CLI::App* verify =
        receipt->add_subcommand("verify", "Verify a receipt token: print its fields or why it is refused");
    verify->add_option("token", verifyOptions->token, "The token (the QR text)")->required();
    verify->add_option("--pubkey", verifyOptions->pubkeyFile, "The store's public key file")->required();
    verify->add_option("--store", verifyOptions->store,
                       "Store the key belongs to (default: the store the token names)");
    verify->add_option("--now", verifyOptions->now, "Judge the age at this ISO 8601 time (default: now)");
    verify
        ->add_option("--max-age-days", verifyOptions->maxAgeDays,
                     "Oldest receipt accepted, in days (default 30)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{36500}));
    verify->callback([verifyOptions, &exitCode] { exitCode = runVerify(*verifyOptions); });
}

}  // namespace kioskctl
