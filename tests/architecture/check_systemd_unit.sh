#!/usr/bin/env bash
# A systemd unit of ours is valid (systemd-analyze verify prints nothing; it exits 0 even on typos, so
# any output fails) and hardened (exposure at most THRESHOLD tenths: 20 = 2.0 on systemd's 0-10
# scale). The unit's installed binary path /usr/bin/NAME is swapped for the built one, which is what
# verify checks for.
# Usage: check_systemd_unit.sh UNIT_FILE BINARY [THRESHOLD]
set -euo pipefail
unit="${1:?unit file}" binary="${2:?binary}" threshold="${3:-20}"
name=$(basename "$binary")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s|/usr/bin/$name |$binary |" "$unit" >"$tmp/$(basename "$unit")"
out=$(systemd-analyze verify "$tmp/$(basename "$unit")" 2>&1 || true)
if [[ -n "$out" ]]; then
  echo "$(basename "$unit"): systemd-analyze verify says:"
  echo "$out"
  exit 1
fi
systemd-analyze security --offline=yes --threshold="$threshold" "$tmp/$(basename "$unit")" | tail -1
