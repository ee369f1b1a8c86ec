#!/usr/bin/env python3
"""How long the staff gesture (5 automation taps on Attract's `staff` corner) takes, and whether it opens
the PIN screen, on the real kiosk under its own 1080x1920 Xvfb.

usage: bench/staff_gesture.py [--rounds 3] [--gestures 3] KIOSK...

Each round runs every KIOSK binary given (e.g. the build before and after a change) one after the other,
so they are measured under the same load; each run makes --gestures gestures. Per binary: the median
time of the five taps (ms, from the first tap sent to the fifth answered), its range, how many gestures
opened `staff_pin` (the window is 4 s of the kiosk's clock), and the median painted frame's time.
The kiosk runs the demo configuration offline (its own data directory). DEVELOPMENT ONLY.
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import tempfile
import time


def run(kiosk, gestures):
    work = tempfile.mkdtemp(prefix="staff-gesture.")
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1080x1920x24", "-nolisten", "tcp"],
                            pass_fds=[write], stderr=subprocess.DEVNULL)
    env = dict(os.environ, DISPLAY=":" + os.read(read, 16).decode().strip(), SDL_VIDEODRIVER="x11")
    path = os.path.join(work, "kiosk.sock")
    app = subprocess.Popen([kiosk, "--demo", "--automation", path, "--data-dir", os.path.join(work, "data")],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = []
    try:
        for _ in range(300):
            if os.path.exists(path):
                break
            time.sleep(0.1)
        conn = socket.socket(socket.AF_UNIX)
        conn.connect(path)
        lines = conn.makefile()

        def send(request):
            conn.sendall((json.dumps(request) + "\n").encode())
            return json.loads(lines.readline())

        while send({"cmd": "state"}).get("screen") != "attract":
            time.sleep(0.1)
        time.sleep(1)
        for _ in range(gestures):
            start = time.monotonic()
            for _ in range(5):
                send({"cmd": "tap", "id": "staff"})
            took = (time.monotonic() - start) * 1000
            state = send({"cmd": "state"})
            results.append((took, state.get("screen") == "staff_pin", state.get("last_frame_ms", 0)))
            send({"cmd": "idle", "advance_ms": 600000})  # the PIN screen times out back to Attract
            while send({"cmd": "state"}).get("screen") != "attract":
                time.sleep(0.1)
    finally:
        app.terminate()
        app.wait()
        xvfb.terminate()
        xvfb.wait()
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--gestures", type=int, default=3)
    parser.add_argument("kiosk", nargs="+")
    args = parser.parse_args()
    results = {k: [] for k in args.kiosk}
    for _ in range(args.rounds):
        for kiosk in args.kiosk:
            results[kiosk] += run(kiosk, args.gestures)
    print(f"load: {os.getloadavg()[0]:.1f}")
    print("kiosk | 5 taps, median ms (range) | opened staff_pin | frame ms, median")
    for kiosk, rows in results.items():
        taps = [r[0] for r in rows]
        print(f"{kiosk} | {statistics.median(taps):.0f} ({min(taps):.0f}-{max(taps):.0f}) | "
              f"{sum(r[1] for r in rows)}/{len(rows)} | {statistics.median(r[2] for r in rows):.0f}")


if __name__ == "__main__":
    main()
