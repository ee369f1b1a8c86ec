#pragma once
// The kiosk's devices and its one clock, built from kiosk.toml through hal's registries by `main` and
// handed to the App (AP_HAL's device bundle): the App wires devices, it never chooses or creates them,
// so a test rig or another board brings its own bundle.
//
// Not copyable or movable: the camera and the scanner hold references to the clock, the scanner to the
// camera. Members are destroyed in reverse order: printer parts, scanner, camera, then the clock.

#include <memory>

#include "config.hpp"
#include "hal/bitmap.hpp"
#include "hal/camera.hpp"
#include "hal/receipt_printer.hpp"
#include "hal/scanner.hpp"
#include "hal/text_raster.hpp"
#include "hal/virtual_camera.hpp"
#include "steppable_clock.hpp"

namespace kiosk {

struct Devices {
    /// Every device `config` names; throws std::runtime_error naming the section ([camera], [printer])
    /// when one cannot be created. The scanner is built but not started (the App starts it once its
    /// events have somewhere to go).
    [[nodiscard]] static std::unique_ptr<Devices> fromConfig(const KioskConfig& config);

    Devices() = default;
    Devices(const Devices&) = delete;
    Devices& operator=(const Devices&) = delete;

    SteppableClock clock;  ///< the one clock of the kiosk; automation's "advance" moves it
    std::unique_ptr<hal::Camera> camera;
    hal::VirtualCamera* virtualCamera = nullptr;  ///< `camera` when its driver is "virtual"
    std::unique_ptr<hal::Scanner> scanner;
    std::unique_ptr<hal::ReceiptPrinter> printer;  ///< printer worker only; empty: no printer configured
    std::unique_ptr<hal::TextRaster> ticketText;   ///< printer worker only
    /// The logo heading every ticket; null = none. UI thread only: a print job captures its own copy, so
    /// central's logo may replace it between jobs (only when `localLogo` is false).
    std::shared_ptr<const hal::Bitmap> ticketLogo;
    bool localLogo = false;  ///< the kiosk has its own logo file (assets/images/logo.png): it stays
};

}  // namespace kiosk
