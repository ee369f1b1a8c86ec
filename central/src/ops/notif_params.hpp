#pragma once
// A template's named parameters (Zalo ZNS takes every one as a string) and their stored form:
// "name=value&…", percent-encoded, so the outbox keeps them as one text without a JSON codec below the
// api layer. Pure; any thread.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace central {

using NotifParams = std::vector<std::pair<std::string, std::string>>;

[[nodiscard]] std::string encodeParams(const NotifParams& params);
/// nullopt for a text encodeParams did not make.
[[nodiscard]] std::optional<NotifParams> decodeParams(const std::string& text);

}  // namespace central
