"""The storm: one real window against real peers that are killed, frozen and attacked on a schedule.

    python -m tests.soak --minutes 10 [--json summary.json]

Starts 3 imagezmq REQ senders into a hub, 2 imagezmq PUB senders, the RTSP and MJPEG servers of
``shared/tools`` and the app (``--hub``, ``--sub``, ``--url``, ``--stats-json``) on free ports;
kills each peer on its own period and brings it back on the same port 3 s later, freezes the
RTSP server once (SIGSTOP), sends a round of malformed messages every 20 s, and samples the
app's stats, threads and file descriptors every half second. ``analysis.summarise`` turns the
samples into one JSON summary. Everything is bounded: the storm ends on time and stops every peer.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor_app.core.net import free_port
from tests.helpers import ROOT
from tests.soak.peers import Peer, ScriptPeer, ToolPeer, run_hostile_burst

DOWNTIME_S = 3.0
SAMPLE_S = 0.5
NOMINAL_FPS = 15.0


@dataclass
class Sample:
    """One look at the app: when, its stats file (and when the app wrote it), its threads and fds."""

    at: float  # monotonic
    written_at: float  # monotonic time the app wrote these stats
    stats: dict[str, Any]
    threads: int
    fds: int


@dataclass
class Storm:
    """What happened: the peers with their kill/ready times, the bursts, and the samples."""

    peers: dict[str, Peer]
    started_at: float = 0.0
    bursts: list[tuple[float, int]] = field(default_factory=list)  # (time, bad messages sent)
    samples: list[Sample] = field(default_factory=list)
    app_log: str = ""
    exit_code: int | None = None
    exit_s: float | None = None


def make_peers(log_dir: Path, hub: str) -> dict[str, Peer]:
    peers: dict[str, Peer] = {}
    for n in (1, 2, 3):
        name = f"req-{n}"
        peers[name] = ScriptPeer(
            name, "imagezmq-req", log_dir, "imagezmq_sender.py", "--connect", hub, "--name", name,
            "--fps", str(NOMINAL_FPS), "--seconds", "100000",
        )  # fmt: skip
    for n in (1, 2):
        name = f"pub-{n}"
        peers[name] = ScriptPeer(
            name, "imagezmq-pub", log_dir, "imagezmq_sender.py", "--pub", f"tcp://127.0.0.1:{free_port()}",
            "--name", name, "--fps", str(NOMINAL_FPS), "--seconds", "100000",
        )  # fmt: skip
    rtsp_args = ["--port", str(free_port()), "--name", "cam", "--size", "640x360", "--fps", "15", "--gop", "8"]
    peers["rtsp"] = ToolPeer("rtsp", "rtsp", log_dir, "rtsp-test-server", [*rtsp_args, "--bitrate", "500"])
    mjpeg_args = ["--port", str(free_port()), "--size", "320x240", "--fps", "15"]
    peers["mjpeg"] = ToolPeer("mjpeg", "mjpeg", log_dir, "mjpeg-test-server", mjpeg_args)
    return peers


def schedule(seconds: float, freeze_s: float) -> list[tuple[float, str, str]]:
    """(time from the storm's start, action, peer) for every kill, restart, freeze and burst."""
    periods = {"req-1": (30, 8), "req-2": (30, 16), "req-3": (30, 24), "pub-1": (40, 12), "pub-2": (40, 28)}
    periods |= {"rtsp": (45, 20), "mjpeg": (60, 30)}
    freeze_at = seconds * 0.55
    events: list[tuple[float, str, str]] = []
    for peer, (period, phase) in periods.items():
        t = float(phase)
        while t + DOWNTIME_S + 10 < seconds:
            clash = peer == "rtsp" and freeze_at - 12 < t < freeze_at + freeze_s + 5
            if not clash:
                events += [(t, "kill", peer), (t + DOWNTIME_S, "start", peer)]
            t += period
    events += [(freeze_at, "freeze", "rtsp"), (freeze_at + freeze_s, "thaw", "rtsp")]
    events += [(t, "burst", "hub") for t in range(10, int(seconds) - 5, 20)]
    return sorted(events)


def run_storm(seconds: float, freeze_s: float, work: Path) -> Storm:
    hub = f"tcp://127.0.0.1:{free_port()}"
    peers = make_peers(work, hub)
    storm = Storm(peers)
    app: subprocess.Popen[str] | None = None
    with ThreadPoolExecutor(max_workers=4) as pool:
        try:
            list(pool.map(lambda p: p.start(), peers.values()))
            stats_path = work / "stats.json"
            app = _start_app(work, hub, peers, stats_path, seconds + 120)
            _warm_up(app, stats_path, storm)
            storm.started_at = time.monotonic()
            events = schedule(seconds, freeze_s)
            pending = []
            while (now := time.monotonic() - storm.started_at) < seconds:
                while events and events[0][0] <= now:
                    _, action, name = events.pop(0)
                    pending.append(pool.submit(_act, storm, action, name, hub))
                _sample(app, stats_path, storm)
                time.sleep(SAMPLE_S)
            for job in pending:
                job.result(timeout=60)
            _finish(app, storm, work)
        finally:
            if app is not None and app.poll() is None:
                app.kill()
            for peer in peers.values():
                peer.kill()
    return storm


def _act(storm: Storm, action: str, name: str, hub: str) -> None:
    if action == "burst":
        storm.bursts.append((time.monotonic(), run_hostile_burst(hub, "req-1")))
        return
    peer = storm.peers[name]
    if action == "kill":
        peer.kill()
    elif action == "start":
        peer.start()
    else:
        peer.freeze(action == "freeze")


def _start_app(work: Path, hub: str, peers: dict[str, Peer], stats: Path, run_s: float) -> subprocess.Popen[str]:
    args = ["--hub", hub]
    for name in ("pub-1", "pub-2"):
        peer = peers[name]
        assert isinstance(peer, ScriptPeer)
        args += ["--sub", peer.command[peer.command.index("--pub") + 1]]
    for name in ("rtsp", "mjpeg"):
        peer = peers[name]
        assert isinstance(peer, ToolPeer)
        args += ["--url", peer.url]
    log = open(work / "app.log", "w")  # noqa: SIM115 - the child holds it
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with log:
        return subprocess.Popen(
            [sys.executable, "-m", "monitor_app", *args, "--exit-after", str(run_s), "--stats-json", str(stats)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, stdin=subprocess.DEVNULL, text=True,
        )  # fmt: skip


def _warm_up(app: subprocess.Popen[str], stats_path: Path, storm: Storm, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        _sample(app, stats_path, storm)
        tiles = storm.samples[-1].stats.get("tiles", []) if storm.samples else []
        if len(tiles) >= 7 and all(t["state"] == "live" for t in tiles):
            time.sleep(5)
            storm.samples.clear()
            return
        time.sleep(SAMPLE_S)
    raise RuntimeError("not every tile went live during the warm-up")


def _sample(app: subprocess.Popen[str], stats_path: Path, storm: Storm) -> None:
    if app.poll() is not None:
        raise RuntimeError(f"the app exited during the storm with code {app.returncode}")
    try:
        written_at = stats_path.stat().st_mtime - (time.time() - time.monotonic())
        stats = json.loads(stats_path.read_text())
    except (FileNotFoundError, ValueError):
        return
    proc = Path(f"/proc/{app.pid}")
    try:
        threads, fds = len(os.listdir(proc / "task")), len(os.listdir(proc / "fd"))
    except OSError:
        return
    storm.samples.append(Sample(time.monotonic(), written_at, stats, threads, fds))


def _finish(app: subprocess.Popen[str], storm: Storm, work: Path) -> None:
    asked = time.monotonic()
    app.send_signal(signal.SIGTERM)
    try:
        app.wait(60)
    finally:
        storm.exit_s = time.monotonic() - asked
        storm.exit_code = app.returncode
        storm.app_log = (work / "app.log").read_text(errors="replace")


def main(argv: list[str] | None = None) -> int:
    import argparse

    from tests.soak.analysis import summarise

    parser = argparse.ArgumentParser(prog="python -m tests.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--freeze", type=float, default=20.0, help="seconds the RTSP server stays frozen")
    parser.add_argument("--json", metavar="FILE", help="also write the summary here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="soak-") as folder:
        summary = summarise(run_storm(args.minutes * 60, args.freeze, Path(folder)))
    text = json.dumps(summary, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")
    return 0
