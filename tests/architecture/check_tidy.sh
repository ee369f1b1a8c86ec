#!/usr/bin/env bash
# Runs clang-tidy-19 with the root .clang-tidy over the C++ files a change touches: those that differ
# from the merge base with $KIOSK_TIDY_BASE (default: main), or, when there is no difference (on main
# itself), the files of the last commit. A touched header brings the .cpp files of the same name.
# The whole tree costs ~3 s of CPU per file (≈ 20 min on 2 cores), too long for every run:
# `KIOSK_TIDY_ALL=1` checks every file in compile_commands.json, `KIOSK_TIDY_ALL=kiosk/` those under a folder.
# Usage: check_tidy.sh SOURCE_DIR BUILD_DIR. Exit 77 (skipped) when clang-tidy-19 is not installed.
set -euo pipefail
src="${1:?source dir}"
build="${2:?build dir with compile_commands.json}"
tidy="$(command -v clang-tidy-19 || true)"
if [[ -z "$tidy" ]]; then
  echo "clang-tidy-19 not installed (scripts/setup installs it): skipped"
  exit 77
fi
cd "$src"
mapfile -t known < <(grep -o '"file": "[^"]*"' "$build/compile_commands.json" | sed 's/"file": "//; s/"$//' |
  sed "s|^$PWD/||" | sort -u)
if [[ "${KIOSK_TIDY_ALL:-0}" == 1 ]]; then
  touched=("${known[@]}")
elif [[ "${KIOSK_TIDY_ALL:-0}" != 0 ]]; then
  mapfile -t touched < <(printf '%s\n' "${known[@]}" | grep "^$KIOSK_TIDY_ALL" || true)
else
  base="${KIOSK_TIDY_BASE:-main}"
  git rev-parse -q --verify "$base" > /dev/null || base=HEAD~1
  range="$(git merge-base HEAD "$base")"
  [[ "$range" == "$(git rev-parse HEAD)" ]] && range=HEAD~1
  mapfile -t changed < <({ git diff --name-only --diff-filter=d "$range" -- '*.cpp' '*.hpp'
    git ls-files --others --exclude-standard -- '*.cpp' '*.hpp'; } | sort -u)
  touched=()
  for file in "${changed[@]}"; do
    stem="${file%.*}"
    stem="${stem##*/}"
    for candidate in "${known[@]}"; do
      if [[ "$candidate" == "$file" || ("$file" == *.hpp && "${candidate##*/}" == "$stem.cpp") ]]; then
        touched+=("$candidate")
      fi
    done
  done
fi
mapfile -t touched < <(printf '%s\n' "${touched[@]}" | grep -v '^$' | sort -u)
if ((${#touched[@]} == 0)); then
  echo "tidy: no C++ file of the build touched"
  exit 0
fi
printf '%s\n' "${touched[@]}" | xargs -P 2 -n 4 "$tidy" -p "$build" --quiet 2> /dev/null
echo "tidy: ok (${#touched[@]} files)"
