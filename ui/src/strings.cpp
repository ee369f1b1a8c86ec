#include "ui/strings.hpp"

#include <toml++/toml.h>
#include <fstream>
#include <sstream>

namespace ui {
namespace {

void flatten(const toml::table& table, const std::string& prefix,
             std::map<std::string, std::string, std::less<>>& out, std::string& error) {
    for (const auto& [key, node] : table) {
        std::string name = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        if (const auto* sub = node.as_table()) {
            flatten(*sub, name, out, error);
        } else if (const auto* text = node.as_string()) {
            out.emplace(std::move(name), text->get());
        } else if (error.empty()) {
            error = "the value of '" + name + "' is not text";
        }
    }
}

}  // namespace

std::expected<Strings, std::string> Strings::fromToml(std::string_view tomlText) {
    toml::table parsed;
    try {
        parsed = toml::parse(tomlText);
    } catch (const toml::parse_error& e) {
        std::ostringstream message;
        message << e.description() << " at line " << e.source().begin.line;
        return std::unexpected(message.str());
    }
    Strings strings;
    std::string error;
    flatten(parsed, "", strings.m_texts, error);
    if (!error.empty()) {
        return std::unexpected(error);
    }
    return strings;
}

std::expected<Strings, std::string> Strings::load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return std::unexpected("cannot read " + file.string());
    }
    std::ostringstream content;
    content << in.rdbuf();
    auto strings = fromToml(content.str());
    if (!strings) {
        return std::unexpected(file.string() + ": " + strings.error());
    }
    return strings;
}

std::string Strings::text(std::string_view key,
                          const std::vector<std::pair<std::string_view, std::string>>& args) const {
    auto found = m_texts.find(key);
    if (found == m_texts.end()) {
        return "[" + std::string(key) + "]";
    }
    std::string out = found->second;
    for (const auto& [name, value] : args) {
        const std::string placeholder = "{" + std::string(name) + "}";
        for (auto pos = out.find(placeholder); pos != std::string::npos;
             pos = out.find(placeholder, pos + value.size())) {
            out.replace(pos, placeholder.size(), value);
        }
    }
    return out;
}

bool Strings::has(std::string_view key) const {
    return m_texts.contains(key);
}

std::vector<std::string> Strings::keys() const {
    std::vector<std::string> out;
    out.reserve(m_texts.size());
    for (const auto& [key, text] : m_texts) {
        out.push_back(key);
    }
    return out;
}

std::vector<std::string> Strings::texts() const {
    std::vector<std::string> out;
    out.reserve(m_texts.size());
    for (const auto& [key, text] : m_texts) {
        out.push_back(text);
    }
    return out;
}

}  // namespace ui
