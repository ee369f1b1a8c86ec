#pragma once
// The head-office console's tests (console_test.cpp, console_care_test.cpp): the real central on
// SQLite or PostgreSQL, console accounts made with the admin token, and calls with a session's cookie
// and CSRF token.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "central_harness.hpp"

namespace central_test {

inline constexpr const char* kPassword = "correct horse battery";

/// A logged-in console user: the cookie to send and the session's CSRF token.
struct Session {
    std::string cookie;
    std::string csrf;
};

/// The kc_session value of a Set-Cookie header ("" when absent).
inline std::string sessionToken(const Response& r) {
    const auto header = r.header("Set-Cookie");
    const auto start = header.find("kc_session=");
    if (start == std::string::npos) return "";
    const auto value = start + std::string("kc_session=").size();
    return header.substr(value, header.find(';', value) - value);
}

class ConsoleFixture : public BackendTest {
  protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped()) return;
        m_central = std::make_unique<CentralProcess>(CentralProcess::Options{databaseUrl(), "", ""});
    }
    const CentralProcess& central() const { return *m_central; }

    void addUser(const std::string& name, const std::string& role, const Json& stores = Json::array()) const {
        auto r = central().post(
            "/v1/admin/console/users", kAdmin,
            Json{{"username", name}, {"password", kPassword}, {"role", role}, {"stores", stores}});
        ASSERT_EQ(r.status, 201) << r.body.dump();
    }
    Response login(const std::string& name, const std::string& password,
                   const httplib::Headers& headers = {}) const {
        return central().request("POST", "/v1/console/login", "",
                                 Json{{"username", name}, {"password", password}}.dump(), "application/json",
                                 headers);
    }
    Session session(const std::string& name) const {
        auto r = login(name, kPassword);
        EXPECT_EQ(r.status, 200) << r.body.dump();
        return Session{"kc_session=" + sessionToken(r), r.body.value("csrf_token", "")};
    }
    Response call(const Session& s, const std::string& method, const std::string& path,
                  const Json& body = nullptr, const std::string& csrf = "use-session") const {
        httplib::Headers headers{{"Cookie", s.cookie}};
        const auto token = csrf == "use-session" ? s.csrf : csrf;
        if (!token.empty()) headers.emplace("X-CSRF-Token", token);
        return central().request(method, path, "", body.is_null() ? "" : body.dump(), "application/json",
                                 headers);
    }
    Json audit(const Session& owner) const {
        auto r = call(owner, "GET", "/v1/console/audit");
        EXPECT_EQ(r.status, 200) << r.body.dump();
        return r.body["entries"];
    }

    std::unique_ptr<CentralProcess> m_central;
};

}  // namespace central_test
