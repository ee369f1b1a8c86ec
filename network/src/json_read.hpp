#pragma once
// Private to the network library: the error values and the typed reads from untrusted JSON that the
// calls of central_client.cpp and games_calls.cpp share. A wrong type is an error value, never an
// exception.

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "network/central_client.hpp"

namespace net {

using Json = nlohmann::json;

inline Error makeError(ErrorKind kind, std::string message, int status = 0) {
    Error error;
    error.kind = kind;
    error.httpStatus = status;
    error.message = std::move(message);
    return error;
}

/// Characters that may go into a URL path segment unescaped: ids and phone numbers only.
inline bool isSafePathSegment(std::string_view text, std::size_t maxLength) {
    return !text.empty() && text.size() <= maxLength && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
               c == '_' || c == '+';
    });
}

// ---- typed reads from untrusted JSON: a wrong type is an error value, never an exception ----------

inline std::optional<std::int64_t> readInt(const Json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer()) return std::nullopt;
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        return std::nullopt;
    return it->get<std::int64_t>();
}

inline std::optional<std::string> readString(const Json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

inline std::string readStringOr(const Json& object, const char* key, std::string fallback = {}) {
    return readString(object, key).value_or(std::move(fallback));
}

inline std::optional<bool> readBool(const Json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_boolean()) return std::nullopt;
    return it->get<bool>();
}

inline Error badResponse(std::string what) {
    return makeError(ErrorKind::BadResponse, "central answered " + what);
}

}  // namespace net
