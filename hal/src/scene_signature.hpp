#pragma once
// hal-internal: the tiny signature of a camera frame that tells a still scene from a changed one
// (SceneChangeGate, and QrDecoder's skipping of passes that already failed on the same scene).

#include <cstdint>
#include <vector>

#include "hal/frame.hpp"

namespace hal::detail {

/// The frame shrunk to `width` cells across by area averaging, gray, blurred 3x3, row by row. Only
/// every other row is read: it halves the cost (to ~0.4 ms a 1280x720 frame, bench_scan) and a cell
/// still averages 128 pixels. Averaging and blur divide sensor noise by ~20.
[[nodiscard]] std::vector<std::uint8_t> sceneSignature(const Frame& frame, int width);

/// True if at least `changedArea` of the cells (and at least one) moved by `changeLevel` gray levels or
/// more between `a` and `b`, or if the two signatures differ in size.
[[nodiscard]] bool sceneChanged(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b,
                                int changeLevel, double changedArea);

}  // namespace hal::detail
