#include "loyalty/localized_text.hpp"

namespace loyalty {

std::string_view languageCode(Language language) {
    return language == Language::Vietnamese ? "vi" : "en";
}

}  // namespace loyalty
