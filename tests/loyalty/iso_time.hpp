#pragma once
// Test helper: the instant an ISO 8601 literal names, so tests state times as people read them. A
// literal the parser refuses fails the calling test (and gives 0) rather than throwing.

#include <gtest/gtest.h>

#include <string_view>

#include "loyalty/time.hpp"

namespace loyalty::test {

inline UnixSeconds at(std::string_view iso) {
    const auto t = parseIso8601(iso);
    EXPECT_TRUE(t.has_value()) << iso;
    return t.value_or(0);
}

}  // namespace loyalty::test
