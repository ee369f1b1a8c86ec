#pragma once
// hal::Scanner — the kiosk's camera worker: on its own thread it grabs frames from a Camera, keeps the
// latest one in a one-slot mailbox for the UI to draw, decodes QR codes (QrDecoder, DecodeEffort::Frame)
// and queues one ScanEvent per distinct code (ScanDeduper). A SceneChangeGate spares the decoding of a
// scene that does not change; a code read in it stays "in view" (no new event) until the scene changes.
//
// The UI thread, once per frame: drainEvents() for new scans, latestFrame() for the preview. To render
// on demand, give setNotifier() a callback that wakes the UI loop (e.g. SDL_PushEvent).
//
// Threads: start/stop/setNotifier from the owner's thread; drainEvents/latestFrame/stats/health from any
// thread (internally locked, never block on decoding). The camera and the clock must outlive the
// scanner; nobody else may drive the camera while the scanner runs (health() and VirtualCamera::show()
// are fine).

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "hal/camera.hpp"
#include "hal/clock.hpp"
#include "hal/frame.hpp"
#include "hal/qr_decoder.hpp"
#include "hal/scan_hint.hpp"
#include "hal/scene_change_gate.hpp"

namespace hal {

struct ScanEvent {
    std::string text;                 ///< the QR content (a receipt token is checked by the caller)
    std::array<PointF, 4> corners{};  ///< where it was, in frame pixels (to draw a guide)
    int frameWidth = 0;               ///< size of the frame the corners refer to
    int frameHeight = 0;
    std::uint64_t frameSequence = 0;
    MonotonicMs at = 0;                 ///< Clock::monotonicMs() when decoded
    loyalty::UnixSeconds wallTime = 0;  ///< Clock::now() when decoded
};

struct ScannerConfig {
    /// A code not seen for this long is forgotten; seen again, it is a new event.
    std::int64_t forgetAfterMs = 3000;
    /// Wait after a failed grab (device missing, end of a non-looping file) before the next one.
    std::int64_t retryDelayMs = 50;
    /// Events not drained are dropped beyond this many (oldest first): a stalled UI cannot eat memory.
    std::size_t maxQueuedEvents = 32;
    /// Frames are looked at (change gate, decode) at most this often (Clock::monotonicMs); the others
    /// only refresh the preview. A frame in which nothing is readable costs ~9 ms of CPU
    /// (docs/performance.md). 0 = every frame.
    std::int64_t minDecodeIntervalMs = 66;
    /// Which of those frames are decoded: while the scene changes and shortly after, and a still scene
    /// only now and then — an idle kiosk's camera sees an unchanging counter all day.
    SceneGateConfig gate{};
    /// After this many decoded frames in a row that read nothing while a code-like region is in view,
    /// hint() says why (about 0.2 s at 15 decodes a second: the heavy stages had their turn first).
    int hintAfterMisses = 3;
};

struct ScannerStats {
    std::uint64_t framesGrabbed = 0;
    std::uint64_t framesDecoded = 0;
    std::uint64_t framesStill = 0;   ///< looked at and not decoded: the scene had not changed
    std::uint64_t sceneChanges = 0;  ///< frames the change gate judged a change (the first one counts)
    std::uint64_t eventsPosted = 0;
    std::uint64_t grabErrors = 0;
    double lastDecodeMs = 0;  ///< wall milliseconds the last frame's decode took
};

class Scanner {
  public:
    Scanner(Camera& camera, const Clock& clock, ScannerConfig config = {});
    ~Scanner();  ///< stops the worker
    Scanner(const Scanner&) = delete;
    Scanner& operator=(const Scanner&) = delete;

    /// Called on the WORKER thread after events were queued. Must be quick and thread-safe. Set before
    /// start().
    void setNotifier(std::function<void()> notifier);

    /// Starts the worker, which opens the camera (a missing device is not fatal: the worker keeps
    /// retrying). Does not block. Calling it twice is a no-op.
    void start();
    /// Stops and joins the worker, closes the camera. Blocks for at most one grab + one decode.
    void stop();

    /// New events since the last call, oldest first.
    [[nodiscard]] std::vector<ScanEvent> drainEvents();
    /// The newest frame if it is newer than the last one returned (one-slot mailbox), else nullopt.
    [[nodiscard]] std::optional<Frame> latestFrame();
    [[nodiscard]] ScannerStats stats() const;
    /// What the shopper should do so the code in view reads (ScanHint::None when nothing to say),
    /// with the measures behind it. Cleared as soon as a code reads or nothing code-like is in view.
    [[nodiscard]] ScanAdvice hint() const;
    [[nodiscard]] CameraHealth cameraHealth() const { return m_camera.health(); }

    /// Decodes a still image synchronously on the calling thread with the full pipeline
    /// (DecodeEffort::Still). Any thread; independent of any running scanner.
    [[nodiscard]] static std::vector<QrCode> decodeImage(const Frame& image);

  private:
    void run();

    Camera& m_camera;
    const Clock& m_clock;
    ScannerConfig m_config;
    std::function<void()> m_notifier;
    std::thread m_worker;
    std::atomic<bool> m_running{false};

    mutable std::mutex m_mutex;  ///< guards everything below
    std::condition_variable m_wake;
    bool m_stopRequested = false;
    std::deque<ScanEvent> m_events;
    std::optional<Frame> m_latest;
    std::uint64_t m_latestTaken = 0;  ///< sequence+1 of the last frame handed out (0 = none)
    ScannerStats m_stats;
    ScanAdvice m_hint;
};

}  // namespace hal
