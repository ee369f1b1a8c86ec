#include "loyalty/phone.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "read_file.hpp"

using loyalty::PhoneError;
using loyalty::PhonePolicy;

namespace {

std::string e164Of(std::string_view typed) {
    const auto phone = loyalty::parsePhone(typed);
    return phone ? phone->e164() : std::string(loyalty::phoneErrorCode(phone.error()));
}

PhonePolicy policyOf(std::string_view toml) {
    auto policy = PhonePolicy::fromToml(toml);
    EXPECT_TRUE(policy.has_value()) << (policy ? "" : policy.error().message);
    return policy.value_or(PhonePolicy::builtIn());
}

std::string policyErrorOf(std::string_view toml) {
    const auto policy = PhonePolicy::fromToml(toml);
    return policy ? std::string("accepted") : policy.error().message;
}

}  // namespace

TEST(Phone, NormalisesEveryWayOfTypingIt) {
    for (const std::string_view typed :
         {"0901234567", "090 123 4567", "090.123.4567", "090-123-4567", "+84901234567", "+84 90 123 4567",
          "(+84) 90-123-4567", "84901234567", "84 901 234 567", "+84 0901234567", "840901234567",
          "0084901234567", "  0901234567  "}) {
        EXPECT_EQ(e164Of(typed), "+84901234567") << typed;
    }
}

TEST(Phone, GivesNationalAndMaskedForms) {
    const auto phone = loyalty::parsePhone("+84 90 123 4567");
    ASSERT_TRUE(phone.has_value());
    EXPECT_EQ(phone->e164(), "+84901234567");
    EXPECT_EQ(phone->national(), "0901234567");
    EXPECT_EQ(phone->masked(), "090****567");
    EXPECT_EQ(loyalty::parsePhone("0321234999")->masked(), "032****999");
}

TEST(Phone, AcceptsEveryOperatorOfTheBuiltInPolicy) {
    for (const std::string_view prefix :
         {"032", "033", "034", "035", "036", "037", "038", "039", "052", "055", "056", "058",
          "059", "070", "076", "077", "078", "079", "081", "082", "083", "084", "085", "086",
          "087", "088", "089", "090", "091", "092", "093", "094", "096", "097", "098", "099"}) {
        EXPECT_EQ(e164Of(std::string(prefix) + "1234567"), "+84" + std::string(prefix.substr(1)) + "1234567");
    }
    EXPECT_EQ(PhonePolicy::builtIn().prefixCount(), 36U);
    EXPECT_EQ(PhonePolicy::builtIn().operatorOf("0961234567"), "Viettel");
    EXPECT_EQ(PhonePolicy::builtIn().operatorOf("0911234567"), "Vinaphone");
    EXPECT_EQ(PhonePolicy::builtIn().operatorOf("0901234567"), "MobiFone");
    EXPECT_EQ(PhonePolicy::builtIn().operatorOf("0921234567"), "Vietnamobile");
    EXPECT_EQ(PhonePolicy::builtIn().operatorOf("0991234567"), "Gmobile");
    EXPECT_EQ(PhonePolicy::builtIn().operatorOf("0871234567"), "Itel");
    EXPECT_EQ(PhonePolicy::builtIn().operatorOf("0551234567"), "Reddi");
}

TEST(Phone, RefusesEmptyInput) {
    for (const std::string_view typed : {"", "   ", "+", "( ) - ."}) {
        EXPECT_EQ(loyalty::parsePhone(typed), std::unexpected(PhoneError::Empty)) << typed;
    }
}

TEST(Phone, RefusesBadCharacters) {
    for (const std::string_view typed : {"09O1234567", "0901234567a", "090/123/4567", "090_1234567",
                                         "++84901234567", "09+01234567", "0901234567\n",
                                         "090\xC2\xA0"
                                         "1234567",
                                         "'; DROP TABLE"}) {
        EXPECT_EQ(loyalty::parsePhone(typed), std::unexpected(PhoneError::BadCharacters)) << typed;
    }
}

TEST(Phone, RefusesForeignNumbers) {
    for (const std::string_view typed :
         {"+1 650 253 0000", "+855 12 345 678", "0065 6123 4567", "+8", "0001234567"}) {
        EXPECT_EQ(loyalty::parsePhone(typed), std::unexpected(PhoneError::NotVietnamese)) << typed;
    }
}

TEST(Phone, RefusesWrongLengths) {
    for (const std::string_view typed : {"090123456", "09012345678", "0", "09", "+8490123456", "849012345678",
                                         "0901234567890123456789", "+84"}) {
        EXPECT_EQ(loyalty::parsePhone(typed), std::unexpected(PhoneError::WrongLength)) << typed;
    }
}

TEST(Phone, RefusesLandlinesWhateverTheirLength) {
    for (const std::string_view typed :
         {"02438251234", "028 3823 4567", "+84 28 3823 4567", "84 243 825 1234", "0283823456", "02"}) {
        EXPECT_EQ(loyalty::parsePhone(typed), std::unexpected(PhoneError::Landline)) << typed;
    }
}

TEST(Phone, RefusesUnknownPrefixes) {
    for (const std::string_view typed : {"0951234567", "0801234567", "0111234567", "0501234567", "9012345678",
                                         "+84 95 123 4567", "0601234567"}) {
        EXPECT_EQ(loyalty::parsePhone(typed), std::unexpected(PhoneError::UnknownPrefix)) << typed;
    }
}

TEST(Phone, EveryErrorHasItsOwnCodeAndDescription) {
    std::set<std::string_view> codes;
    for (const auto e : {PhoneError::Empty, PhoneError::BadCharacters, PhoneError::NotVietnamese,
                         PhoneError::WrongLength, PhoneError::Landline, PhoneError::UnknownPrefix}) {
        EXPECT_TRUE(loyalty::phoneErrorCode(e).starts_with("phone_"));
        EXPECT_FALSE(loyalty::describe(e).empty());
        codes.insert(loyalty::phoneErrorCode(e));
    }
    EXPECT_EQ(codes.size(), 6U);
    EXPECT_EQ(loyalty::phoneErrorCode(PhoneError::WrongLength), "phone_wrong_length");
}

TEST(Phone, ComparesByE164) {
    EXPECT_EQ(loyalty::parsePhone("0901234567"), loyalty::parsePhone("+84 90 123 4567"));
    EXPECT_LT(*loyalty::parsePhone("0901234567"), *loyalty::parsePhone("0901234568"));
}

TEST(PhonePolicy, BuiltInEqualsTheConfigFile) {
    const std::string text = test_support::readSourceFile("assets/config/phone_prefixes.toml");
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(policyOf(text), PhonePolicy::builtIn());
}

TEST(PhonePolicy, ANewPrefixNeedsOnlyConfiguration) {
    const PhonePolicy policy = policyOf(R"([[operators]]
name = "NewCo"
prefixes = ["050", "0951"]
)");
    EXPECT_EQ(loyalty::parsePhone("0501234567", policy)->e164(), "+84501234567");
    EXPECT_EQ(loyalty::parsePhone("0951234567", policy)->e164(), "+84951234567");
    EXPECT_EQ(loyalty::parsePhone("0952234567", policy), std::unexpected(PhoneError::UnknownPrefix));
    EXPECT_EQ(loyalty::parsePhone("0901234567", policy), std::unexpected(PhoneError::UnknownPrefix));
    EXPECT_EQ(policy.operatorOf("0951234567"), "NewCo");
}

TEST(PhonePolicy, LongestPrefixWins) {
    const PhonePolicy policy = policyOf(R"([[operators]]
name = "Big"
prefixes = ["099"]
[[operators]]
name = "Small"
prefixes = ["09951"]
)");
    EXPECT_EQ(policy.operatorOf("0995123456"), "Small");
    EXPECT_EQ(policy.operatorOf("0995023456"), "Big");
}

TEST(PhonePolicy, RefusesBadConfigurationNamingTheKey) {
    EXPECT_NE(policyErrorOf("operators = [").find("line 1"), std::string::npos);
    EXPECT_NE(policyErrorOf("").find("operators"), std::string::npos);
    EXPECT_NE(policyErrorOf("operators = []").find("operators"), std::string::npos);
    EXPECT_NE(policyErrorOf("operators = 5").find("operators"), std::string::npos);
    EXPECT_NE(policyErrorOf("operators = [1]").find("operators must be an array of tables"),
              std::string::npos);
    EXPECT_NE(policyErrorOf("operatorz = 1\n[[operators]]\nname=\"A\"\nprefixes=[\"090\"]").find("operatorz"),
              std::string::npos);
    EXPECT_NE(policyErrorOf("[[operators]]\nprefixes=[\"090\"]").find("operators[0].name"),
              std::string::npos);
    EXPECT_NE(policyErrorOf("[[operators]]\nname=\"\"\nprefixes=[\"090\"]").find("operators[0].name"),
              std::string::npos);
    EXPECT_NE(policyErrorOf("[[operators]]\nname=7\nprefixes=[\"090\"]").find("operators[0].name"),
              std::string::npos);
    EXPECT_NE(policyErrorOf("[[operators]]\nname=\"A\"").find("operators[0].prefixes"), std::string::npos);
    EXPECT_NE(policyErrorOf("[[operators]]\nname=\"A\"\nprefixes=[]").find("operators[0].prefixes"),
              std::string::npos);
    EXPECT_NE(policyErrorOf("[[operators]]\nname=\"A\"\nprefix=[\"090\"]\nprefixes=[\"090\"]")
                  .find("operators[0].prefix"),
              std::string::npos);
    const std::string head = "[[operators]]\nname=\"A\"\nprefixes=[\"090\", ";
    EXPECT_NE(policyErrorOf(head + "91]").find("operators[0].prefixes[1] must be a string"),
              std::string::npos);
    for (const std::string_view bad : {"\"91\"", "\"09\"", "\"090123\"", "\"09a\"", "\"190\"", "\" 090\""}) {
        EXPECT_NE(policyErrorOf(head + std::string(bad) + "]").find("operators[0].prefixes[1]"),
                  std::string::npos)
            << bad;
    }
    EXPECT_NE(policyErrorOf(head + "\"024\"]").find("landline"), std::string::npos);
    EXPECT_NE(policyErrorOf(head + "\"001\"]").find("international"), std::string::npos);
    EXPECT_NE(policyErrorOf(head + "\"090\"]").find("listed twice"), std::string::npos);
    EXPECT_NE(policyErrorOf(head + "\"091\"]\n[[operators]]\nname=\"B\"\nprefixes=[\"091\"]")
                  .find("operators[1].prefixes[0]"),
              std::string::npos);
}
