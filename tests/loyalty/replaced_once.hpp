#pragma once
// Test helper: a config text with one part changed, for tests that refuse one bad value at a time.

#include <string>
#include <string_view>

namespace loyalty::test {

/// `text` with the first `from` replaced by `to`; throws std::out_of_range if `from` is not in it (a
/// test whose base text drifted must not silently test the unchanged text).
inline std::string replacedOnce(std::string_view text, std::string_view from, std::string_view to) {
    std::string result(text);
    result.replace(result.find(from), from.size(), to);
    return result;
}

}  // namespace loyalty::test
