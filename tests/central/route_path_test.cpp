// central/src/api/route_installer: a route's path, written once, as the regex the router matches and
// the name metrics and logs use; the methods a path is served under (405 + Allow). No sockets needed.

#include <gtest/gtest.h>

#include <regex>
#include <stdexcept>

#include "api/route_installer.hpp"

namespace central {
namespace {

bool matches(const RoutePath& path, const std::string& target) {
    return std::regex_match(target, std::regex(path.pattern));
}

TEST(RoutePath, APlainPathIsItsOwnNameAndMatchesOnlyItself) {
    const auto path = parseRoutePath("/v1/admin/enrollment-codes");
    EXPECT_EQ(path.name, "/v1/admin/enrollment-codes");
    EXPECT_TRUE(matches(path, "/v1/admin/enrollment-codes"));
    EXPECT_FALSE(matches(path, "/v1/admin/enrollment-codes/"));
}

TEST(RoutePath, ADefaultParameterTakesOneToSixtyFourCharactersOtherThanSlash) {
    const auto path = parseRoutePath("/v1/members/{phone}/games");
    EXPECT_EQ(path.name, "/v1/members/{phone}/games");
    EXPECT_EQ(path.pattern, "/v1/members/([^/]{1,64})/games");
    EXPECT_TRUE(matches(path, "/v1/members/0901234567/games"));
    EXPECT_FALSE(matches(path, "/v1/members//games"));
    EXPECT_FALSE(matches(path, "/v1/members/a/b/games"));
    EXPECT_FALSE(matches(path, "/v1/members/" + std::string(65, '9') + "/games"));
}

TEST(RoutePath, ATypedParameterKeepsItsRegexOutOfTheName) {
    const auto path = parseRoutePath("/v1/admin/rollouts/{id:[0-9]{1,18}}/{action:pause|resume|abort}");
    EXPECT_EQ(path.name, "/v1/admin/rollouts/{id}/{action}");
    EXPECT_TRUE(matches(path, "/v1/admin/rollouts/42/pause"));
    EXPECT_FALSE(matches(path, "/v1/admin/rollouts/x42/pause"));
    EXPECT_FALSE(matches(path, "/v1/admin/rollouts/42/delete"));
    std::smatch groups;
    const std::string target = "/v1/admin/rollouts/7/abort";
    ASSERT_TRUE(std::regex_match(target, groups, std::regex(path.pattern)));
    EXPECT_EQ(groups[1].str(), "7");
    EXPECT_EQ(groups[2].str(), "abort");
}

TEST(RoutePath, ALiteralDotIsNoWildcard) {
    const auto path = parseRoutePath("/v1/files/index.html");
    EXPECT_TRUE(matches(path, "/v1/files/index.html"));
    EXPECT_FALSE(matches(path, "/v1/files/indexxhtml"));
}

TEST(RoutePath, AnUnclosedParameterIsRefusedAtStartUp) {
    EXPECT_THROW((void)parseRoutePath("/v1/members/{phone"), std::logic_error);
    EXPECT_THROW((void)parseRoutePath("/v1/admin/rollouts/{id:[0-9]{1,18}"), std::logic_error);
}

TEST(RouteTable, NamesEveryMethodServingAPathOnce) {
    RouteTable table;
    table.add("GET", parseRoutePath("/v1/admin/campaign").pattern);
    table.add("PUT", parseRoutePath("/v1/admin/campaign").pattern);
    table.add("GET", parseRoutePath("/v1/admin/rewards/{id}").pattern);
    table.add("GET", parseRoutePath("/v1/admin/{what}").pattern);
    EXPECT_EQ(table.allowed("/v1/admin/campaign"), "GET, PUT");
    EXPECT_EQ(table.allowed("/v1/admin/rewards/R1"), "GET");
    EXPECT_EQ(table.allowed("/v1/nothing"), "");
}

}  // namespace
}  // namespace central
