#include <zbar.h>

#include <algorithm>
#include <array>

#include "qr_readers.hpp"

namespace hal::detail {

void addUnique(std::vector<QrCode>& into, QrCode code) {
    const bool known =
        std::any_of(into.begin(), into.end(), [&](const QrCode& c) { return c.text == code.text; });
    if (!known && !code.text.empty()) into.push_back(std::move(code));
}

struct ZbarReader::Scanner {
    zbar::ImageScanner scanner;
};

ZbarReader::ZbarReader() : m_scanner(std::make_unique<Scanner>()) {
    m_scanner->scanner.set_config(zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
    m_scanner->scanner.set_config(zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_ENABLE, 1);
}

ZbarReader::~ZbarReader() = default;

std::vector<QrCode> ZbarReader::decode(const cv::Mat& gray, const Placement& placement) {
    std::vector<QrCode> codes;
    const cv::Mat packed = gray.isContinuous() ? gray : gray.clone();
    // ZBar only reads the buffer; its API wants a non-owning pointer and a length.
    zbar::Image image(static_cast<unsigned>(packed.cols), static_cast<unsigned>(packed.rows), "Y800",
                      packed.data, packed.total());
    if (m_scanner->scanner.scan(image) > 0) {
        for (auto symbol = image.symbol_begin(); symbol != image.symbol_end(); ++symbol) {
            if (symbol->get_type() != zbar::ZBAR_QRCODE) continue;
            QrCode code;
            code.text = symbol->get_data();
            // ZBar lists the corners top-left, bottom-left, bottom-right, top-right; ours go clockwise.
            static constexpr std::array<unsigned, 4> kClockwise = {0, 3, 2, 1};
            if (symbol->get_location_size() == 4)
                for (std::size_t i = 0; i < 4; ++i)
                    code.corners[i] =
                        placement.toFrame(static_cast<float>(symbol->get_location_x(kClockwise[i])),
                                          static_cast<float>(symbol->get_location_y(kClockwise[i])));
            addUnique(codes, std::move(code));
        }
    }
    image.set_data(nullptr, 0);
    return codes;
}

}  // namespace hal::detail
