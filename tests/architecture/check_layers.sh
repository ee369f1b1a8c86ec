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
# only_includes FOLDER REGEX WHY — every #include under FOLDER must match REGEX (an allow-list: a library
# or a sibling folder not named above, e.g. <nlohmann/json.hpp> or "app/adapter.hpp", is caught too).
only_includes() {
  local folder="$1" allowed="$2" why="$3" hits
  hits=$(grep -rnE --include='*.hpp' --include='*.cpp' '^[[:space:]]*#[[:space:]]*include' "$root/$folder" |
    sed "s|$root/||" | grep -vE "^[^:]+:[0-9]+:[[:space:]]*#[[:space:]]*include[[:space:]]*($allowed)" || true)
  if [[ -n "$hits" ]]; then
    echo "layering: $folder may include only ($why):"
    echo "$hits"
    failed=1
  fi
}
# The standard library (<name>, no folder, no .h), loyalty/, the core's own kiosk/ headers and ui's view types.
core_allowed='<[a-z_]+>|"loyalty/[a-z_]+\.hpp"|"kiosk/[a-z_]+\.hpp"|"ui/(view|strings)\.hpp"'
only_includes kiosk/include/kiosk "$core_allowed" "the standard library, loyalty/, kiosk/*.hpp, ui/view.hpp, ui/strings.hpp"
only_includes kiosk/src/journey "$core_allowed" "the standard library, loyalty/, kiosk/*.hpp, ui/view.hpp, ui/strings.hpp"

# No production file of the kiosk over 500 lines (issue 10; functions over 80 lines: .clang-tidy).
too_long=$(find "$root/kiosk" -name '*.cpp' -o -name '*.hpp' | xargs wc -l | grep -v ' total$' |
  awk '$1 > 500 {print}' | sed "s|$root/||" || true)
if [[ -n "$too_long" ]]; then
  echo "size: files of kiosk/ over 500 lines (split them):"
  echo "$too_long"
  failed=1
fi

# central's house (docs/architecture.md, "Central's house"): api/ -> ops/ -> store/. SQL is written in
# store/ and the database adapters only; JSON is included by api/ and the few files listed. The
# service_*.cpp files not yet split into ops/ and store/ are listed by name: the lists only shrink.
# The console's member merge and reports (issue 14) were written beside the claim path's split (issue
# 11) in the same session and still hold their own SQL: listed until their stores are written.
central_unsplit='central/src/service(_admin)?\.cpp|central/src/ops/(member_merge|console_reports)\.cpp|central/src/api/console_members_api\.cpp'
# only_in WHAT REGEX ALLOWED WHY — lines of central/ matching REGEX (comments aside) only in ALLOWED paths.
only_in() {
  local what="$1" pattern="$2" allowed="$3" why="$4" hits
  hits=$(grep -rnE --include='*.hpp' --include='*.cpp' "$pattern" "$root/central" | sed "s|$root/||" |
    grep -vE '^[^:]+:[0-9]+:[[:space:]]*//' | grep -vE "^($allowed)" || true)
  if [[ -n "$hits" ]]; then
    echo "layering: $what outside its layer ($why):"
    echo "$hits"
    failed=1
  fi
}
only_in "SQL" '"[^"]*\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)\b' \
  "central/src/store/|central/src/(schema|database|sqlite_connection|postgres_connection)\.cpp|$central_unsplit" \
  "SQL is the store layer's"
only_in "nlohmann JSON" '^[[:space:]]*#[[:space:]]*include[[:space:]]*<nlohmann/' \
  "central/src/api/|central/(include/central|src)/api_error\.[ch]pp|central/include/central/service\.hpp|central/src/otp_notifier\.cpp" \
  "JSON is the api layer's; the error body, the webhook notifier and the unsplit Service still speak it"
forbid central/src/store "central/service|central/http_api|api/|ops/|nlohmann" "the store knows no request, rule or JSON"
forbid central/src/ops "api/|central/http_api|httplib" "operations know no HTTP and no codec"

if ((failed)); then exit 1; fi
echo "layering: ok"
