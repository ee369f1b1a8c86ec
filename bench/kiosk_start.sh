#!/usr/bin/env bash
# The kiosk's cold start and memory, as medians over several starts (docs/performance.md, "Kiosk start
# and memory"). Each run starts the real kiosk (--demo, offline: no central) on one private Xvfb at
# 1080x1920 with a fresh data dir and reads:
#   - first frame: the kiosk's own log line "first frame N ms after start" (main() to the first
#     presented frame);
#   - RSS on Attract: VmRSS 2 s after the first frame (automation `state`, rss_kb);
#   - RSS after a journey: Attract -> Scan -> a receipt under the virtual camera -> Phone, all screens'
#     fonts and the camera path used.
# Usage: bench/kiosk_start.sh [RUNS]   (default 5). Env: KIOSK_BIN (default build/bin), KIOSK_ENV: extra
# environment for the kiosk, e.g. KIOSK_ENV="SDL_RENDER_DRIVER=software" to measure another renderer.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
bin=${KIOSK_BIN:-build/bin}
work=$(mktemp -d /tmp/kiosk-start.XXXXXX)
xvfb=
kiosk=
cleanup() {
  [[ -n "$kiosk" ]] && kill "$kiosk" 2>/dev/null && wait "$kiosk" 2>/dev/null
  [[ -n "$xvfb" ]] && kill "$xvfb" 2>/dev/null && wait "$xvfb" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

Xvfb -displayfd 3 -screen 0 1080x1920x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb=$!
for _ in $(seq 100); do [[ -s $work/display ]] && break; sleep 0.1; done
export DISPLAY=":$(cat "$work/display")"
"$bin/kioskctl" receipt sign --key assets/samples/DEV001.key --store DEV001 --receipt "BENCH-$$" \
  --amount 1250000 --items 3 --qr "$work/receipt.png" >/dev/null

for run in $(seq "$runs"); do
  dir=$work/run-$run
  mkdir -p "$dir"
  # shellcheck disable=SC2086 # KIOSK_ENV is a list of NAME=VALUE words
  env ${KIOSK_ENV:-} "$bin/kiosk" --demo --data-dir "$dir/data" --automation "$dir/kiosk.sock" \
    >"$dir/kiosk.log" 2>&1 &
  kiosk=$!
  for _ in $(seq 200); do grep -q 'first frame' "$dir/kiosk.log" 2>/dev/null && break; sleep 0.05; done
  (python3 - "$dir" "$work/receipt.png" <<'PY'
import json, os, re, socket, sys, time
folder, receipt = sys.argv[1], sys.argv[2]
log = open(os.path.join(folder, "kiosk.log")).read()
first = re.search(r"first frame (\d+) ms after start", log)
if not first: sys.exit(f"kiosk-start: no first frame in {folder}/kiosk.log:\n{log}")
for _ in range(100):
    if os.path.exists(os.path.join(folder, "kiosk.sock")): break
    time.sleep(0.05)
s = socket.socket(socket.AF_UNIX); s.connect(os.path.join(folder, "kiosk.sock")); f = s.makefile("rw")
def cmd(**c):
    f.write(json.dumps(c) + "\n"); f.flush(); return json.loads(f.readline())
time.sleep(2)
attract = cmd(cmd="state")["rss_kb"]
cmd(cmd="tap", id="start"); cmd(cmd="camera", image=receipt)
end = time.time() + 15
while cmd(cmd="state")["screen"] != "phone" and time.time() < end: time.sleep(0.05)
cmd(cmd="type", text="0901234567")
journey = cmd(cmd="state")["rss_kb"]
print(f"{first.group(1)} {attract} {journey}")
PY
  ) >>"$work/figures"
  kill "$kiosk"; wait "$kiosk" 2>/dev/null || true
  kiosk=
done
python3 -c '
import statistics, sys
rows = [list(map(int, line.split())) for line in sys.stdin if line.strip()]
for row in rows: print(f"run: first frame {row[0]} ms, RSS on Attract {row[1] / 1024:.0f} MiB, after a journey {row[2] / 1024:.0f} MiB")
med = lambda i: statistics.median(r[i] for r in rows)
print(f"median of {len(rows)}: first frame {med(0):.0f} ms; RSS on Attract {med(1) / 1024:.0f} MiB; "
      f"RSS after a journey {med(2) / 1024:.0f} MiB")
' <"$work/figures"
