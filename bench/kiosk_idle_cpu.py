#!/usr/bin/env python3
"""Idle CPU of the real kiosk on Attract while its virtual camera sees an empty counter.

usage: bench/kiosk_idle_cpu.py [--seconds 25] [--runs 3] [--fps 2,10,15] [--scenes still,live,noise] KIOSK...

Every KIOSK binary given (e.g. the build before and after a change) runs side by side in each run, so
they are measured at the same moment under the same load. Per binary, camera fps and scene: the CPU
time of the kiosk process (utime + stime from /proc/PID/stat) over --seconds, after 3 s of warm-up,
as % of one core; the table gives the median of --runs runs and the range.

Scenes (1280x720, `make_qr_testset --counter`, found next to the first KIOSK binary):
  still  the picture shown through the automation socket's "camera" command: every frame identical
  live   an MJPG video of the same picture with fresh sensor noise in every frame (ffmpeg's noise
         filter), played in real time and looped: what a real camera delivers. Most of its cost is the
         virtual camera decoding the MJPG stream, as a real MJPG camera's would be.
  noise  a still picture of pure noise (the worst case for the decoder: texture everywhere), shown
         like "still"

The kiosk runs offline (central URL on a closed port), printer driver "none", under its own Xvfb.
Needs Xvfb and ffmpeg. DEVELOPMENT ONLY: it uses the demo configuration's settings otherwise.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def kiosk_config(out, scene, fps, device):
    text = open(os.path.join(ROOT, "assets/config/kiosk-demo.toml")).read()
    replacements = [
        (r'(?m)^assets_dir = .*$', f'assets_dir = "{ROOT}/assets"'),
        (r'"\.\./samples/', f'"{ROOT}/assets/samples/'),
        (r'(?m)^url = .*$', 'url = "http://127.0.0.1:9"'),
        (r'(?m)^fps = .*$', f"fps = {fps}"),
        (r'(?m)^device = "".*$', f'device = "{device}"'),
        (r'(?m)^driver = "escpos-tcp".*$', 'driver = "none"'),
    ]
    for pattern, value in replacements:
        text, count = re.subn(pattern, value.replace("\\", "\\\\"), text)
        if count == 0:
            sys.exit(f"kiosk_idle_cpu: kiosk-demo.toml has no line matching {pattern}")
    path = os.path.join(out, f"kiosk-{scene}-{fps}.toml")
    open(path, "w").write(text)
    return path


def automation(sock_path, command):
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(sock_path)
        f = s.makefile("rw")
        f.write(command + "\n")
        f.flush()
        answer = f.readline()
    if '"ok":true' not in answer.replace(" ", ""):
        sys.exit(f"kiosk_idle_cpu: {command} -> {answer}")


def measure(binaries, config, still_image, seconds, out, env):
    procs = []
    for i, binary in enumerate(binaries):
        sock = os.path.join(out, f"k{i}.sock")
        data = tempfile.mkdtemp(dir=out)
        log = open(os.path.join(out, f"kiosk{i}.log"), "a")
        proc = subprocess.Popen([binary, "--config", config, "--data-dir", data, "--automation", sock],
                                stdout=log, stderr=subprocess.STDOUT, env=env)
        procs.append((proc, sock))
    try:
        for proc, sock in procs:
            for _ in range(200):
                if os.path.exists(sock) or proc.poll() is not None:
                    break
                time.sleep(0.05)
            if not os.path.exists(sock):
                sys.exit(f"kiosk_idle_cpu: the kiosk did not start (see {out}/kiosk*.log)")
            if still_image:
                automation(sock, f'{{"cmd":"camera","image":"{still_image}"}}')
        time.sleep(3)
        before = [cpu_ticks(proc.pid) for proc, _ in procs]
        time.sleep(seconds)
        after = [cpu_ticks(proc.pid) for proc, _ in procs]
    finally:
        for proc, _ in procs:
            proc.send_signal(signal.SIGTERM)
        for proc, _ in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    hz = os.sysconf("SC_CLK_TCK")
    return [(a - b) / hz / seconds * 100 for a, b in zip(after, before)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=25)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fps", type=lambda text: [int(v) for v in text.split(",")], default=[2, 10, 15],
                        help="camera frame rates, comma-separated")
    parser.add_argument("--scenes", type=lambda text: text.split(","), default=["still", "live", "noise"],
                        help="still,live,noise (comma-separated)")
    parser.add_argument("kiosk", nargs="+", help="kiosk binaries to compare")
    args = parser.parse_args()
    # A stopped benchmark stops its kiosks and Xvfb too (the finally blocks run on SystemExit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("kiosk_idle_cpu: stopped"))
    if not set(args.scenes) <= {"still", "live", "noise"}:
        parser.error("--scenes takes still, live and/or noise")
    binaries = [os.path.abspath(b) for b in args.kiosk]
    make_testset = os.path.join(os.path.dirname(binaries[0]), "make_qr_testset")
    for tool in ["Xvfb", "ffmpeg"]:
        if shutil.which(tool) is None:
            sys.exit(f"kiosk_idle_cpu: {tool} is not installed")

    out = tempfile.mkdtemp(prefix="kiosk-idle-cpu.")
    picture = os.path.join(out, "counter.png")
    video = os.path.join(out, "counter-live.avi")
    noise = os.path.join(out, "noise.png")
    subprocess.run([make_testset, "--counter", picture, "5"], check=True)
    # 30 frames, each with its own noise (about sigma 7 gray levels), MJPG like a USB camera's stream.
    subprocess.run(["ffmpeg", "-loglevel", "error", "-loop", "1", "-i", picture, "-vf", "noise=alls=12:allf=t",
                    "-frames:v", "30", "-c:v", "mjpeg", "-q:v", "3", video], check=True)
    subprocess.run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=gray:s=1280x720", "-vf",
                    "noise=alls=100", "-frames:v", "1", noise], check=True)
    shown = {"still": picture, "live": None, "noise": noise}

    display_r, display_w = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(display_w), "-screen", "0", "1080x1920x24", "-nolisten",
                             "tcp"], pass_fds=[display_w], stderr=subprocess.DEVNULL)
    os.close(display_w)
    display = os.read(display_r, 16).decode().strip()
    env = dict(os.environ, DISPLAY=f":{display}")
    try:
        print(f"kiosk idle CPU on Attract, % of one core, median of {args.runs} runs of {args.seconds:g} s "
              f"(range); load average at start {os.getloadavg()[0]:.1f}")
        print("| scene | fps | " + " | ".join(os.path.basename(b) for b in binaries) + " |")
        print("|---|---|" + "---|" * len(binaries))
        for scene in args.scenes:
            for fps in args.fps:
                config = kiosk_config(out, scene, fps, video if scene == "live" else "")
                samples = [measure(binaries, config, shown[scene], args.seconds, out, env)
                           for _ in range(args.runs)]
                cells = []
                for i in range(len(binaries)):
                    values = [run[i] for run in samples]
                    cells.append(f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})")
                print(f"| {scene} | {fps} | " + " | ".join(cells) + " |", flush=True)
        print(f"load average at end {os.getloadavg()[0]:.1f}; logs in {out}")
    finally:
        xvfb.terminate()
        xvfb.wait()


if __name__ == "__main__":
    main()
