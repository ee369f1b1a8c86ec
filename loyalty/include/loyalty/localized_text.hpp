#pragma once
// Text that a shopper reads, in the two languages the kiosk speaks. Vietnamese first: it is the
// default, English is one tap away.

#include <string>
#include <string_view>

namespace loyalty {

enum class Language { Vietnamese, English };

/// "vi" / "en" (the codes of assets/i18n).
[[nodiscard]] std::string_view languageCode(Language language);

struct LocalizedText {
    std::string vi;
    std::string en;
    [[nodiscard]] const std::string& in(Language language) const {
        return language == Language::Vietnamese ? vi : en;
    }
    bool operator==(const LocalizedText&) const = default;
};

}  // namespace loyalty
