#pragma once
// Vietnamese mobile phone numbers: what a shopper types on the kiosk keypad (or a POS sends) turned
// into one stored form, or refused with a reason. Pure functions, no I/O, callable from any thread.
//
// Accepted input: "0901234567", "+84901234567", "84901234567", with spaces, dots, dashes and
// parentheses anywhere while typing ("090 123 4567", "(+84) 90-123-4567", "090.123.4567").
// Forms:  E.164 "+84901234567" (what is stored and sent to central), national "0901234567",
//         masked "090****567" (what a screen or a printed voucher shows).
//
// Which mobile prefixes exist comes from configuration (PhonePolicy, assets/config/phone_prefixes.toml),
// so a new operator prefix needs no release.

#include <compare>
#include <cstddef>
#include <expected>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace loyalty {

/// Why a typed number was refused. Each has a stable machine code (phoneErrorCode) that the kiosk
/// maps to shopper-facing Vietnamese/English texts in assets/i18n and the central API returns:
///   Empty          "phone_empty"           nothing typed
///   BadCharacters  "phone_bad_characters"  letters or symbols other than + space . - ( )
///   NotVietnamese  "phone_not_vietnamese"  an international number with another country code
///   WrongLength    "phone_wrong_length"    not 10 digits in national form (0 + 9 digits)
///   Landline       "phone_landline"        a fixed-line number (02x area code), cannot receive codes
///   UnknownPrefix  "phone_unknown_prefix"  not the prefix of any Vietnamese mobile operator
enum class PhoneError { Empty, BadCharacters, NotVietnamese, WrongLength, Landline, UnknownPrefix };

[[nodiscard]] std::string_view phoneErrorCode(PhoneError error);
/// English description for logs and the CLI (shoppers see the i18n text of the code).
[[nodiscard]] std::string_view describe(PhoneError error);

/// A configuration error in a phone prefix policy; `message` names the offending key.
struct PhonePolicyError {
    std::string message;
};

/// The valid mobile prefixes (national form, "0" + 2-4 digits) and the operator of each.
/// Immutable after construction; share it freely between threads.
class PhonePolicy {
  public:
    /// Parses the TOML format of assets/config/phone_prefixes.toml:
    ///     [[operators]]
    ///     name = "Viettel"
    ///     prefixes = ["032", "033", ...]
    /// Refuses a missing or mistyped key, an empty operator list or name, a prefix that is not "0" + 2-4
    /// digits, a landline (02x) or international (00) prefix, and a prefix listed twice.
    [[nodiscard]] static std::expected<PhonePolicy, PhonePolicyError> fromToml(std::string_view tomlText);

    /// The policy of assets/config/phone_prefixes.toml as it was at build time (the file is compiled
    /// in), for tests and as the fallback when a kiosk has no configuration of its own.
    [[nodiscard]] static const PhonePolicy& builtIn();

    /// The operator whose prefix starts `national` (a national-form number), longest prefix first.
    [[nodiscard]] std::optional<std::string_view> operatorOf(std::string_view national) const;
    [[nodiscard]] std::size_t prefixCount() const { return m_operatorByPrefix.size(); }

    bool operator==(const PhonePolicy&) const = default;

  private:
    PhonePolicy() = default;
    std::map<std::string, std::string, std::less<>> m_operatorByPrefix;
};

/// A valid Vietnamese mobile number. Only parsePhone makes one; ordered and comparable by E.164 form.
class PhoneNumber {
  public:
    /// "+84901234567" — the one form to store, send and compare.
    [[nodiscard]] const std::string& e164() const { return m_e164; }
    /// "0901234567"
    [[nodiscard]] std::string national() const;
    /// "090****567": first three and last three digits of the national form.
    [[nodiscard]] std::string masked() const;

    auto operator<=>(const PhoneNumber&) const = default;

  private:
    friend std::expected<PhoneNumber, PhoneError> parsePhone(std::string_view, const PhonePolicy&);
    explicit PhoneNumber(std::string e164) : m_e164(std::move(e164)) {}
    std::string m_e164;
};

/// Normalises what was typed (see the top of this file). Checks run in this order, so the first
/// failing one is reported: Empty, BadCharacters, NotVietnamese, Landline, WrongLength, UnknownPrefix
/// (a landline is named as such whatever its length, since "landline" helps the shopper more).
[[nodiscard]] std::expected<PhoneNumber, PhoneError> parsePhone(
    std::string_view typed, const PhonePolicy& policy = PhonePolicy::builtIn());

}  // namespace loyalty
