#!/usr/bin/env bash
# systemd/kiosk.service: valid (systemd-analyze verify prints nothing; it exits 0 even on typos, so
# any output fails) and hardened (exposure at most THRESHOLD tenths: 20 = 2.0 on systemd's 0-10 scale). The installed path of the binary
# is swapped for the built one, which is what verify checks for.
# Usage: check_unit.sh SOURCE_DIR KIOSK_BINARY [THRESHOLD]
set -euo pipefail
src="${1:?source dir}" binary="${2:?kiosk binary}" threshold="${3:-20}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s|/usr/bin/kiosk|$binary|" "$src/systemd/kiosk.service" >"$tmp/kiosk.service"
out=$(systemd-analyze verify "$tmp/kiosk.service" 2>&1 || true)
if [[ -n "$out" ]]; then
  echo "kiosk.service: systemd-analyze verify says:"
  echo "$out"
  exit 1
fi
systemd-analyze security --offline=yes --threshold="$threshold" "$tmp/kiosk.service" | tail -1
