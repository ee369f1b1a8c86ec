#include "hal/scene_change_gate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <opencv2/imgproc.hpp>

#include "frame_mat.hpp"

namespace hal {

namespace {

/// The frame shrunk to `width` cells across by area averaging, gray, blurred 3x3. Only every other row
/// is read: it halves the cost (to ~0.4 ms a 1280x720 frame, bench_scan) and a cell still averages 128
/// pixels. Shrinking the colour frame first and converting the few cells to gray is far cheaper than
/// converting the whole frame.
cv::Mat signatureOf(const Frame& frame, int width) {
    const cv::Mat full = detail::matView(frame);
    const cv::Mat everyOtherRow(std::max(1, full.rows / 2), full.cols, full.type(), full.data, full.step * 2);
    const int cellsAcross = std::clamp(width, 1, frame.width);
    const int cellsDown = std::max(
        1, static_cast<int>(std::lround(static_cast<double>(frame.height) * cellsAcross / frame.width)));
    cv::Mat small;
    cv::resize(everyOtherRow, small, {cellsAcross, cellsDown}, 0, 0, cv::INTER_AREA);
    if (small.channels() == 3) cv::cvtColor(small, small, cv::COLOR_RGB2GRAY);
    cv::GaussianBlur(small, small, {3, 3}, 0);
    return small;
}

}  // namespace

bool SceneChangeGate::wantsDecode(const Frame& frame, MonotonicMs now) {
    if (!m_config.enabled) return true;
    if (frame.empty()) return false;
    const cv::Mat signature = signatureOf(frame, m_config.signatureWidth);
    std::vector<std::uint8_t> cells(signature.begin<std::uint8_t>(), signature.end<std::uint8_t>());
    if (m_reference.empty() || m_referenceWidth != signature.cols || cells.size() != m_reference.size() ||
        changedFromReference(cells)) {
        m_reference = std::move(cells);
        m_referenceWidth = signature.cols;
        m_settleLeft = m_config.settleDecodes;
        ++m_changes;
        return true;
    }
    return m_settleLeft > 0 || now - m_lastDecodeAt >= m_config.stillDecodeIntervalMs;
}

void SceneChangeGate::decoded(MonotonicMs now) {
    if (m_settleLeft > 0) --m_settleLeft;
    m_lastDecodeAt = now;
}

bool SceneChangeGate::changedFromReference(const std::vector<std::uint8_t>& signature) const {
    const auto needed = std::max<std::size_t>(
        1, static_cast<std::size_t>(std::ceil(m_config.changedArea * static_cast<double>(signature.size()))));
    std::size_t changed = 0;
    for (std::size_t i = 0; i < signature.size(); ++i) {
        if (std::abs(int{signature[i]} - int{m_reference[i]}) >= m_config.changeLevel && ++changed == needed)
            return true;
    }
    return false;
}

}  // namespace hal
