#include "hal/scanner.hpp"

#include <chrono>
#include <exception>

#include <spdlog/spdlog.h>

#include "hal/scan_deduper.hpp"

namespace hal {

Scanner::Scanner(Camera& camera, const Clock& clock, ScannerConfig config)
    : m_camera(camera), m_clock(clock), m_config(config) {}

Scanner::~Scanner() {
    stop();
}

void Scanner::setNotifier(std::function<void()> notifier) {
    m_notifier = std::move(notifier);
}

void Scanner::start() {
    if (m_running.exchange(true)) return;
    {
        const std::lock_guard lock(m_mutex);
        m_stopRequested = false;
    }
    m_worker = std::thread([this] { run(); });
}

void Scanner::stop() {
    if (!m_running.exchange(false)) return;
    {
        const std::lock_guard lock(m_mutex);
        m_stopRequested = true;
    }
    m_wake.notify_all();
    m_worker.join();
    m_camera.close();
}

std::vector<ScanEvent> Scanner::drainEvents() {
    const std::lock_guard lock(m_mutex);
    std::vector<ScanEvent> events(std::make_move_iterator(m_events.begin()),
                                  std::make_move_iterator(m_events.end()));
    m_events.clear();
    return events;
}

std::optional<Frame> Scanner::latestFrame() {
    const std::lock_guard lock(m_mutex);
    if (!m_latest || m_latest->sequence + 1 == m_latestTaken) return std::nullopt;
    m_latestTaken = m_latest->sequence + 1;
    return m_latest;
}

ScannerStats Scanner::stats() const {
    const std::lock_guard lock(m_mutex);
    return m_stats;
}

ScanAdvice Scanner::hint() const {
    const std::lock_guard lock(m_mutex);
    return m_hint;
}

std::vector<QrCode> Scanner::decodeImage(const Frame& image) {
    QrDecoder decoder;
    return decoder.decode(image, DecodeEffort::Still);
}

void Scanner::run() {
    // Opened here, not in start(): opening a V4L2 device can take a moment, which the UI thread
    // must not wait for. A missing camera is not fatal: its health says so and grab() reconnects.
    // Camera trouble is logged on change only: an unplugged camera retries every few seconds for hours.
    bool cameraWorking = false;
    try {
        auto opened = m_camera.open();
        cameraWorking = opened.has_value();
        if (!opened) spdlog::warn("camera ({}): {}", m_camera.driverName(), opened.error().message);
    } catch (const std::exception& e) {
        spdlog::error("camera ({}): open failed: {}", m_camera.driverName(), e.what());
    }
    QrDecoder decoder;
    ScanDeduper deduper(m_config.forgetAfterMs);
    SceneChangeGate gate(m_config.gate);
    std::vector<std::string> inView;  ///< codes of the last decoded frame
    int misses = 0;                   ///< decoded frames in a row that read nothing
    bool lookedAny = false;
    MonotonicMs lastLookAt = 0;
    // Nothing may escape a worker thread silently: an unexpected exception is logged and the loop goes
    // on with the next frame (the decoders are not expected to throw; OpenCV may on a corrupt frame).
    for (;;) {
        {
            const std::lock_guard lock(m_mutex);
            if (m_stopRequested) return;
        }
        try {
            auto frame = m_camera.grab();
            if (!frame) {
                if (cameraWorking && frame.error().kind != CameraError::Kind::NoFrame)
                    spdlog::warn("camera ({}): {}", m_camera.driverName(), frame.error().message);
                cameraWorking = cameraWorking && frame.error().kind == CameraError::Kind::NoFrame;
                gate.reset();  // what comes after a gap may be another scene, even if it looks alike
                std::unique_lock lock(m_mutex);
                ++m_stats.grabErrors;
                m_wake.wait_for(lock, std::chrono::milliseconds(m_config.retryDelayMs),
                                [this] { return m_stopRequested; });
                continue;
            }
            if (!cameraWorking) spdlog::info("camera ({}): delivering frames", m_camera.driverName());
            cameraWorking = true;
            {
                const std::lock_guard lock(m_mutex);
                m_latest = *frame;
                ++m_stats.framesGrabbed;
            }
            if (lookedAny && m_clock.monotonicMs() - lastLookAt < m_config.minDecodeIntervalMs) continue;
            lookedAny = true;
            lastLookAt = m_clock.monotonicMs();
            if (!gate.wantsDecode(*frame, lastLookAt)) {
                // The scene has not changed since it was last decoded: what that read is still there,
                // so a receipt left lying under the camera stays one event however long it lies.
                for (const std::string& text : inView) deduper.refresh(text, lastLookAt);
                const std::lock_guard lock(m_mutex);
                ++m_stats.framesStill;
                m_stats.sceneChanges = gate.changes();
                continue;
            }
            const auto started = std::chrono::steady_clock::now();
            const std::vector<QrCode> codes = decoder.decode(*frame, DecodeEffort::Frame);
            const double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
            const MonotonicMs now = m_clock.monotonicMs();
            gate.decoded(now);
            misses = codes.empty() ? misses + 1 : 0;
            ScanAdvice advice;
            if (misses >= m_config.hintAfterMisses)
                if (const auto measures = measureCodeRegion(*frame))
                    advice = ScanAdvice{adviseFrom(*measures), *measures};
            inView.clear();
            std::vector<ScanEvent> fresh;
            for (const QrCode& code : codes) {
                inView.push_back(code.text);
                if (!deduper.sighted(code.text, now)) continue;
                fresh.push_back(ScanEvent{code.text, code.corners, frame->width, frame->height,
                                          frame->sequence, now, m_clock.now()});
            }
            {
                const std::lock_guard lock(m_mutex);
                ++m_stats.framesDecoded;
                m_stats.sceneChanges = gate.changes();
                m_stats.lastDecodeMs = ms;
                m_hint = advice;
                for (ScanEvent& event : fresh) {
                    if (m_events.size() == m_config.maxQueuedEvents) m_events.pop_front();
                    m_events.push_back(std::move(event));
                    ++m_stats.eventsPosted;
                }
            }
            if (!fresh.empty() && m_notifier) m_notifier();
        } catch (const std::exception& e) {
            spdlog::error("scanner: frame skipped: {}", e.what());
        }
    }
}

}  // namespace hal
