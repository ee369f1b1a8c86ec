#!/usr/bin/env bash
# A systemd unit of ours is valid (systemd-analyze verify prints nothing; it exits 0 even on typos, so
# any output fails), hardened (exposure at most THRESHOLD tenths: 20 = 2.0 on systemd's 0-10 scale),
# and has what the fleet relies on: Type=notify, a NotifyAccess= and a MemoryMax=, plus each extra
# SETTING given (e.g. WatchdogSec=). The unit's installed binary path /usr/bin/NAME is swapped for the
# built one, which is what verify checks for.
# Usage: check_systemd_unit.sh UNIT_FILE BINARY [THRESHOLD [SETTING=...]]
set -euo pipefail
unit="${1:?unit file}" binary="${2:?binary}" threshold="${3:-20}"
shift $(($# < 3 ? $# : 3))
name=$(basename "$binary")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
copy="$tmp/$(basename "$unit")"
sed "s|/usr/bin/$name |$binary |" "$unit" >"$copy"

missing=()
for setting in Type=notify NotifyAccess= MemoryMax= "$@"; do
  grep -q "^$setting" "$copy" || missing+=("$setting")
done
if ((${#missing[@]})); then
  echo "$(basename "$unit"): missing ${missing[*]}"
  exit 1
fi

out=$(systemd-analyze verify "$copy" 2>&1 || true)
if [[ -n "$out" ]]; then
  echo "$(basename "$unit"): systemd-analyze verify says:"
  echo "$out"
  exit 1
fi
systemd-analyze security --offline=yes --threshold="$threshold" "$copy" | tail -1
