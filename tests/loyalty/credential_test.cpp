// The one kiosk credential format (loyalty/credential.hpp), made by the kiosk, checked by central.

#include "loyalty/credential.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "loyalty/base32.hpp"

namespace loyalty {
namespace {

TEST(Credential, AMadeCredentialIs32FreshRandomBytesInTheShapeCentralAccepts) {
    std::set<std::string> made;
    for (int i = 0; i < 100; ++i) {
        const auto credential = makeCredential();
        ASSERT_TRUE(credential.starts_with("kc_")) << credential;
        const auto bytes = decodeBase32(std::string_view(credential).substr(3));
        ASSERT_TRUE(bytes.has_value()) << credential;
        EXPECT_EQ(bytes->size(), 32u);
        EXPECT_TRUE(isStrongCredential(credential)) << credential;
        made.insert(credential);
    }
    EXPECT_EQ(made.size(), 100u);
}

TEST(Credential, AnythingElseIsNotStrong) {
    const auto good = makeCredential();
    EXPECT_FALSE(isStrongCredential(""));
    EXPECT_FALSE(isStrongCredential(good.substr(3)));                   // no prefix
    EXPECT_FALSE(isStrongCredential("KC_" + good.substr(3)));           // another prefix
    EXPECT_FALSE(isStrongCredential(good.substr(0, good.size() - 1)));  // 31.x bytes
    EXPECT_FALSE(isStrongCredential(good + "AAAAAAAA"));                // 37 bytes
    std::string lower = good;
    lower.back() = 'a';
    EXPECT_FALSE(isStrongCredential(lower));
    // The right length and alphabet, but a pattern: too few different characters.
    std::array<std::uint8_t, kCredentialBytes> zeros{};
    EXPECT_FALSE(isStrongCredential(std::string(kCredentialPrefix) + encodeBase32(zeros)));
}

}  // namespace
}  // namespace loyalty
