// The kiosk's configuration file parser (kiosk/src/app/config.hpp): any TOML text. Invariants: an
// accepted file satisfies every documented range (language, timeouts, staff PIN, receipt age, camera
// size, store ids, reward points), and parsing the same text twice gives the same configuration.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/config.hpp"
#include "fuzz_check.hpp"
#include "loyalty/receipt_token.hpp"

namespace {

void checkRanges(const kiosk::KioskConfig& c) {
    using std::chrono::seconds;
    FUZZ_CHECK(c.language == "vi" || c.language == "en");
    FUZZ_CHECK(c.idleTimeout >= seconds{10} && c.idleTimeout <= seconds{3600});
    FUZZ_CHECK(c.countdownFrom >= seconds{0} && c.countdownFrom < c.idleTimeout);
    FUZZ_CHECK(c.staffPin.empty() || (c.staffPin.size() >= 4 && c.staffPin.size() <= 8 &&
                                      c.staffPin.find_first_not_of("0123456789") == std::string::npos));
    FUZZ_CHECK(c.receiptMaxAge >= std::chrono::days{1} && c.receiptMaxAge <= std::chrono::days{3650});
    FUZZ_CHECK(c.camera.width >= 16 && c.camera.width <= 8192 && c.camera.height >= 16 &&
               c.camera.height <= 8192 && c.camera.fps >= 1 && c.camera.fps <= 120);
    for (const auto& key : c.storeKeys) FUZZ_CHECK(loyalty::isValidStoreId(key.store));
    for (const auto& reward : c.rewards) FUZZ_CHECK(!reward.id.empty() && reward.points > 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto config = kiosk::parseKioskConfig(text, "/nonexistent/fuzz");
    const auto again = kiosk::parseKioskConfig(text, "/nonexistent/fuzz");
    FUZZ_CHECK(config.has_value() == again.has_value());
    if (!config) {
        FUZZ_CHECK(!config.error().empty() && config.error() == again.error());
        return 0;
    }
    checkRanges(*config);
    FUZZ_CHECK(config->kioskId == again->kioskId && config->credential == again->credential &&
               config->dataDir == again->dataDir && config->storeKeys.size() == again->storeKeys.size() &&
               config->rewards.size() == again->rewards.size());
    return 0;
}
