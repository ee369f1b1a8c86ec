// make_qr_testset [--hard] DIR [PER_KIND] [SEED] — writes the synthetic receipt photographs
// (qr_testset.hpp; --hard: the hard set) as PNG files plus truth.tsv, to look at them or to feed
// zbarimg / kioskctl scan.
// make_qr_testset --counter FILE.png [SEED] — writes an empty counter, no receipt (what an idle kiosk's
// camera sees; bench/kiosk_idle_cpu.sh shows it to the kiosk).

#include <charconv>
#include <exception>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <string_view>

#include "qr_testset.hpp"

namespace {

template <typename T>
bool parseNumber(std::string_view text, T& value) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc{} && end == text.data() + text.size();
}

}  // namespace

int main(int argc, char** argv) {
    auto level = bench::TestSetLevel::Classic;
    if (argc > 1 && std::string_view(argv[1]) == "--hard") {
        level = bench::TestSetLevel::Hard;
        --argc;
        ++argv;
    }
    if (argc < 2 || argc > 4) {
        std::cerr << "usage: make_qr_testset [--hard] DIR [PER_KIND=25] [SEED=1]\n"
                     "       make_qr_testset --counter FILE.png [SEED=1]\n";
        return 2;
    }
    if (std::string_view(argv[1]) == "--counter") {
        std::uint64_t seed = 1;
        if (argc < 3 || (argc > 3 && !parseNumber(argv[3], seed))) {
            std::cerr << "make_qr_testset: --counter needs FILE.png and an optional non-negative SEED\n";
            return 2;
        }
        if (!cv::imwrite(argv[2], bench::renderCounterPhoto(seed))) {
            std::cerr << "make_qr_testset: cannot write " << argv[2] << "\n";
            return 1;
        }
        return 0;
    }
    int perKind = 25;
    std::uint64_t seed = 1;
    if ((argc > 2 && (!parseNumber(argv[2], perKind) || perKind < 1 || perKind > 1000)) ||
        (argc > 3 && !parseNumber(argv[3], seed))) {
        std::cerr << "make_qr_testset: PER_KIND must be 1-1000 and SEED a non-negative integer\n";
        return 2;
    }
    try {
        const auto images = bench::generateTestSet(seed, perKind, level);
        bench::writeTestSet(images, argv[1]);
        std::cout << images.size() << " images in " << argv[1] << "\n";
    } catch (const std::exception& e) {
        std::cerr << "make_qr_testset: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
