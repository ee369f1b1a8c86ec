// kioskctl central init — a production configuration for `central` with fresh secrets: a central.toml
// (random 64-character admin token, the chain's stores and their public keys, no development
// enrollment code) and an admin-token file for kioskctl's --admin-token-file, both written mode 0600
// in a directory of their own (0700). central then starts without --demo; it creates its voucher and
// OTP keys itself in its data directory.
//
// Exit codes: 0 written; 2 bad input (an existing file is never overwritten).

#include <fmt/core.h>
#include <sodium.h>
#include <sys/stat.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "key_file.hpp"
#include "loyalty/receipt_token.hpp"

namespace kioskctl {
namespace {

constexpr int kExitBadInput = 2;
constexpr std::size_t kAdminTokenBytes = 32;

struct InitOptions {
    std::string out;
    std::vector<std::string> stores;  ///< ID=PUBLIC_KEY_FILE
    std::string listen = "127.0.0.1:8080";
    std::string dataDir = "/var/lib/loyalty-central";
    std::string otpWebhookUrl;
};

/// Writes `text` to a new file created 0600 (refuses to replace an existing one).
bool writeOwnerOnly(const std::filesystem::path& path, const std::string& text) {
    if (std::filesystem::exists(path)) {
        fmt::print(stderr, "kioskctl: {} exists: not overwritten\n", path.string());
        return false;
    }
    {
        std::ofstream create(path);
        if (!create) return false;
    }
    std::filesystem::permissions(path,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::replace);
    std::ofstream out(path, std::ios::trunc);
    out << text;
    return static_cast<bool>(out);
}

/// TOML basic string: quotes and backslashes escaped (paths and URLs only reach here).
std::string tomlString(const std::string& text) {
    std::string out = "\"";
    for (char ch : text) {
        if (ch == '"' || ch == '\\') out += '\\';
        out += ch;
    }
    return out + "\"";
}

int runInit(const InitOptions& o) {
    const auto fail = [](const std::string& message) {
        fmt::print(stderr, "kioskctl: {}\n", message);
        return kExitBadInput;
    };
    std::string stores;
    for (const auto& entry : o.stores) {
        const auto eq = entry.find('=');
        if (eq == std::string::npos) return fail("--store " + entry + ": expected ID=PUBLIC_KEY_FILE");
        const std::string id = entry.substr(0, eq);
        const std::filesystem::path file = std::filesystem::absolute(entry.substr(eq + 1));
        if (!loyalty::isValidStoreId(id)) return fail("--store " + entry + ": invalid store id");
        if (auto key = readPublicKeyFile(file); !key) return fail(key.error());
        stores += "\n[[stores]]\nid = " + tomlString(id) +
                  "\npublic_key_file = " + tomlString(file.string()) + "\n";
    }
    std::array<unsigned char, kAdminTokenBytes> raw{};
    randombytes_buf(raw.data(), raw.size());
    std::string token(raw.size() * 2 + 1, '\0');
    sodium_bin2hex(token.data(), token.size(), raw.data(), raw.size());
    token.pop_back();

    const std::filesystem::path dir(o.out);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail("cannot create " + o.out + ": " + ec.message());
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
    const std::string config =
        "# central — PRODUCTION configuration written by `kioskctl central init`. Keep it secret (mode "
        "0600).\n"
        "# Every key is documented in assets/config/central.toml and docs/api.md.\n"
        "listen = " +
        tomlString(o.listen) + "\n" + "data_dir = " + tomlString(o.dataDir) + "\n" +
        "admin_token = " + tomlString(token) + "\n" + "otp_webhook_url = " + tomlString(o.otpWebhookUrl) +
        "\n" + "\n# No [dev_enrollment]: kiosks enroll with codes from `kioskctl enroll-code`.\n" + stores;
    if (!writeOwnerOnly(dir / "central.toml", config))
        return fail("cannot write " + (dir / "central.toml").string());
    if (!writeOwnerOnly(dir / "admin-token", token + "\n"))
        return fail("cannot write " + (dir / "admin-token").string());
    fmt::print("wrote {} and {} (mode 0600)\n", (dir / "central.toml").string(),
               (dir / "admin-token").string());
    fmt::print("start: central --config {}\n", (dir / "central.toml").string());
    fmt::print("kioskctl: --admin-token-file {}\n", (dir / "admin-token").string());
    return 0;
}

}  // namespace

void addCentralInitCommand(CLI::App& app, int& exitCode) {
    auto* central = app.add_subcommand("central", "Set up a central service");
    central->require_subcommand(1);
    auto options = std::make_shared<InitOptions>();
    auto* init = central->add_subcommand(
        "init", "Write a production central.toml with fresh secrets (and an admin-token file), mode 0600");
    init->add_option("--out", options->out, "directory to write central.toml and admin-token into")
        ->required();
    init->add_option("--store", options->stores, "a store and its receipt public key: ID=PUBLIC_KEY_FILE")
        ->required();
    init->add_option("--listen", options->listen, "HOST:PORT central listens on")->capture_default_str();
    init->add_option("--data-dir", options->dataDir, "central's data directory")->capture_default_str();
    init->add_option("--otp-webhook-url", options->otpWebhookUrl,
                     "the SMS / Zalo OA gateway of one-time codes (empty = file sink in the data dir)");
    init->callback([options, &exitCode] { exitCode = runInit(*options); });
}

}  // namespace kioskctl
