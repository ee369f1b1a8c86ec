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
# KIOSK_FUZZ (clang only, the `fuzz` preset): every library of ours gets libFuzzer's coverage
# instrumentation plus ASan and UBSan; fuzz/ links libFuzzer's main into its targets.
if(KIOSK_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "KIOSK_FUZZ needs clang (configure with the fuzz preset)")
  endif()
  target_compile_options(kiosk_project_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(kiosk_project_options INTERFACE -fsanitize=address,undefined)
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
