"""``camera-monitor bench --relay``: the relay against a naive forwarder, same senders and monitors, one run.

Senders: ``SENDER_PROCESSES`` REQ processes sending pre-encoded JPEGs (stamped with ``sent_at``) under
``--tiles`` camera names at ``--fps`` each into the relay's hub. Monitors: ``MONITORS`` subscriber
processes that count frames and measure latency (receive time minus ``sent_at``). Each relay runs
two windows: all monitors reading, then one monitor stopped with SIGSTOP (a hung or suspended
viewer). Printed: the relay's CPU per forwarded frame, its memory, and the other monitors' latency
in both windows. The naive forwarder replies to REQ senders and sends every message on a PUB socket
with libzmq's default queue (``SNDHWM`` 1000) and no checks, the loop most of us would write first.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from monitor_app.core.net import free_port

SENDER_PROCESSES = 4
MONITORS = 4
SETTLE_S = 3.0

_SENDER = r"""
import json, sys, time, zmq, numpy as np, cv2
endpoint, names, fps = sys.argv[1], sys.argv[2].split(","), float(sys.argv[3])
frames = []
for i in range(8):
    image = np.zeros((360, 640, 3), np.uint8); image[:, :, 1] = 30 * i
    cv2.putText(image, str(i), (200, 240), cv2.FONT_HERSHEY_SIMPLEX, 6, (255, 255, 255), 12)
    frames.append(cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes())
ctx = zmq.Context(); sock = ctx.socket(zmq.REQ); sock.setsockopt(zmq.LINGER, 0); sock.connect(endpoint)
n, started = 0, time.monotonic()
while True:
    for name in names:
        sock.send_multipart([json.dumps({"msg": name, "sent_at": time.time()}).encode(), frames[n % 8]])
        if not sock.poll(2000):
            sock.close(); sock = ctx.socket(zmq.REQ); sock.setsockopt(zmq.LINGER, 0); sock.connect(endpoint)
        else:
            sock.recv()
    n += 1
    time.sleep(max(0.0, started + n / fps - time.monotonic()))
"""

_MONITOR = r"""
import json, signal, sys, time, zmq
ctx = zmq.Context(); sock = ctx.socket(zmq.SUB); sock.setsockopt(zmq.SUBSCRIBE, b""); sock.connect(sys.argv[1])
frames, latencies = 0, []
def report(*_):
    global frames
    latencies.sort()
    pick = lambda q: round(1000 * latencies[int(q * (len(latencies) - 1))], 1) if latencies else None
    print(json.dumps({"frames": frames, "latency_ms_p50": pick(0.5), "latency_ms_p99": pick(0.99)}), flush=True)
    latencies.clear(); frames = 0
signal.signal(signal.SIGUSR1, report)
while True:
    if sock.poll(100):
        header = sock.recv_multipart()[0]
        frames += 1
        sent = json.loads(header).get("sent_at")
        if sent: latencies.append(time.time() - sent)
"""

_NAIVE = r"""
import sys, zmq
ctx = zmq.Context(); hub = ctx.socket(zmq.ROUTER); hub.bind(sys.argv[1])
pub = ctx.socket(zmq.PUB); pub.bind(sys.argv[2])
while True:
    parts = hub.recv_multipart()
    hub.send_multipart([parts[0], b"", b"OK"])
    pub.send_multipart(parts[2:])
"""


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    return round(int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )


def _window(relay: subprocess.Popen[Any], monitors: list[subprocess.Popen[str]], seconds: float) -> dict[str, Any]:
    """Measure one window: the relay's CPU and memory, and each running monitor's frames and latency."""
    for m in monitors:
        m.send_signal(signal.SIGUSR1)  # resets the latencies; the first report is thrown away
        assert m.stdout is not None
        m.stdout.readline()
    cpu0 = _cpu_s(relay.pid)
    time.sleep(seconds)
    cpu = _cpu_s(relay.pid) - cpu0
    reports = []
    for m in monitors:
        m.send_signal(signal.SIGUSR1)
        assert m.stdout is not None
        reports.append(json.loads(m.stdout.readline()))
    return {"relay_cpu_s": round(cpu, 3), "relay_rss_mb": _rss_mb(relay.pid), "monitors": reports}


def _phase(label: str, tiles: int, fps: float, seconds: float, progress: Any) -> dict[str, Any]:
    hub, publish = f"tcp://127.0.0.1:{free_port()}", f"tcp://127.0.0.1:{free_port()}"
    if label == "ours":
        relay = subprocess.Popen(
            [sys.executable, "-m", "monitor_app", "relay", "--hub", hub, "--publish", publish],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    else:
        relay = _python(_NAIVE, hub, publish)  # type: ignore[assignment]
    names = [f"cam{i:02d}" for i in range(tiles)]
    groups = [names[i::SENDER_PROCESSES] for i in range(SENDER_PROCESSES)]
    procs: list[subprocess.Popen[Any]] = [relay]
    try:
        procs += [_python(_SENDER, hub, ",".join(g), str(fps)) for g in groups if g]
        monitors = [_python(_MONITOR, publish) for _ in range(MONITORS)]
        procs += monitors
        time.sleep(SETTLE_S)
        progress(f"{label}: all {MONITORS} monitors reading")
        reading = _window(relay, monitors, seconds)
        monitors[-1].send_signal(signal.SIGSTOP)
        progress(f"{label}: one monitor stopped (SIGSTOP)")
        time.sleep(SETTLE_S)  # let its queues fill
        stopped = _window(relay, monitors[:-1], seconds)
        monitors[-1].send_signal(signal.SIGCONT)
    finally:
        for p in procs:
            p.kill()
        for p in procs:
            p.wait(10)
    for window in (reading, stopped):
        delivered = sum(r["frames"] for r in window["monitors"])
        forwarded = delivered / len(window["monitors"])
        window["forwarded_fps"] = round(forwarded / seconds, 1)
        window["relay_cpu_ms_per_forwarded_frame"] = (
            round(1000 * window["relay_cpu_s"] / forwarded, 3) if forwarded else None
        )
        window["relay_cpu_ms_per_delivered_frame"] = (
            round(1000 * window["relay_cpu_s"] / delivered, 3) if delivered else None
        )
    return {"reading": reading, "one_monitor_stopped": stopped}


def main(tiles: int, fps: float, seconds: float, json_path: str | None) -> int:
    def progress(text: str) -> None:
        print(f"  {text}", file=sys.stderr, flush=True)

    config = {"tiles": tiles, "fps": fps, "seconds": seconds, "monitors": MONITORS, "frame": "640x360 JPEG q80"}
    progress(f"{tiles} cameras at {fps:g} fps in, {MONITORS} monitors out, {seconds:g} s per window")
    results = {label: _phase(label, tiles, fps, seconds, progress) for label in ("ours", "naive")}

    def p99(label: str, window: str) -> float:
        return max(m["latency_ms_p99"] or 0 for m in results[label][window]["monitors"])

    document = {
        "bench": "relay",
        "config": config,
        **results,
        "rss_growth_with_a_stopped_monitor_mb": {label: _growth(results[label]) for label in results},
        "ratio": {
            "cpu_per_forwarded_frame_ours_over_naive": _ratio(
                results["ours"]["reading"]["relay_cpu_ms_per_forwarded_frame"],
                results["naive"]["reading"]["relay_cpu_ms_per_forwarded_frame"],
            ),
            "others_p99_latency_stopped_over_reading_ours": _ratio(
                p99("ours", "one_monitor_stopped"), p99("ours", "reading")
            ),
        },
    }
    text = json.dumps(document, indent=1)
    print(text)
    if json_path:
        Path(json_path).write_text(text + "\n")
    return 0


def _growth(result: dict[str, Any]) -> float:
    """How much the relay grew once a monitor stopped reading (its queue filling)."""
    return round(result["one_monitor_stopped"]["relay_rss_mb"] - result["reading"]["relay_rss_mb"], 1)


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None
