# Every third-party dependency, found once, from Debian 12 packages (scripts/setup installs them).
# Nothing is vendored or downloaded at build time.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

find_package(SDL2 REQUIRED CONFIG)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs videoio)
find_package(ZXing REQUIRED CONFIG)
find_package(CURL REQUIRED)
# libcrypto's HMAC-SHA-1 for the console's TOTP codes (libsodium has no SHA-1); cpp-httplib and libcurl
# already bring it in.
find_package(OpenSSL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(nlohmann_json REQUIRED CONFIG)
find_package(spdlog REQUIRED CONFIG)
find_package(fmt REQUIRED CONFIG)
find_package(CLI11 REQUIRED CONFIG)
find_package(tomlplusplus REQUIRED CONFIG)
find_package(Freetype REQUIRED)
find_package(OpenGL REQUIRED)

pkg_check_modules(imgui REQUIRED IMPORTED_TARGET imgui)
pkg_check_modules(zbar REQUIRED IMPORTED_TARGET zbar)
pkg_check_modules(sodium REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(qrencode REQUIRED IMPORTED_TARGET libqrencode)
# cpp-httplib 0.11.4 is a shared library built with OpenSSL/zlib/brotli: its -DCPPHTTPLIB_* defines
# come only through pkg-config, and without them the ABI mismatches.
pkg_check_modules(httplib REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(microhttpd REQUIRED IMPORTED_TARGET libmicrohttpd)
pkg_check_modules(libsystemd REQUIRED IMPORTED_TARGET libsystemd)

if(KIOSK_BUILD_TESTS)
  find_package(GTest REQUIRED CONFIG)
  include(GoogleTest)
endif()
