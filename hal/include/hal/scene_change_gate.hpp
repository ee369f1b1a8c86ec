#pragma once
// SceneChangeGate — tells the scanner which camera frames are worth a full QR decode. A frame in which
// nothing is readable is the pipeline's most expensive case (every stage runs), and an idle kiosk's
// camera sees exactly that all day: an empty counter. The gate decodes while the scene changes and for a
// settle period after, then only once in a while (docs/performance.md, "The change gate").
//
// How a change is judged: each frame is reduced to a tiny signature — gray, shrunk to `signatureWidth`
// cells across by area averaging (every cell the mean of a 16x16 block of a 1280x720 frame, every other
// row of it read: 128 pixels), then blurred 3x3. Averaging and blur divide sensor noise by ~20, so noise
// does not move a cell by `changeLevel`; a receipt sliding in moves dozens of cells by far more. The
// signature is compared with the REFERENCE — the signature of the last frame that changed — not with the
// previous frame, so a slow movement (or drifting light) adds up until it counts.
//
// Pure logic on the frames and times the caller passes (hal::Clock::monotonicMs()); not synchronised:
// one gate per scanner worker.

#include <cstdint>
#include <vector>

#include "hal/clock.hpp"
#include "hal/frame.hpp"

namespace hal {

struct SceneGateConfig {
    /// false: every frame is decoded (the scanner's minDecodeIntervalMs still applies).
    bool enabled = true;
    /// Signature cells across the frame (rows follow the aspect ratio): 80 -> 80x45 at 16:9.
    int signatureWidth = 80;
    /// Gray levels (0-255) a signature cell must move to count as changed.
    int changeLevel = 10;
    /// Fraction of the signature's cells that must change for the scene to count as changed
    /// (at least one cell). 0.002 of 80x45 = 8 cells, a quarter of a small receipt code's area.
    double changedArea = 0.002;
    /// Frames decoded from the last change on, however still the scene then is: the pipeline runs one heavy
    /// stage per frame, in turn (qr_decoder.hpp), and a receipt held still after moving in needs up to 4 of
    /// them; 8 gives every stage two tries.
    int settleDecodes = 8;
    /// A still scene is still decoded this often, in case a change was too small to see.
    std::int64_t stillDecodeIntervalMs = 2000;
};

class SceneChangeGate {
  public:
    explicit SceneChangeGate(SceneGateConfig config) : m_config(config) {}

    /// Looks at `frame` (Gray8 or Rgb24) taken at `now`: true if it should be decoded — the scene
    /// changed, is settling, the still-scene interval is due, or the gate is disabled. Call decoded()
    /// when it was.
    [[nodiscard]] bool wantsDecode(const Frame& frame, MonotonicMs now);
    /// The frame last asked about was decoded at `now`.
    void decoded(MonotonicMs now);
    /// The scene is unknown again (the camera delivered nothing for a while): the next frame counts as
    /// a change.
    void reset() { m_reference.clear(); }

    /// Times the scene was judged changed (the first frame counts): for ScannerStats and tests.
    [[nodiscard]] std::uint64_t changes() const { return m_changes; }

  private:
    SceneGateConfig m_config;
    std::vector<std::uint8_t> m_reference;  ///< signature of the last changed frame; empty = none yet
    int m_settleLeft = 0;
    MonotonicMs m_lastDecodeAt = 0;
    std::uint64_t m_changes = 0;
};

}  // namespace hal
