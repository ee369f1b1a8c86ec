// bench_scan — the scanner benchmark: decode rate and milliseconds per 1280x720 frame on the synthetic
// receipt photographs (qr_testset.hpp), for hal::QrDecoder side by side with the baselines, all in
// the same run on the same images:
//   zbarimg      the zbar-tools CLI, one process per image (its CPU time includes process start and
//                PNG decoding, which is why in-process ZBar is also shown)
//   zbar         in-process ZBar on the gray frame
//   zxing        in-process zxing-cpp on the gray frame, the library's default effort (try harder,
//                downscale), QR only: what the library does alone
//   pipeline/1   QrDecoder, DecodeEffort::Frame, one frame (what one camera frame costs)
//   pipeline/6   the same over up to 6 successive decodes of the held receipt (0.4 s at the scanner's
//                15 decodes a second: every heavy stage gets its turn); times are per frame
//   still        QrDecoder, DecodeEffort::Still (kioskctl scan)
// and then the cost of frames in which nothing can be read (an idle kiosk's camera), and what the
// scanner's change gate (hal::SceneChangeGate, default settings) makes of the same scenes.
// Times are CPU milliseconds of the decoding thread (getrusage of the child for zbarimg), so a busy
// machine does not inflate them; OpenCV runs single-threaded, so they are per core.
//
// usage: bench_scan [--per-kind N] [--seed S] [--classic] [--no-zbarimg] [--no-gate]
//                   [--without STAGE]... [--keep DIR] [--list-misses]
// The hard set (bench::TestSetLevel::Hard) unless --classic.

#include <fmt/core.h>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hal/frame.hpp"
#include "hal/qr_decoder.hpp"
#include "hal/scene_change_gate.hpp"
#include "qr_testset.hpp"

namespace {

namespace fs = std::filesystem;

/// Frames of a held receipt that DecodeEffort::Frame needs to try every strategy once.
constexpr int kHeldFrames = 6;
/// Fresh sensor noise (sigma, gray levels) on each further frame of a held receipt.
constexpr double kHeldNoiseSigma = 4.0;

struct Column {
    std::string name;
    std::vector<double> ms;
    std::map<std::string, int, std::less<>> hitsByKind;
    int hits = 0;
};

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(std::lround(p * static_cast<double>(values.size() - 1)));
    return values[std::min(index, values.size() - 1)];
}

bool contains(const std::vector<hal::QrCode>& codes, const std::string& expected) {
    return std::any_of(codes.begin(), codes.end(), [&](const hal::QrCode& c) { return c.text == expected; });
}

/// Every code in the image read (a Multi frame counts only when all its receipts are).
bool readsAll(const std::vector<hal::QrCode>& codes, const bench::TestImage& image) {
    return contains(codes, image.expected) &&
           std::all_of(image.others.begin(), image.others.end(),
                       [&](const std::string& other) { return contains(codes, other); });
}

/// CPU milliseconds the calling thread spends in `work`. The benchmark shares a 2-core machine with
/// builds and other tests; wall time would measure the neighbours, thread CPU time measures us.
template <typename F>
double timeMs(F&& work) {
    timespec start{};
    timespec end{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
    work();
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end);
    return static_cast<double>(end.tv_sec - start.tv_sec) * 1e3 +
           static_cast<double>(end.tv_nsec - start.tv_nsec) / 1e6;
}

/// CPU milliseconds (user + system) of the children that finished so far.
double childrenCpuMs() {
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    const auto ms = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3;
    };
    return ms(usage.ru_utime) + ms(usage.ru_stime);
}

/// Runs zbarimg on one file; true if it printed every expected text.
bool runZbarimg(const fs::path& file, const bench::TestImage& image, double& ms) {
    const std::string command =
        fmt::format("zbarimg --quiet --raw -Sdisable -Sqrcode.enable '{}' 2>/dev/null", file.string());
    std::string output;
    const double before = childrenCpuMs();
    {
        const std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), &pclose);
        if (!pipe) return false;
        std::array<char, 512> buffer{};
        while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe.get()) != nullptr)
            output += buffer.data();
    }
    // The shell and zbarimg together: process start, PNG decoding and the scan.
    ms = childrenCpuMs() - before;
    const auto printed = [&](const std::string& text) { return output.find(text) != std::string::npos; };
    return printed(image.expected) && std::all_of(image.others.begin(), image.others.end(), printed);
}

hal::Frame toFrame(const cv::Mat& bgr) {
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    hal::Frame frame;
    frame.width = rgb.cols;
    frame.height = rgb.rows;
    frame.stride = rgb.cols * 3;
    frame.format = hal::PixelFormat::Rgb24;
    frame.pixels = std::make_shared<std::vector<std::uint8_t>>(rgb.datastart, rgb.dataend);
    return frame;
}

/// The change gate on each test scene as the kiosk's scanner meets it: the empty counter through a
/// noisy sensor, then the image's code (with a thin margin of paper, the smallest change a receipt makes)
/// laid on the counter and held there, a frame every 100 ms.
struct GateFigures {
    std::vector<double> signatureMs;  ///< CPU ms of wantsDecode(): the signature and the comparison
    int noiseFrames = 0;              ///< still counter frames with fresh sensor noise (sigma 8) ...
    int noiseChanges = 0;             ///< ... judged a change
    int heavyNoiseFrames = 0;         ///< the same with sigma 30 (the test set's heaviest noise)
    int heavyNoiseChanges = 0;
    int appearances = 0;
    int appearancesSeen = 0;  ///< the code's arrival judged a change
    int readGated = 0;        ///< read by the pipeline on the frames the gate passed
    int readUngated = 0;      ///< read by the pipeline decoding every frame
};

void measureGate(const bench::TestImage& image, const hal::DecoderStages& stages, GateFigures& figures) {
    constexpr int kNoiseFrames = 6;
    constexpr int kHeavyNoiseFrames = 4;
    constexpr int kCodeFrames = 10;
    const hal::SceneGateConfig config;
    const cv::Mat counter = bench::renderCounterPhoto(image.seed);
    // Every frame its own sensor noise, as a live camera delivers.
    const auto noisy = [](const cv::Mat& scene, double sigma, int count) {
        std::vector<hal::Frame> frames;
        for (int i = 0; i < count; ++i)
            frames.push_back(toFrame(bench::withSensorNoise(scene, sigma, static_cast<std::uint64_t>(i))));
        return frames;
    };
    hal::SceneChangeGate gate(config);
    hal::QrDecoder decoder(stages);
    // The same scanner without the gate: decodes every frame (its heavy stages turn with each decode).
    hal::QrDecoder ungated(stages);
    hal::MonotonicMs now = 0;
    for (const hal::Frame& frame : noisy(counter, 8, kNoiseFrames)) {
        (void)ungated.decode(frame, hal::DecodeEffort::Frame);
        const auto changesBefore = gate.changes();
        bool wanted = false;
        figures.signatureMs.push_back(timeMs([&] { wanted = gate.wantsDecode(frame, now); }));
        if (wanted) {
            (void)decoder.decode(frame, hal::DecodeEffort::Frame);
            gate.decoded(now);
        }
        if (now > 0) {
            ++figures.noiseFrames;
            if (gate.changes() > changesBefore) ++figures.noiseChanges;
        }
        now += 100;
    }
    hal::SceneChangeGate heavyGate(config);
    for (const hal::Frame& frame : noisy(counter, 30, kHeavyNoiseFrames)) {
        const auto changesBefore = heavyGate.changes();
        if (heavyGate.wantsDecode(frame, now)) heavyGate.decoded(now);
        if (changesBefore > 0) {
            ++figures.heavyNoiseFrames;
            if (heavyGate.changes() > changesBefore) ++figures.heavyNoiseChanges;
        }
    }

    const std::vector<hal::Frame> held =
        noisy(bench::layCodeOnScene(counter, image.expected, image.distortion, image.seed, image.level), 8,
              kCodeFrames);
    ++figures.appearances;
    const auto changesBefore = gate.changes();
    bool read = false;
    for (const hal::Frame& frame : held) {
        if (gate.wantsDecode(frame, now)) {
            read = contains(decoder.decode(frame, hal::DecodeEffort::Frame), image.expected);
            gate.decoded(now);
        }
        now += 100;
        if (read) break;
    }
    if (gate.changes() > changesBefore) ++figures.appearancesSeen;
    if (read) ++figures.readGated;
    for (const hal::Frame& frame : held) {
        if (contains(ungated.decode(frame, hal::DecodeEffort::Frame), image.expected)) {
            ++figures.readUngated;
            break;
        }
    }
}

bool setStage(hal::DecoderStages& stages, std::string_view name) {
    if (name == "zbar")
        stages.zbar = false;
    else if (name == "zxing")
        stages.zxing = false;
    else if (name == "contrast")
        stages.contrast = false;
    else if (name == "regions")
        stages.regions = false;
    else if (name == "sharpen")
        stages.sharpen = false;
    else if (name == "invert")
        stages.invert = false;
    else if (name == "deblur")
        stages.deblur = false;
    else if (name == "grid")
        stages.grid = false;
    else if (name == "erasure")
        stages.erasure = false;
    else
        return false;
    return true;
}

struct Options {
    int perKind = 25;
    std::uint64_t seed = 1;
    bool withZbarimg = true;
    hal::DecoderStages stages;
    std::string keep;
    bool listMisses = false;
    bench::TestSetLevel level = bench::TestSetLevel::Hard;
    bool withGate = true;
};

std::optional<Options> parseOptions(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--per-kind" && hasValue)
            options.perKind = std::atoi(argv[++i]);
        else if (arg == "--seed" && hasValue)
            options.seed = std::strtoull(argv[++i], nullptr, 10);
        else if (arg == "--no-zbarimg")
            options.withZbarimg = false;
        else if (arg == "--keep" && hasValue)
            options.keep = argv[++i];
        else if (arg == "--list-misses")
            options.listMisses = true;
        else if (arg == "--no-gate")
            options.withGate = false;
        else if (arg == "--classic")
            options.level = bench::TestSetLevel::Classic;
        else if (arg == "--without" && hasValue && setStage(options.stages, argv[i + 1]))
            ++i;
        else {
            fmt::print(
                stderr,
                "usage: bench_scan [--per-kind N] [--seed S] [--classic] [--no-zbarimg] [--no-gate] [--keep "
                "DIR]\n"
                "                  [--list-misses]\n"
                "                  [--without "
                "zbar|zxing|contrast|regions|sharpen|invert|deblur|grid|erasure]...\n");
            return std::nullopt;
        }
    }
    if (options.perKind < 1 || options.perKind > 1000) {
        fmt::print(stderr, "bench_scan: --per-kind must be 1-1000\n");
        return std::nullopt;
    }
    return options;
}

/// Everything measured on the images: one column per decoder, and the frames with nothing to read.
struct Results {
    std::vector<Column> columns;
    std::vector<double> emptyZbarMs;
    std::vector<double> emptyZxingMs;
    std::vector<double> emptyPipelineMs;
    GateFigures gate;

    Column& column(std::string_view name) {
        return *std::find_if(columns.begin(), columns.end(), [&](const Column& c) { return c.name == name; });
    }
};

void record(Column& c, const bench::TestImage& image, bool hit, double ms) {
    c.ms.push_back(ms);
    if (hit) {
        ++c.hits;
        ++c.hitsByKind[std::string(bench::distortionName(image.distortion))];
    }
}

/// The pipeline on one receipt held for up to kHeldFrames live frames (pipeline/1 and pipeline/6),
/// then as a still image.
void measurePipeline(const bench::TestImage& image, const hal::Frame& frame, const Options& options,
                     Results& results) {
    std::vector<hal::QrCode> codes;
    hal::QrDecoder decoder(options.stages);
    bool hit = false;
    for (int attempt = 0; attempt < kHeldFrames && !hit; ++attempt) {
        // After the first, every frame of the held receipt with its own fresh sensor noise, as a
        // live camera delivers: the decoder must not profit from identical frames.
        const hal::Frame held = attempt == 0
                                    ? frame
                                    : toFrame(bench::withSensorNoise(image.bgr, kHeldNoiseSigma,
                                                                     static_cast<std::uint64_t>(attempt)));
        const double ms = timeMs([&] { codes = decoder.decode(held, hal::DecodeEffort::Frame); });
        hit = readsAll(codes, image);
        if (attempt == 0) record(results.column("pipeline/1"), image, hit, ms);
        results.column("pipeline/6").ms.push_back(ms);
    }
    if (hit) {
        ++results.column("pipeline/6").hits;
        ++results.column("pipeline/6").hitsByKind[std::string(bench::distortionName(image.distortion))];
    }
    hal::QrDecoder still(options.stages);
    const double ms = timeMs([&] { codes = still.decode(frame, hal::DecodeEffort::Still); });
    const bool stillHit = readsAll(codes, image);
    record(results.column("still"), image, stillHit, ms);
    if (options.listMisses && !stillHit)
        fmt::print("missed by the pipeline: {} (zxing-cpp alone: {})\n", image.name,
                   readsAll(hal::decodeWithZxingOnly(frame), image) ? "read" : "missed");
}

void measureImage(const bench::TestImage& image, const fs::path& dir, const Options& options,
                  Results& results) {
    const hal::Frame frame = toFrame(image.bgr);
    if (options.withZbarimg) {
        double ms = 0;
        const bool hit = runZbarimg(dir / (image.name + ".png"), image, ms);
        record(results.column("zbarimg"), image, hit, ms);
    }
    std::vector<hal::QrCode> codes;
    double ms = timeMs([&] { codes = hal::decodeWithZbarOnly(frame); });
    record(results.column("zbar"), image, readsAll(codes, image), ms);
    ms = timeMs([&] { codes = hal::decodeWithZxingOnly(frame); });
    record(results.column("zxing"), image, readsAll(codes, image), ms);
    measurePipeline(image, frame, options, results);

    // The same scene with the code blurred beyond reading: what an idle kiosk pays per frame
    // while the camera sees a counter, hands and receipts not yet in focus.
    cv::Mat unreadable;
    cv::GaussianBlur(image.bgr, unreadable, {0, 0}, 10);
    const hal::Frame idle = toFrame(unreadable);
    results.emptyZbarMs.push_back(timeMs([&] { codes = hal::decodeWithZbarOnly(idle); }));
    results.emptyZxingMs.push_back(timeMs([&] { codes = hal::decodeWithZxingOnly(idle); }));
    hal::QrDecoder idleDecoder(options.stages);
    for (int attempt = 0; attempt < kHeldFrames; ++attempt)
        results.emptyPipelineMs.push_back(
            timeMs([&] { codes = idleDecoder.decode(idle, hal::DecodeEffort::Frame); }));
    if (options.withGate) measureGate(image, options.stages, results.gate);
}

void printTables(Results& results, std::size_t imageCount, const Options& options) {
    const auto total = static_cast<double>(imageCount);
    fmt::print("{} images (1280x720), {} per kind, seed {}, {} set\n\n", imageCount, options.perKind,
               options.seed, options.level == bench::TestSetLevel::Hard ? "hard" : "classic");
    fmt::print("| decoder | decoded | rate | median ms | p90 ms | max ms |\n|---|---|---|---|---|---|\n");
    for (const Column& c : results.columns)
        fmt::print("| {} | {}/{} | {:.1f} % | {:.1f} | {:.1f} | {:.1f} |\n", c.name, c.hits, imageCount,
                   100.0 * c.hits / total, percentile(c.ms, 0.5), percentile(c.ms, 0.9),
                   percentile(c.ms, 1.0));
    fmt::print("\n| kind |");
    for (const Column& c : results.columns) fmt::print(" {} |", c.name);
    fmt::print("\n|---|");
    for (std::size_t i = 0; i < results.columns.size(); ++i) fmt::print("---|");
    fmt::print("\n");
    for (const bench::Distortion kind : bench::distortionsOf(options.level)) {
        const std::string name(bench::distortionName(kind));
        fmt::print("| {} |", name);
        for (Column& c : results.columns) fmt::print(" {}/{} |", c.hitsByKind[name], options.perKind);
        fmt::print("\n");
    }
    fmt::print(
        "\nFrames with no readable code (the same scenes, code blurred away), ms per frame:\n\n"
        "| decoder | median ms | p90 ms | max ms |\n|---|---|---|---|\n");
    for (const auto& [name, ms] :
         {std::pair{"zbar", &results.emptyZbarMs}, std::pair{"zxing", &results.emptyZxingMs},
          std::pair{"pipeline (Frame, 6 in a row)", &results.emptyPipelineMs}})
        fmt::print("| {} | {:.1f} | {:.1f} | {:.1f} |\n", name, percentile(*ms, 0.5), percentile(*ms, 0.9),
                   percentile(*ms, 1.0));
}

void printGate(const GateFigures& gate) {
    const hal::SceneGateConfig defaults;
    fmt::print(
        "\nChange gate (hal::SceneChangeGate: {} cells across, change level {}, area {}, settle {} decodes, "
        "still interval {} ms) on the same scenes' empty counter, then with the code laid on it:\n\n"
        "| figure | result |\n|---|---|\n",
        defaults.signatureWidth, defaults.changeLevel, defaults.changedArea, defaults.settleDecodes,
        defaults.stillDecodeIntervalMs);
    fmt::print("| signature of a frame, median / p90 / max ms | {:.2f} / {:.2f} / {:.2f} |\n",
               percentile(gate.signatureMs, 0.5), percentile(gate.signatureMs, 0.9),
               percentile(gate.signatureMs, 1.0));
    fmt::print("| still counter, sensor noise sigma 8: frames judged a change | {}/{} |\n", gate.noiseChanges,
               gate.noiseFrames);
    fmt::print("| still counter, sensor noise sigma 30: frames judged a change | {}/{} |\n",
               gate.heavyNoiseChanges, gate.heavyNoiseFrames);
    fmt::print("| the code appearing judged a change | {}/{} |\n", gate.appearancesSeen, gate.appearances);
    fmt::print("| code read through the gate (held 1 s) | {}/{} |\n", gate.readGated, gate.appearances);
    fmt::print("| code read without the gate (every frame decoded) | {}/{} |\n", gate.readUngated,
               gate.appearances);
}

}  // namespace

int main(int argc, char** argv) {
    const auto options = parseOptions(argc, argv);
    if (!options) return 2;
    cv::setNumThreads(1);

    const auto images = bench::generateTestSet(options->seed, options->perKind, options->level);
    const fs::path dir = options->keep.empty()
                             ? fs::temp_directory_path() / fmt::format("bench_scan-{}", ::getpid())
                             : fs::path(options->keep);
    if (options->withZbarimg) bench::writeTestSet(images, dir);

    Results results;
    for (const char* name : {"zbarimg", "zbar", "zxing", "pipeline/1", "pipeline/6", "still"}) {
        if (!options->withZbarimg && std::string_view(name) == "zbarimg") continue;
        results.columns.push_back(Column{name, {}, {}, 0});
    }
    for (const bench::TestImage& image : images) measureImage(image, dir, *options, results);

    printTables(results, images.size(), *options);
    if (options->withZbarimg && options->keep.empty()) fs::remove_all(dir);
    if (options->withGate) printGate(results.gate);
    return 0;
}
