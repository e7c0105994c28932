"""The real app against real imagezmq senders, publishers, hostile peers and ``camera-monitor send``.

Every peer runs in its own process; the app runs as ``python -m monitor_app`` and is watched
through its ``--stats-json`` file (rewritten every second). Scenarios share app runs to keep
the suite short.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import imagezmq
import pytest
import zmq

from monitor_app.core.net import free_port
from tests.helpers import ROOT

PEERS = Path(__file__).resolve().parents[1] / "peers"
Stats = dict[str, Any]


def env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}


class Processes:
    """Starts peers and the app; whatever is still running at the end is stopped."""

    def __init__(self, log_dir: Path) -> None:
        self.running: list[subprocess.Popen[str]] = []
        self.log_dir = log_dir

    def start(self, args: list[str], ready: bool = False) -> subprocess.Popen[str]:
        # stderr goes to a file: a full pipe nobody reads would block a chatty process.
        log = open(self.log_dir / f"proc{len(self.running)}.log", "w")  # noqa: SIM115
        with log:
            proc = subprocess.Popen(args, cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=log, text=True)
        proc.log_path = log.name  # type: ignore[attr-defined]
        self.running.append(proc)
        if ready:
            assert proc.stdout is not None
            readable, _, _ = select.select([proc.stdout], [], [], 30)
            assert readable and proc.stdout.readline().startswith("READY"), f"{args} did not start"
        return proc

    def peer(self, script: str, *args: str, ready: bool = False) -> subprocess.Popen[str]:
        return self.start([sys.executable, str(PEERS / script), *args], ready=ready)

    def send(self, *args: str) -> subprocess.Popen[str]:
        return self.start([sys.executable, "-m", "monitor_app", "send", *args])

    def stop_all(self) -> None:
        for proc in self.running:
            if proc.poll() is None:
                proc.kill()
        for proc in self.running:
            proc.communicate(timeout=10)


def log_tail(proc: subprocess.Popen[str]) -> str:
    return Path(proc.log_path).read_text()[-3000:]  # type: ignore[attr-defined]


@pytest.fixture
def procs(tmp_path: Path) -> Iterator[Processes]:
    p = Processes(tmp_path)
    yield p
    p.stop_all()


class App:
    """``camera-monitor`` with a stats file, watched while it runs."""

    def __init__(self, procs: Processes, stats_path: Path, *args: str, exit_after: float = 90) -> None:
        self.path = stats_path
        self.proc = procs.start(
            [
                sys.executable,
                "-m",
                "monitor_app",
                *args,
                "--exit-after",
                str(exit_after),
                "--stats-json",
                str(stats_path),
            ]
        )

    def stats(self) -> Stats | None:
        try:
            return json.loads(self.path.read_text())
        except (FileNotFoundError, ValueError):
            return None

    def wait_for(self, what: str, condition: Callable[[Stats], bool], timeout_s: float = 40) -> Stats:
        deadline = time.monotonic() + timeout_s
        last: Stats | None = None
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"app exited early: {log_tail(self.proc)}"
            last = self.stats()
            if last is not None and condition(last):
                return last
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what}; last stats: {json.dumps(last, indent=1)[:6000]}")

    def finish(self, terminate: bool = True) -> Stats:
        if terminate:
            self.proc.send_signal(signal.SIGTERM)
        self.proc.communicate(timeout=60)
        assert self.proc.returncode == 0, log_tail(self.proc)
        stats = self.stats()
        assert stats is not None
        return stats


def tiles(stats: Stats) -> dict[str, Stats]:
    return {t["camera"]: t for t in stats["tiles"]}


def connection(stats: Stats, conn_id: str) -> Stats:
    return next(c for c in stats["connections"] if c["id"] == conn_id)


def endpoint(stats: Stats, conn_id: str, address: str) -> Stats:
    return next(e for e in connection(stats, conn_id)["endpoints"] if e["endpoint"] == address)


def live_with_frames(stats: Stats, names: list[str]) -> bool:
    by_name = tiles(stats)
    return all(n in by_name and by_name[n]["state"] == "live" and by_name[n]["frames_displayed"] > 0 for n in names)


def more_frames(stats: Stats, before: Stats, names: list[str], at_least: int = 5) -> bool:
    now, then = tiles(stats), tiles(before)
    return all(
        now[n]["state"] == "live" and now[n]["frames_received"] >= then[n]["frames_received"] + at_least for n in names
    )


def test_hub_and_subscriber_cameras_hostile_input_and_sender_restarts(procs: Processes, tmp_path: Path) -> None:
    hub_port, jpeg_pub, raw_pub, b64_pub = (free_port() for _ in range(4))
    hub = f"tcp://127.0.0.1:{hub_port}"
    pub_endpoints = [f"tcp://127.0.0.1:{p}" for p in (jpeg_pub, raw_pub, b64_pub)]
    layout = {
        "schema_version": 1,
        "title": "zmq test",
        "grid": {"rows": 1, "columns": 1},
        "connections": [
            {"id": "hub", "kind": "hub", "endpoint": hub, "auto_add_cameras": True, "max_message_bytes": 2_000_000},
            {"id": "pubs", "kind": "sub", "endpoints": pub_endpoints, "auto_add_cameras": True},
        ],
        "cameras": [],
    }
    layout_path = tmp_path / "layout.json"
    layout_path.write_text(json.dumps(layout))
    app = App(procs, tmp_path / "stats.json", str(layout_path))

    def req_jpeg() -> subprocess.Popen[str]:
        return procs.peer("imagezmq_sender.py", "--connect", hub, "--mode", "jpeg", "--name", "req-jpeg")

    def pub_jpeg() -> subprocess.Popen[str]:
        return procs.peer("imagezmq_sender.py", "--pub", pub_endpoints[0], "--name", "pub-jpeg|jpg", ready=True)

    jpeg_sender = req_jpeg()
    procs.peer("imagezmq_sender.py", "--connect", hub, "--mode", "bgr", "--name", "req-bgr")
    procs.peer("imagezmq_sender.py", "--connect", hub, "--mode", "gray", "--name", "req-gray")
    procs.peer("imagezmq_sender.py", "--connect", hub, "--name", "alt-a|jpg", "--name", "alt-b")
    procs.send("--hub", hub, "--name", "send-cam", "--fps", "15", "--size", "320x180")
    jpeg_publisher = pub_jpeg()
    procs.peer("imagezmq_sender.py", "--pub", pub_endpoints[1], "--mode", "bgr", "--name", "pub-raw", ready=True)
    procs.peer("base64_publisher.py", "--bind", pub_endpoints[2], ready=True)
    hub_cams = ["req-jpeg", "req-bgr", "req-gray", "alt-a", "alt-b", "send-cam"]
    sub_cams = ["pub-jpeg", "pub-raw", pub_endpoints[2]]  # a base64 publisher's camera is named after its endpoint

    # Every sender, publisher and name gets its own live tile.
    stats = app.wait_for("all cameras live", lambda s: live_with_frames(s, hub_cams + sub_cams))
    assert tiles(stats)["send-cam"]["latency_ms_p50"] is not None  # our sender stamps frames
    assert tiles(stats)["req-jpeg"]["latency_ms_p50"] is None  # imagezmq's does not
    assert connection(stats, "hub")["bad_messages"] == 0

    # Hostile input between good frames: counted, dropped, nothing else disturbed.
    hostile = subprocess.run(
        [
            sys.executable,
            str(PEERS / "hostile_sender.py"),
            "--connect",
            hub,
            "--victim",
            "req-jpeg",
            "--rounds",
            "2",
            "--huge",
            "3000000",
        ],
        capture_output=True,
        text=True,
        timeout=90,
        env=env(),
    )
    assert hostile.returncode == 0, hostile.stderr
    expected_bad = json.loads(hostile.stdout)["bad_expected"]
    after_attack = app.wait_for("bad messages counted", lambda s: connection(s, "hub")["bad_messages"] >= expected_bad)
    stats = app.wait_for("good cameras keep updating", lambda s: more_frames(s, after_attack, hub_cams + sub_cams))
    assert tiles(stats)["req-jpeg"]["bad_messages"] > 0  # bad headers naming a camera count on its tile
    assert endpoint(stats, "hub", hub)["peer_disconnects"] > 0  # the oversized message cost its sender the link

    # A REQ sender and a PUB sender die: the REQ camera stalls, the PUB camera shows its publisher
    # reconnecting, the others go on; restarted, they resume.
    jpeg_sender.kill()
    jpeg_publisher.kill()
    stats = app.wait_for(
        "killed senders stalled",
        lambda s: (
            tiles(s)["req-jpeg"]["state"] == "stalled"
            and tiles(s)["pub-jpeg"]["state"] == "reconnecting"
            and endpoint(s, "pubs", pub_endpoints[0])["connected"] is False
        ),
    )
    assert tiles(stats)["req-bgr"]["state"] == "live" and tiles(stats)["pub-raw"]["state"] == "live"
    req_jpeg()
    pub_jpeg()
    stats = app.wait_for(
        "restarted senders resume",
        lambda s: (
            more_frames(s, stats, ["req-jpeg", "pub-jpeg"])
            and endpoint(s, "pubs", pub_endpoints[0])["connected"] is True
        ),
    )
    assert endpoint(stats, "pubs", pub_endpoints[0])["disconnects"] >= 1
    assert endpoint(stats, "pubs", pub_endpoints[0])["connections"] >= 2

    final = app.finish()
    assert connection(final, "hub")["state"] == "live" and connection(final, "pubs")["state"] == "live"
    assert endpoint(final, "pubs", pub_endpoints[2])["single_part"] > 0


def test_slow_screen_keeps_frames_fresh_and_an_app_restart_is_survived(procs: Processes, tmp_path: Path) -> None:
    hub = f"tcp://127.0.0.1:{free_port()}"
    # Senders far faster than a 60 Hz screen can show.
    senders = [
        procs.send("--hub", hub, "--name", "fast", "--fps", "200", "--size", "640x360", "--quality", "70"),
        procs.send("--hub", hub, "--name", "fast-raw", "--fps", "200", "--size", "640x360", "--raw"),
        procs.send("--hub", hub, "--name", "steady", "--fps", "10", "--size", "320x180"),
    ]
    first = App(procs, tmp_path / "first.json", "--hub", hub, exit_after=7)
    stats = first.finish(terminate=False)
    by_name = tiles(stats)
    for name in ("fast", "fast-raw"):
        tile = by_name[name]
        assert tile["frames_received"] > tile["frames_displayed"] > 0
        assert tile["frames_dropped"] > 0  # superseded frames were dropped, not queued ...
        assert tile["latency_ms_p99"] < 1500  # ... so what is shown stays fresh
        assert tile["last_frame_age_s"] < 1.0
    assert by_name["steady"]["state"] == "live"

    # The app goes away and comes back on the same port; the senders keep running and resume.
    second = App(procs, tmp_path / "second.json", "--hub", hub)
    second.wait_for(
        "senders resume after the app restart", lambda s: live_with_frames(s, ["fast", "fast-raw", "steady"])
    )
    second.finish()
    for sender in senders:
        assert sender.poll() is None, "a sender died while the app restarted"
        sender.send_signal(signal.SIGTERM)
    for sender in senders:
        out, _ = sender.communicate(timeout=10)  # stops promptly on SIGTERM
        assert sender.returncode == 0, log_tail(sender)
        assert json.loads(out.strip().splitlines()[-1])["frames_sent"] > 0


def test_send_speaks_imagezmq_to_a_stock_image_hub(procs: Processes) -> None:
    port = free_port()
    with imagezmq.ImageHub(f"tcp://127.0.0.1:{port}") as hub:
        hub.zmq_socket.setsockopt(zmq.RCVTIMEO, 15000)
        hub.zmq_socket.setsockopt(zmq.LINGER, 0)
        sender = procs.send("--hub", f"tcp://127.0.0.1:{port}", "--name", "porch", "--count", "3", "--fps", "30")
        for _ in range(3):
            name, jpg = hub.recv_jpg()
            hub.send_reply(b"OK")
            assert name == "porch" and bytes(jpg)[:3] == b"\xff\xd8\xff"
        assert sender.wait(timeout=15) == 0
        procs.send(
            "--hub", f"tcp://127.0.0.1:{port}", "--name", "porch|raw", "--raw", "--size", "160x120", "--count", "1"
        )
        name, image = hub.recv_image()
        hub.send_reply(b"OK")
        assert name == "porch|raw" and image.shape == (120, 160, 3)

    # PUB/SUB: our --pub sender into imagezmq's SUB hub.
    port = free_port()
    publisher = procs.send(
        "--pub", "--hub", f"tcp://127.0.0.1:{port}", "--name", "pub", "--fps", "20", "--seconds", "30"
    )
    with imagezmq.ImageHub(f"tcp://127.0.0.1:{port}", REQ_REP=False) as sub_hub:
        sub_hub.zmq_socket.setsockopt(zmq.RCVTIMEO, 15000)
        sub_hub.zmq_socket.setsockopt(zmq.LINGER, 0)
        name, jpg = sub_hub.recv_jpg()
        assert name == "pub" and bytes(jpg)[:3] == b"\xff\xd8\xff"
    publisher.send_signal(signal.SIGINT)
    assert publisher.wait(timeout=10) == 0


def stock_hub_receives(port: int, count: int) -> list[tuple[str, tuple[int, ...]]]:
    got = []
    with imagezmq.ImageHub(f"tcp://127.0.0.1:{port}") as hub:
        hub.zmq_socket.setsockopt(zmq.RCVTIMEO, 30000)
        hub.zmq_socket.setsockopt(zmq.LINGER, 0)
        for _ in range(count):
            name, image = hub.recv_image()
            hub.send_reply(b"OK")
            got.append((name, image.shape))
    return got


def test_send_relays_a_video_file_and_an_rtsp_camera(procs: Processes, tmp_path: Path) -> None:
    from tests.peers.tool_servers import make_clip, rtsp_server

    port = free_port()
    clip = make_clip(tmp_path / "clip.mp4")
    procs.send(str(clip), "--hub", f"tcp://127.0.0.1:{port}", "--name", "clip", "--raw", "--count", "3")
    assert stock_hub_receives(port, 3)[-1][0] == "clip"

    server = rtsp_server(tmp_path / "rtsp.log", free_port(), "cam1")
    try:
        port = free_port()
        procs.send(server.urls[0], "--hub", f"tcp://127.0.0.1:{port}", "--name", "door", "--raw", "--size", "320x180")
        assert stock_hub_receives(port, 3) == [("door", (180, 320, 3))] * 3
    finally:
        server.stop()


def test_send_never_shows_a_password_and_exits_on_a_missing_file(procs: Processes, tmp_path: Path) -> None:
    refused = f"rtsp://admin:Pa55wordXYZ@127.0.0.1:{free_port()}/stream"
    sender = procs.send(refused, "--pub", "--hub", f"tcp://127.0.0.1:{free_port()}", "--seconds", "1.5")
    out, _ = sender.communicate(timeout=30)
    log = log_tail(sender)
    assert sender.returncode == 0 and json.loads(out)["source_failures"] >= 1
    assert "Pa55wordXYZ" not in out + log and "admin:***@" in log
    missing = procs.send(str(tmp_path / "missing.mp4"), "--hub", f"tcp://127.0.0.1:{free_port()}")
    missing.communicate(timeout=30)
    assert missing.returncode == 1 and "file not found" in log_tail(missing)
