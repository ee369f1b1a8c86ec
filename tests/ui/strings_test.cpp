// The strings loader and the shipped translations.
#include "ui/strings.hpp"

#include <gtest/gtest.h>

#include "loyalty/phone.hpp"
#include "loyalty/receipt_token.hpp"

namespace ui {
namespace {

const std::string kDir = std::string(KIOSK_SOURCE_DIR) + "/assets/i18n/";

TEST(Strings, ReplacesPlaceholders) {
    auto s = Strings::fromToml("[a]\nb = \"{n} điểm, {n} lần\"\n");
    ASSERT_TRUE(s.has_value()) << s.error();
    EXPECT_EQ(s->text("a.b", {{"n", "12"}}), "12 điểm, 12 lần");
    EXPECT_EQ(s->text("missing.key"), "[missing.key]");
}

TEST(Strings, RefusesBrokenFiles) {
    EXPECT_FALSE(Strings::fromToml("a = ").has_value());
    EXPECT_FALSE(Strings::fromToml("a = 3").has_value());
    EXPECT_FALSE(Strings::load("/nonexistent/vi.toml").has_value());
}

TEST(Strings, VietnameseAndEnglishHaveTheSameKeys) {
    auto vi = Strings::load(kDir + "vi.toml");
    auto en = Strings::load(kDir + "en.toml");
    ASSERT_TRUE(vi.has_value()) << vi.error();
    ASSERT_TRUE(en.has_value()) << en.error();
    EXPECT_EQ(vi->keys(), en->keys());
    EXPECT_GT(vi->keys().size(), 100U);
}

TEST(Strings, EveryLoyaltyErrorCodeHasAShopperText) {
    auto vi = Strings::load(kDir + "vi.toml");
    ASSERT_TRUE(vi.has_value());
    // Walks the enums through loyalty's own code functions, so a new error code fails here.
    for (int e = 0; e <= static_cast<int>(loyalty::PhoneError::UnknownPrefix); ++e) {
        const auto code = loyalty::phoneErrorCode(static_cast<loyalty::PhoneError>(e));
        EXPECT_TRUE(vi->has("phone.error." + std::string(code))) << code;
    }
    for (int e = 0; e <= static_cast<int>(loyalty::TokenError::Expired); ++e) {
        const auto code = loyalty::tokenErrorCode(static_cast<loyalty::TokenError>(e));
        EXPECT_TRUE(vi->has("scan.error." + std::string(code))) << code;
    }
}

}  // namespace
}  // namespace ui
