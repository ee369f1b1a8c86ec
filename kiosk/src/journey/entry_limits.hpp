#pragma once
// How many digits the journey's keypads take (journey.cpp checks them, screens.cpp shows them).

#include <cstddef>

namespace kiosk {

inline constexpr std::size_t kPhoneDigits = 10;
inline constexpr std::size_t kOtpDigits = 6;
inline constexpr std::size_t kStaffPinMaxDigits = 8;
inline constexpr std::size_t kStaffPinMinDigits = 4;

}  // namespace kiosk
