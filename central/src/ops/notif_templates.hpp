#pragma once
// What a notification says (docs/notifications.md, "Templates"): each event maps to one template per
// language, named as a Zalo ZNS template is (template id + named parameters). Pure; any thread.

#include <string>
#include <string_view>

namespace central {

/// The template id of `event` in `language` ("vi" | "en"); "" for an event without template.
[[nodiscard]] std::string templateId(std::string_view event, std::string_view language);

}  // namespace central
