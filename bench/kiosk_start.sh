#!/usr/bin/env bash
# The kiosk's cold start and memory, as medians over several starts (docs/performance.md, "Kiosk start
# and memory"). Each run starts the real kiosk (--demo, offline: no central) on one private Xvfb at
# 1080x1920 with a fresh data dir and reads:
#   - first frame: the kiosk's own log line "first frame N ms after start" (main() to the first
#     presented frame);
#   - RSS on Attract: VmRSS 2 s after the first frame (automation `state`, rss_kb);
#   - RSS after a journey: Attract -> Scan -> a receipt under the virtual camera -> Phone, all screens'
#     fonts and the camera path used: VmRSS and VmHWM (the peak) from /proc/PID/status;
#   - frame time: the median of `last_frame_ms` after each of 10 digits typed on Phone (a full redraw of
#     the 1080x1920 keypad screen each).
# Usage: bench/kiosk_start.sh [RUNS] [VARIANT...]   (default 5 runs of one variant: this build)
#   A VARIANT is "LABEL:BIN_DIR:KIOSK_ARGS[:SEED_DIR]", e.g. "gpu:build/bin:--renderer gpu". With several,
#   each run starts every variant once, one after the other, so the box's load falls on all of them alike.
#   SEED_DIR: a kiosk data dir copied in before each start (e.g. one holding central's cached config
#   with the chain's fonts, which the kiosk applies before its first frame).
# Env: KIOSK_BIN (default build/bin) for the default variant; KIOSK_ENV: extra environment for every
# kiosk, e.g. KIOSK_ENV="SDL_RENDER_DRIVER=software".
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
variants=("$@")
((${#variants[@]})) || variants=("this build:${KIOSK_BIN:-build/bin}:")
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
first_bin=${variants[0]#*:}
"${first_bin%%:*}/kioskctl" receipt sign --key assets/samples/DEV001.key --store DEV001 \
  --receipt "BENCH-$$" --amount 1250000 --items 3 --qr "$work/receipt.png" >/dev/null

for run in $(seq "$runs"); do
  for index in "${!variants[@]}"; do
    IFS=: read -r label bin args seed <<<"${variants[$index]}"
    dir=$work/run-$run-$index
    mkdir -p "$dir"
    [[ -n "$seed" ]] && cp -r "$seed" "$dir/data"
    # shellcheck disable=SC2086 # KIOSK_ENV and args are lists of words
    env ${KIOSK_ENV:-} "$bin/kiosk" --demo --data-dir "$dir/data" --automation "$dir/kiosk.sock" $args \
      >"$dir/kiosk.log" 2>&1 &
    kiosk=$!
    for _ in $(seq 200); do grep -q 'first frame' "$dir/kiosk.log" 2>/dev/null && break; sleep 0.05; done
    (python3 - "$dir" "$work/receipt.png" "$kiosk" <<'PY'
import json, os, re, socket, statistics, sys, time
folder, receipt, pid = sys.argv[1], sys.argv[2], sys.argv[3]
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
frames = []
for digit in "0901234567":
    before = cmd(cmd="state")["frames"]
    cmd(cmd="type", text=digit)
    while (st := cmd(cmd="state"))["frames"] < before + 2 and time.time() < end + 10: time.sleep(0.01)
    frames.append(st["last_frame_ms"])
status = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status"))
kb = lambda field: int(status[field].split()[0])
gl = any(re.search(r"libLLVM|_dri\.so", line) for line in open(f"/proc/{pid}/maps"))
print(f"{first.group(1)} {attract} {kb('VmRSS')} {kb('VmHWM')} {statistics.median(frames):.1f} {int(gl)}")
PY
    ) | sed "s|^|$index |" >>"$work/figures"
    kill "$kiosk"; wait "$kiosk" 2>/dev/null || true
    kiosk=
  done
done
printf '%s\n' "${variants[@]}" >"$work/labels"
python3 - "$work/labels" "$work/figures" <<'PY'
import statistics, sys
labels = [line.rstrip("\n").split(":", 1)[0] for line in open(sys.argv[1])]
rows = [line.split() for line in open(sys.argv[2]) if line.strip()]
mib = lambda kb: f"{float(kb) / 1024:.0f} MiB"
for r in rows:
    print(f"run [{labels[int(r[0])]}]: first frame {r[1]} ms, RSS on Attract {mib(r[2])}, after Scan -> Phone "
          f"{mib(r[3])} (peak {mib(r[4])}), frame {r[5]} ms, Mesa (libLLVM, *_dri) mapped: {'yes' if r[6] == '1' else 'no'}")
for index, label in enumerate(labels):
    mine = [r for r in rows if int(r[0]) == index]
    if not mine: continue
    med = lambda i: statistics.median(float(r[i]) for r in mine)
    print(f"median of {len(mine)} [{label}]: first frame {med(1):.0f} ms; RSS on Attract {mib(med(2))}; "
          f"after Scan -> Phone VmRSS {mib(med(3))}, VmHWM {mib(med(4))}; frame {med(5):.1f} ms")
PY
