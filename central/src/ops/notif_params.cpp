#include "ops/notif_params.hpp"

#include <cctype>

namespace central {
namespace {

constexpr const char* kHex = "0123456789ABCDEF";

void escapeInto(std::string& out, const std::string& text) {
    for (const char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        if (std::isalnum(byte) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
            out += ch;
        } else {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        }
    }
}

int hexValue(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

std::optional<std::string> unescape(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size()) return std::nullopt;
        const int high = hexValue(text[i + 1]);
        const int low = hexValue(text[i + 2]);
        if (high < 0 || low < 0) return std::nullopt;
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

}  // namespace

std::string encodeParams(const NotifParams& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty()) out += '&';
        escapeInto(out, name);
        out += '=';
        escapeInto(out, value);
    }
    return out;
}

std::optional<NotifParams> decodeParams(const std::string& text) {
    NotifParams out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('&', start);
        if (end == std::string::npos) end = text.size();
        const auto pair = text.substr(start, end - start);
        const auto equals = pair.find('=');
        if (equals == std::string::npos) return std::nullopt;
        auto name = unescape(pair.substr(0, equals));
        auto value = unescape(pair.substr(equals + 1));
        if (!name || !value) return std::nullopt;
        out.emplace_back(std::move(*name), std::move(*value));
        start = end + 1;
    }
    return out;
}

}  // namespace central
