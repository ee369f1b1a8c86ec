#include "devices.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "hal/printer_registry.hpp"

namespace kiosk {
namespace {

void openPrinter(const KioskConfig& config, Devices& devices) {
    hal::PrinterConfig printer;
    printer.driver = config.printerDriver;
    printer.address = config.printerAddress;
    auto created = hal::PrinterRegistry::withBuiltins().create(printer);
    if (!created) {
        throw std::runtime_error("[printer] " + created.error());
    }
    auto text = hal::TextRaster::openNoto();
    if (!text) {
        throw std::runtime_error("printer fonts: " + text.error());
    }
    devices.printer = std::move(*created);
    devices.ticketText = std::make_unique<hal::TextRaster>(std::move(*text));
    // The shop's logo heads every voucher; a missing or broken file costs the logo, not the print.
    const auto logoPath = config.assetsDir / "images" / "logo.png";
    if (auto logo = hal::loadBitmap(logoPath, devices.printer->widthDots() * 2 / 3)) {
        devices.ticketLogo = std::make_shared<const hal::Bitmap>(std::move(*logo));
        devices.localLogo = true;
    } else {
        spdlog::warn("vouchers print without a logo: {}", logo.error());
    }
}

}  // namespace

std::unique_ptr<Devices> Devices::fromConfig(const KioskConfig& config) {
    auto devices = std::make_unique<Devices>();
    auto camera = hal::makeCamera(config.camera, devices->clock);
    if (!camera) {
        throw std::runtime_error("[camera] " + camera.error().message);
    }
    devices->camera = std::move(*camera);
    devices->virtualCamera = dynamic_cast<hal::VirtualCamera*>(devices->camera.get());
    devices->scanner = std::make_unique<hal::Scanner>(*devices->camera, devices->clock);
    if (config.printerDriver != "none") {
        openPrinter(config, *devices);
    }
    return devices;
}

}  // namespace kiosk
