#include "qr_grid.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <vector>

#include "qr_finder.hpp"
#include "qr_symbol.hpp"

namespace hal::detail {

namespace {

constexpr int kPx = kUnwarpedModulePx;
/// How far from its expected place an alignment pattern is looked for, modules either way.
constexpr int kAlignmentSearch = 3;
/// Normalised cross-correlation above which a 5x5-module patch is taken for an alignment pattern.
constexpr double kMinAlignmentScore = 0.55;
/// The window (Gaussian sigma, modules) over which the module edges' phase is averaged: wide enough to
/// hold edges in both directions, narrow enough to change across a fold.
constexpr double kPhaseWindow = 1.5;
/// The module edges' agreement on their phase (|sum of g e^-i phase| / sum of g, 0..1) below which none
/// of it is trusted; twice that is trusted fully.
constexpr double kMinAgreement = 0.15;

struct ControlPoint {
    cv::Point2d module;  ///< module coordinates, the code's top-left corner at (0, 0)
    cv::Point2d image;   ///< where that point is in the image
};

/// Module coordinates to image pixels: the thin-plate spline through the control points (an affine map
/// through three; with more it bends, as the paper does, and still passes through every one).
class GridMapping {
  public:
    explicit GridMapping(std::vector<ControlPoint> points) : m_points(std::move(points)) {
        const int n = static_cast<int>(m_points.size());
        cv::Mat system = cv::Mat::zeros(n + 3, n + 3, CV_64F);
        cv::Mat targets = cv::Mat::zeros(n + 3, 2, CV_64F);
        for (int i = 0; i < n; ++i) {
            const ControlPoint& point = m_points[static_cast<std::size_t>(i)];
            for (int j = 0; j < n; ++j)
                system.at<double>(i, j) = kernel(point.module - m_points[static_cast<std::size_t>(j)].module);
            const std::array<double, 3> affine = {1.0, point.module.x, point.module.y};
            for (int k = 0; k < 3; ++k) {
                system.at<double>(i, n + k) = affine[static_cast<std::size_t>(k)];
                system.at<double>(n + k, i) = affine[static_cast<std::size_t>(k)];
            }
            targets.at<double>(i, 0) = point.image.x;
            targets.at<double>(i, 1) = point.image.y;
        }
        cv::solve(system, targets, m_weights, cv::DECOMP_SVD);
    }

    cv::Point2d operator()(cv::Point2d module) const {
        const int n = static_cast<int>(m_points.size());
        const auto w = [&](int row, int axis) { return m_weights.at<double>(row, axis); };
        cv::Point2d point(w(n, 0) + w(n + 1, 0) * module.x + w(n + 2, 0) * module.y,
                          w(n, 1) + w(n + 1, 1) * module.x + w(n + 2, 1) * module.y);
        for (int i = 0; i < n; ++i) {
            const double k = kernel(module - m_points[static_cast<std::size_t>(i)].module);
            point += cv::Point2d(k * w(i, 0), k * w(i, 1));
        }
        return point;
    }

  private:
    static double kernel(cv::Point2d d) {
        const double r2 = d.dot(d);
        return r2 < 1e-12 ? 0.0 : r2 * std::log(r2);
    }

    std::vector<ControlPoint> m_points;
    cv::Mat m_weights;  ///< (n + 3) x 2: the kernel weights, then the affine part, for x and y
};

/// `gray` resampled through `mapping` over the module rectangle `area`, kPx pixels a module. The
/// mapping is evaluated at the module corners and interpolated bilinearly in between.
cv::Mat rectify(const cv::Mat& gray, const GridMapping& mapping, const cv::Rect& area) {
    cv::Mat_<cv::Point2f> nodes(area.height + 1, area.width + 1);
    for (int r = 0; r < nodes.rows; ++r)
        for (int c = 0; c < nodes.cols; ++c)
            nodes(r, c) = mapping({static_cast<double>(area.x + c), static_cast<double>(area.y + r)});
    cv::Mat mapX(area.height * kPx, area.width * kPx, CV_32F);
    cv::Mat mapY(mapX.size(), CV_32F);
    for (int y = 0; y < mapX.rows; ++y)
        for (int x = 0; x < mapX.cols; ++x) {
            const float u = (static_cast<float>(x) + 0.5F) / kPx;
            const float v = (static_cast<float>(y) + 0.5F) / kPx;
            const int c = std::min(static_cast<int>(u), area.width - 1);
            const int r = std::min(static_cast<int>(v), area.height - 1);
            const float fu = u - static_cast<float>(c);
            const float fv = v - static_cast<float>(r);
            const auto at = [&](int dr, int dc) { return nodes(r + dr, c + dc); };
            const cv::Point2f p =
                (at(0, 0) * (1 - fu) + at(0, 1) * fu) * (1 - fv) + (at(1, 0) * (1 - fu) + at(1, 1) * fu) * fv;
            mapX.at<float>(y, x) = p.x;
            mapY.at<float>(y, x) = p.y;
        }
    cv::Mat out;
    cv::remap(gray, out, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return out;
}

/// An alignment pattern at kPx pixels a module: dark ring, light ring, dark centre.
cv::Mat alignmentTemplate() {
    cv::Mat pattern(5 * kPx, 5 * kPx, CV_8U, cv::Scalar(0));
    cv::rectangle(pattern, cv::Rect(kPx, kPx, 3 * kPx, 3 * kPx), cv::Scalar(255), cv::FILLED);
    cv::rectangle(pattern, cv::Rect(2 * kPx, 2 * kPx, kPx, kPx), cv::Scalar(0), cv::FILLED);
    return pattern;
}

/// Where the alignment pattern whose centre module is (a, b) really is, in the module coordinates of
/// `mapping`, or nothing when nothing near looks like one.
std::optional<cv::Point2d> locateAlignment(const cv::Mat& gray, const GridMapping& mapping, int a, int b) {
    static const cv::Mat kTemplate = alignmentTemplate();
    const cv::Rect area(a - 2 - kAlignmentSearch, b - 2 - kAlignmentSearch, 5 + 2 * kAlignmentSearch,
                        5 + 2 * kAlignmentSearch);
    const cv::Mat patch = rectify(gray, mapping, area);
    cv::Mat scores;
    cv::matchTemplate(patch, kTemplate, scores, cv::TM_CCOEFF_NORMED);
    double best = 0;
    cv::Point at;
    cv::minMaxLoc(scores, nullptr, &best, nullptr, &at);
    if (best < kMinAlignmentScore) return std::nullopt;
    return cv::Point2d(area.x + (at.x + 2.5 * kPx) / kPx, area.y + (at.y + 2.5 * kPx) / kPx);
}

struct Corners {
    cv::Point2f topLeft;
    cv::Point2f topRight;
    cv::Point2f bottomLeft;
    double module = 0;  ///< pixels
};

/// The grid of a code of `dimension` modules whose finder patterns are `corners`, bent through every
/// alignment pattern found; `found` counts those.
GridMapping fitGrid(const cv::Mat& gray, const Corners& corners, int dimension, int& found) {
    const double far = dimension - 3.5;
    std::vector<ControlPoint> points = {
        {{3.5, 3.5}, corners.topLeft}, {{far, 3.5}, corners.topRight}, {{3.5, far}, corners.bottomLeft}};
    GridMapping mapping(points);
    const std::vector<int> centres = alignmentCentres((dimension - 17) / 4);
    std::vector<cv::Point> wanted;
    const int last = centres.back();
    for (const int a : centres)
        for (const int b : centres)
            if (!((a == 6 && b == 6) || (a == 6 && b == last) || (a == last && b == 6)))
                wanted.emplace_back(a, b);
    // Nearest the finder patterns first: each one found makes the guess for the next better.
    std::sort(wanted.begin(), wanted.end(),
              [](const cv::Point& p, const cv::Point& q) { return p.x + p.y < q.x + q.y; });
    found = 0;
    for (const cv::Point& centre : wanted) {
        const auto located = locateAlignment(gray, mapping, centre.x, centre.y);
        if (!located) continue;
        points.push_back({{centre.x + 0.5, centre.y + 0.5}, mapping(*located)});
        mapping = GridMapping(points);
        ++found;
    }
    return mapping;
}

/// Three finder patterns that make a code's corners: a right angle between two legs of about the same
/// length, patterns of about the same module size. The one seen on most rows wins.
std::optional<Corners> pickCorners(std::vector<FinderPattern> patterns) {
    constexpr std::size_t kMaxPatterns = 8;
    std::erase_if(patterns, [](const FinderPattern& p) { return p.rows < 2; });
    std::sort(patterns.begin(), patterns.end(),
              [](const FinderPattern& p, const FinderPattern& q) { return p.rows > q.rows; });
    if (patterns.size() > kMaxPatterns) patterns.resize(kMaxPatterns);
    std::optional<Corners> best;
    int bestRows = 0;
    const std::size_t n = patterns.size();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
            for (std::size_t k = j + 1; k < n; ++k) {
                if (j == i || k == i) continue;
                const FinderPattern& corner = patterns[i];
                const cv::Point2d a = patterns[j].centre - corner.centre;
                const cv::Point2d b = patterns[k].centre - corner.centre;
                const double la = cv::norm(a);
                const double lb = cv::norm(b);
                const auto modules = {static_cast<double>(corner.module),
                                      static_cast<double>(patterns[j].module),
                                      static_cast<double>(patterns[k].module)};
                const double module = (modules.begin()[0] + modules.begin()[1] + modules.begin()[2]) / 3.0;
                if (std::max(modules) > 1.5 * std::min(modules) ||
                    std::max(la, lb) > 1.4 * std::min(la, lb) || std::abs(a.dot(b)) > 0.35 * la * lb ||
                    (la + lb) / 2.0 < 12.0 * module)
                    continue;
                const int rows = corner.rows + patterns[j].rows + patterns[k].rows;
                if (rows <= bestRows) continue;
                bestRows = rows;
                // Clockwise in image coordinates (y down): top-right is a, bottom-left is b when a x b > 0.
                const bool clockwise = a.cross(b) > 0;
                best = Corners{corner.centre, clockwise ? patterns[j].centre : patterns[k].centre,
                               clockwise ? patterns[k].centre : patterns[j].centre, module};
            }
    return best;
}

/// `unwarped` shifted, everywhere, onto its own module grid (see the header, step 3).
cv::Mat alignToModules(const cv::Mat& unwarped) {
    std::array<cv::Mat, 2> shifts;
    for (int axis = 0; axis < 2; ++axis) {
        cv::Mat gradient;
        cv::Sobel(unwarped, gradient, CV_32F, axis == 0 ? 1 : 0, axis == 0 ? 0 : 1);
        gradient = cv::abs(gradient);
        // Module edges lie half a pixel before each multiple of kPx (pixel centres): phase 0 there.
        std::array<float, kPx> cosines{};
        std::array<float, kPx> sines{};
        for (std::size_t i = 0; i < cosines.size(); ++i) {
            const double phase = 2.0 * std::numbers::pi * (static_cast<double>(i) + 0.5) / kPx;
            cosines[i] = static_cast<float>(std::cos(phase));
            sines[i] = static_cast<float>(std::sin(phase));
        }
        cv::Mat cosine(unwarped.size(), CV_32F);
        cv::Mat sine(unwarped.size(), CV_32F);
        for (int y = 0; y < unwarped.rows; ++y)
            for (int x = 0; x < unwarped.cols; ++x) {
                const auto i = static_cast<std::size_t>((axis == 0 ? x : y) % kPx);
                const float g = gradient.at<float>(y, x);
                cosine.at<float>(y, x) = g * cosines[i];
                sine.at<float>(y, x) = g * sines[i];
            }
        cv::GaussianBlur(cosine, cosine, {0, 0}, kPhaseWindow * kPx);
        cv::GaussianBlur(sine, sine, {0, 0}, kPhaseWindow * kPx);
        cv::GaussianBlur(gradient, gradient, {0, 0}, kPhaseWindow * kPx);
        shifts[static_cast<std::size_t>(axis)] = cv::Mat(unwarped.size(), CV_32F);
        for (int y = 0; y < unwarped.rows; ++y)
            for (int x = 0; x < unwarped.cols; ++x) {
                const auto c = static_cast<double>(cosine.at<float>(y, x));
                const auto s = static_cast<double>(sine.at<float>(y, x));
                // Where the edges do not keep to one period (few edges, or a fold's squeeze), the phase
                // is noise: shift only as far as the edges agree.
                const double agreement =
                    std::hypot(c, s) / (static_cast<double>(gradient.at<float>(y, x)) + 1e-3);
                const double weight = std::clamp((agreement - kMinAgreement) / kMinAgreement, 0.0, 1.0);
                const double offset = weight * std::atan2(s, c) * kPx / (2.0 * std::numbers::pi);
                shifts[static_cast<std::size_t>(axis)].at<float>(y, x) =
                    static_cast<float>((axis == 0 ? x : y) + offset);
            }
    }
    cv::Mat aligned;
    cv::remap(unwarped, aligned, shifts[0], shifts[1], cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return aligned;
}

}  // namespace

std::optional<UnwarpedCode> unwarpCode(const cv::Mat& gray, int version) {
    cv::Mat binary;
    cv::threshold(gray, binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    const auto corners = pickCorners(findFinderPatterns(binary, std::numeric_limits<std::size_t>::max()));
    if (!corners) return std::nullopt;
    // Centre to centre is the code's side less 7 modules; versions 2-10 are 25-57 modules.
    const double side =
        (cv::norm(corners->topRight - corners->topLeft) + cv::norm(corners->bottomLeft - corners->topLeft)) /
            (2.0 * corners->module) +
        7.0;
    struct Candidate {
        int dimension;
        GridMapping mapping;
        int found;
    };
    std::vector<Candidate> candidates;
    for (int candidate = 2; candidate <= 10; ++candidate) {
        const int dimension = 17 + 4 * candidate;
        if (version != 0 ? candidate != version : std::abs(dimension - side) > 4.0) continue;
        int found = 0;
        GridMapping mapping = fitGrid(gray, *corners, dimension, found);
        candidates.push_back({dimension, std::move(mapping), found});
    }
    // The version whose alignment patterns are where it says, then the nearest in size.
    const auto best =
        std::min_element(candidates.begin(), candidates.end(), [&](const Candidate& p, const Candidate& q) {
            return p.found != q.found ? p.found > q.found
                                      : std::abs(p.dimension - side) < std::abs(q.dimension - side);
        });
    if (best == candidates.end()) return std::nullopt;
    const int d = best->dimension;
    UnwarpedCode code;
    code.image = rectify(gray, best->mapping,
                         {-kUnwarpedQuietModules, -kUnwarpedQuietModules, d + 2 * kUnwarpedQuietModules,
                          d + 2 * kUnwarpedQuietModules});
    code.aligned = alignToModules(code.image);
    const std::array<cv::Point2d, 4> moduleCorners = {cv::Point2d(0, 0), cv::Point2d(d, 0), cv::Point2d(d, d),
                                                      cv::Point2d(0, d)};
    for (std::size_t i = 0; i < 4; ++i) code.corners[i] = cv::Point2f(best->mapping(moduleCorners[i]));
    return code;
}

}  // namespace hal::detail
