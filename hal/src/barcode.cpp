#include "barcode.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>

namespace hal::barcode {

namespace {

// CODE39: nine elements per character (bar, space, … bar), 1 = wide; characters in kCode39Chars order.
constexpr std::string_view kCode39Chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. *$/+%";
constexpr std::array<std::string_view, 44> kCode39{
    "000110100", "100100001", "001100001", "101100000", "000110001", "100110000", "001110000", "000100101",
    "100100100", "001100100", "100001001", "001001001", "101001000", "000011001", "100011000", "001011000",
    "000001101", "100001100", "001001100", "000011100", "100000011", "001000011", "101000010", "000010011",
    "100010010", "001010010", "000000111", "100000110", "001000110", "000010110", "110000001", "011000001",
    "111000000", "010010001", "110010000", "011010000", "010000101", "110000100", "011000100", "010010100",
    "010101000", "010100010", "010001010", "000101010"};
constexpr int kCode39Wide = 3;  // wide:narrow 3:1, inside the 2:1..3:1 the standard allows

// CODE128 symbol values 0..105 as bar/space widths; 106 is the stop pattern (with its final bar).
constexpr std::array<std::string_view, 107> kCode128{
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
    "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
    "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
    "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
    "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
    "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
    "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
    "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
    "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
    "114131", "311141", "411131", "211412", "211214", "211232", "2331112"};
constexpr int kStartA = 103, kStartB = 104, kStartC = 105, kStop = 106;
constexpr int kCodeA = 101, kCodeB = 100, kCodeC = 99, kShift = 98;

// EAN-13 digit patterns (L set; R is its complement, G is R reversed) and first-digit parity.
constexpr std::array<std::string_view, 10> kEanL{"0001101", "0011001", "0010011", "0111101", "0100011",
                                                 "0110001", "0101111", "0111011", "0110111", "0001011"};
constexpr std::array<std::string_view, 10> kEanParity{"LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
                                                      "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"};

void appendDigits(std::vector<int>& widths, std::string_view pattern) {
    for (char c : pattern) widths.push_back(c - '0');
}

/// Turns a string of modules ('1' bar, '0' space, starting with '1') into run widths.
void appendModules(std::vector<int>& widths, std::string_view modules) {
    char last = widths.size() % 2 == 0 ? '0' : '1';  // the colour of the run currently open
    for (char m : modules) {
        if (!widths.empty() && m == last) {
            ++widths.back();
        } else {
            widths.push_back(1);
            last = m;
        }
    }
}

}  // namespace

std::expected<Symbol, std::string> code39(std::string_view data) {
    if (data.empty()) return std::unexpected(std::string("CODE39: no data"));
    Symbol s;
    std::string framed = "*" + std::string(data) + "*";
    for (std::size_t i = 0; i < framed.size(); ++i) {
        const auto pos = kCode39Chars.find(framed[i]);
        if (pos == std::string_view::npos || (framed[i] == '*' && i != 0 && i + 1 != framed.size()))
            return std::unexpected(fmt::format("CODE39: character 0x{:02X} not encodable", framed[i] & 0xFF));
        for (char e : kCode39[pos]) s.widths.push_back(e == '1' ? kCode39Wide : 1);
        if (i + 1 != framed.size()) s.widths.push_back(1);  // inter-character gap
    }
    s.text = std::string(data);
    return s;
}

std::expected<Symbol, std::string> code128(std::string_view data) {
    if (data.size() < 2 || data[0] != '{' || (data[1] != 'A' && data[1] != 'B' && data[1] != 'C'))
        return std::unexpected(std::string("CODE128: data must start with {A, {B or {C"));
    std::vector<int> values;
    char set = data[1];
    values.push_back(set == 'A' ? kStartA : set == 'B' ? kStartB : kStartC);
    Symbol s;
    for (std::size_t i = 2; i < data.size(); ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (c == '{' && i + 1 < data.size()) {
            const char next = data[++i];
            switch (next) {
                case 'A':
                    values.push_back(kCodeA), set = 'A';
                    continue;
                case 'B':
                    values.push_back(kCodeB), set = 'B';
                    continue;
                case 'C':
                    values.push_back(kCodeC), set = 'C';
                    continue;
                case 'S':
                    values.push_back(kShift);
                    continue;
                case '1':
                    values.push_back(102);
                    continue;  // FNC1
                case '2':
                    values.push_back(set == 'C' ? -1 : 97);
                    break;
                case '3':
                    values.push_back(set == 'C' ? -1 : 96);
                    break;
                case '4':
                    values.push_back(set == 'A' ? 101 : set == 'B' ? 100 : -1);
                    break;
                case '{':
                    if (set == 'C') return std::unexpected(std::string("CODE128: '{' not in code set C"));
                    values.push_back('{' - 32);
                    s.text.push_back('{');
                    continue;
                default:
                    return std::unexpected(fmt::format("CODE128: unknown escape {{{}", next));
            }
            if (values.back() < 0)
                return std::unexpected(std::string("CODE128: function code not in code set C"));
            continue;
        }
        if (set == 'C') {
            if (i + 1 >= data.size() || c < '0' || c > '9' || data[i + 1] < '0' || data[i + 1] > '9')
                return std::unexpected(std::string("CODE128: code set C takes pairs of digits"));
            values.push_back((c - '0') * 10 + (data[i + 1] - '0'));
            s.text.append(data.substr(i, 2));
            ++i;
        } else if (set == 'A') {
            if (c > 95) return std::unexpected(fmt::format("CODE128: 0x{:02X} not in code set A", c));
            values.push_back(c >= 32 ? c - 32 : c + 64);
            if (c >= 32) s.text.push_back(static_cast<char>(c));
        } else {
            if (c < 32 || c > 127)
                return std::unexpected(fmt::format("CODE128: 0x{:02X} not in code set B", c));
            values.push_back(c - 32);
            s.text.push_back(static_cast<char>(c));
        }
    }
    if (values.size() < 2) return std::unexpected(std::string("CODE128: no data"));
    int check = values[0];
    for (std::size_t i = 1; i < values.size(); ++i) check += values[i] * static_cast<int>(i);
    values.push_back(check % 103);
    values.push_back(kStop);
    for (int v : values) appendDigits(s.widths, kCode128[static_cast<std::size_t>(v)]);
    return s;
}

std::expected<Symbol, std::string> ean13(std::string_view digits) {
    if ((digits.size() != 12 && digits.size() != 13) ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::unexpected(std::string("EAN13: takes 12 or 13 digits"));
    int sum = 0;
    for (std::size_t i = 0; i < 12; ++i) sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
    const char checkDigit = static_cast<char>('0' + (10 - sum % 10) % 10);
    if (digits.size() == 13 && digits[12] != checkDigit)
        return std::unexpected(fmt::format("EAN13: check digit is {}, not {}", checkDigit, digits[12]));
    const std::string all = std::string(digits.substr(0, 12)) + checkDigit;
    std::string modules = "101";
    const std::string_view parity = kEanParity[static_cast<std::size_t>(all[0] - '0')];
    for (std::size_t i = 1; i <= 6; ++i) {
        std::string code(kEanL[static_cast<std::size_t>(all[i] - '0')]);
        if (parity[i - 1] == 'G') {
            for (char& m : code) m = m == '1' ? '0' : '1';
            std::reverse(code.begin(), code.end());
        }
        modules += code;
    }
    modules += "01010";
    for (std::size_t i = 7; i <= 12; ++i) {
        std::string code(kEanL[static_cast<std::size_t>(all[i] - '0')]);
        for (char& m : code) m = m == '1' ? '0' : '1';
        modules += code;
    }
    modules += "101";
    Symbol s;
    appendModules(s.widths, modules);
    s.text = all;
    return s;
}

}  // namespace hal::barcode
