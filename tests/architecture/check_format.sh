#!/usr/bin/env bash
# Fails when a tracked C++ file differs from the house .clang-format (fix: clang-format -i FILE).
set -euo pipefail
cd "${1:?source dir}"
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h')
clang-format --dry-run --Werror "${files[@]}"
echo "format: ok (${#files[@]} files)"
