# Project-wide compile flags: applied to every target of ours through kiosk_project_options.
add_library(kiosk_project_options INTERFACE)
target_compile_options(kiosk_project_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(KIOSK_WERROR)
  target_compile_options(kiosk_project_options INTERFACE -Werror)
endif()
if(KIOSK_SANITIZE)
  target_compile_options(kiosk_project_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(kiosk_project_options INTERFACE -fsanitize=address,undefined)
endif()
# KIOSK_FUZZ (the `asan` preset, clang only): every library of ours also gets libFuzzer's coverage
# instrumentation, so the one sanitizer tree runs the tests and the fuzzers of fuzz/ (which link
# libFuzzer's main). Outside a fuzzer the coverage hooks are the sanitizer runtime's no-ops.
if(KIOSK_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR NOT KIOSK_SANITIZE)
    message(FATAL_ERROR "KIOSK_FUZZ needs clang and KIOSK_SANITIZE (configure with the asan preset)")
  endif()
  target_compile_options(kiosk_project_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
# libstdc++ 12's std::stable_sort calls std::get_temporary_buffer, deprecated in C++17; clang reports
# it at our call sites. g++ (build/) still turns our own deprecated calls into errors.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(kiosk_project_options INTERFACE -Wno-deprecated-declarations)
endif()

# kiosk_add_library(NAME ...sources) — a static library of one folder, with our flags.
function(kiosk_add_library name)
  add_library(${name} STATIC ${ARGN})
  target_link_libraries(${name} PRIVATE kiosk_project_options)
endfunction()

function(kiosk_add_executable name)
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE kiosk_project_options)
endfunction()
