#pragma once
// Test helper: the QR version (1-40) of a text encoded as ONE alphanumeric segment at error
// correction level M — what the simplest POS or kiosk encoder does — measured with libqrencode.
// -1 if the text cannot be encoded that way.

#include <qrencode.h>

#include <memory>
#include <string>

namespace loyalty::test {

inline int qrVersionAlphanumericM(const std::string& text) {
    std::unique_ptr<QRinput, decltype(&QRinput_free)> input(QRinput_new2(0, QR_ECLEVEL_M), &QRinput_free);
    if (!input) return -1;
    if (QRinput_append(input.get(), QR_MODE_AN, static_cast<int>(text.size()),
                       reinterpret_cast<const unsigned char*>(text.data())) != 0) {
        return -1;
    }
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeInput(input.get()), &QRcode_free);
    return code ? code->version : -1;
}

}  // namespace loyalty::test
