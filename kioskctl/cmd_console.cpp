// kioskctl console add-user: the admin token creates a head-office console account — the first
// owner's bootstrap (docs/console.md). The password is read from a file or standard input, never from
// argv, where `ps` and shell history would show it.

#include <fmt/core.h>
#include <httplib.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "central_access.hpp"
#include "commands.hpp"

namespace kioskctl {
namespace {

using Json = nlohmann::json;

constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;

struct AddUserOptions {
    CentralAccess access;
    std::string username;
    std::string role = "owner";
    std::string displayName;
    std::vector<std::string> stores;
    std::string passwordFile;  ///< empty = the first line of standard input
};

std::expected<std::string, std::string> readPassword(const std::string& file) {
    std::string line;
    if (file.empty()) {
        std::getline(std::cin, line);
    } else {
        std::ifstream in(file);
        if (!in) return std::unexpected("cannot read " + file);
        std::getline(in, line);
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty())
        return std::unexpected(std::string("no password given (first line of the file or of stdin)"));
    return line;
}

int runAddUser(const AddUserOptions& o) {
    auto url = checkedCentralUrl(o.access.url);
    auto token = readAdminToken(o.access);
    auto password = readPassword(o.passwordFile);
    for (const auto* problem : {url ? nullptr : &url.error(), token ? nullptr : &token.error(),
                                password ? nullptr : &password.error()})
        if (problem != nullptr) {
            fmt::print(stderr, "kioskctl: {}\n", *problem);
            return kExitBadInput;
        }
    httplib::Client client(*url);
    client.set_connection_timeout(5);
    client.set_read_timeout(30);
    Json body{{"username", o.username}, {"password", *password}, {"role", o.role}};
    if (!o.displayName.empty()) body["display_name"] = o.displayName;
    if (!o.stores.empty()) body["stores"] = o.stores;
    auto r = client.Post("/v1/admin/console/users", {{"Authorization", "Bearer " + *token}}, body.dump(),
                         "application/json");
    if (!r) {
        fmt::print(stderr, "kioskctl: central unreachable: {}\n", httplib::to_string(r.error()));
        return kExitFailed;
    }
    const auto answer = Json::parse(r->body, nullptr, false);
    if (r->status != 201 || !answer.is_object()) {
        const std::string message =
            answer.is_object() && answer.contains("error")
                ? answer["error"].value("code", "") + ": " + answer["error"].value("message_en", "")
                : "HTTP " + std::to_string(r->status);
        fmt::print(stderr, "kioskctl: central refused: {}\n", message);
        return kExitFailed;
    }
    fmt::print("console user {} added ({})\n", o.username, o.role);
    return 0;
}

}  // namespace

void addConsoleCommands(CLI::App& app, int& exitCode) {
    auto* console = app.add_subcommand("console", "Head-office console accounts (docs/console.md)");
    console->require_subcommand(1);
    auto options = std::make_shared<AddUserOptions>();
    auto* add = console->add_subcommand(
        "add-user", "Add a console account with the admin token (the password: --password-file or stdin)");
    addCentralAccessOptions(*add, options->access);
    add->add_option("--username", options->username, "3-32 of a-z 0-9 . _ -")->required();
    add->add_option("--role", options->role, "owner, marketing, store_manager, support or technician")
        ->capture_default_str();
    add->add_option("--display-name", options->displayName, "the name the console shows");
    add->add_option("--store", options->stores, "a store manager's store (repeat for several)");
    add->add_option("--password-file", options->passwordFile, "first line = the password (default: stdin)");
    add->callback([options, &exitCode] { exitCode = runAddUser(*options); });
}

}  // namespace kioskctl
