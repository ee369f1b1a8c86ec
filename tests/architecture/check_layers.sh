#!/usr/bin/env bash
# Enforces the dependency direction of ARCHITECTURE.md on #include lines. CMake targets already keep
# our own folders' headers out of reach, but system headers (SDL, curl, sqlite3 …) sit in /usr/include
# where any target finds them — this check closes that gap.
# Usage: check_layers.sh SOURCE_DIR
set -euo pipefail
root="${1:?source dir}"
failed=0

# forbid FOLDER REGEX WHY — no file under FOLDER may #include a header matching REGEX.
forbid() {
  local folder="$1" pattern="$2" why="$3"
  [[ -d "$root/$folder" ]] || return 0
  local hits
  hits=$(grep -rnE --include='*.hpp' --include='*.cpp' --include='*.h' \
    "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pattern)" "$root/$folder" || true)
  if [[ -n "$hits" ]]; then
    echo "layering: $folder must not include ($why):"
    echo "$hits" | sed "s|$root/||"
    failed=1
  fi
}

ours_above_loyalty='hal/|ui/|network/|kiosk/|central/'
gui='SDL|imgui|backends/imgui'
io_libs='curl/|sqlite3|libpq|postgresql/|httplib'
vision='opencv2/|zbar|ZXing/'

forbid loyalty "$ours_above_loyalty" "the domain depends on nothing of ours"
forbid loyalty "$gui|$io_libs|$vision|fstream|iostream|filesystem" "the domain is pure C++, no I/O"
forbid hal "ui/|network/|kiosk/|central/" "hal depends on loyalty at most"
forbid hal "$gui|$io_libs" "hal has no UI, network or database"
forbid network "hal/|ui/|kiosk/|central/" "network depends on loyalty at most"
forbid network "$gui|$vision|sqlite3|libpq" "network is the libcurl client only"
forbid ui "hal/|network/|kiosk/|central/" "ui draws what kiosk hands it"
forbid ui "$io_libs|$vision" "ui owns no I/O and no business rule"
forbid central "hal/|ui/|network/|kiosk/" "central depends on loyalty only"
forbid central "$gui|$vision" "central has no UI or camera"
forbid kiosk "central/" "the kiosk talks to central over HTTP only"
# The journey core (kiosk_core) speaks its own vocabulary (kiosk/model.hpp); the app's adapter maps.
kiosk_core_forbidden='hal/|network/|kiosk/sync/|ui/host|ui/canvas'
forbid kiosk/include/kiosk "$kiosk_core_forbidden|$gui|$io_libs|$vision" "the journey core is pure: loyalty, ui views, its own headers"
forbid kiosk/src/journey "$kiosk_core_forbidden|$gui|$io_libs|$vision" "the journey core is pure: loyalty, ui views, its own headers"

if ((failed)); then exit 1; fi
echo "layering: ok"
