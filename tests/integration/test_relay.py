"""``camera-monitor relay`` between real imagezmq senders and real monitors (the app), all in their own processes.

The relay runs as ``python -m monitor_app relay`` and is read through its ``--stats-json``; the
monitors are the window (offscreen) with ``--sub`` on the relay's publish endpoint.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from monitor_app.core.net import free_port
from tests.app_process import App, Processes, live_with_frames, log_tail, more_frames, tiles

CAMERAS = ["north", "south"]


class Relay:
    """The relay process and its stats file."""

    def __init__(self, procs: Processes, stats: Path, *args: str) -> None:
        self.path = stats
        self.proc = procs.start([sys.executable, "-m", "monitor_app", "relay", *args, "--stats-json", str(stats)])

    def stats(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.path.read_text())
        except (FileNotFoundError, ValueError):
            return None

    def wait_for(self, what: str, condition: Any, timeout_s: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        last = None
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"relay exited: {log_tail(self.proc)}"
            last = self.stats()
            if last is not None and condition(last):
                return last
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}: {json.dumps(last)[:3000]}")


def forwarded(stats: dict[str, Any]) -> dict[str, int]:
    return {c["name"]: c["frames_forwarded"] for c in stats["cameras"]}


def test_two_senders_in_two_monitors_out_and_one_monitor_killed(procs: Processes, tmp_path: Path) -> None:
    hub, publish = free_port(), free_port()
    relay = Relay(
        procs, tmp_path / "relay.json", "--hub", f"tcp://127.0.0.1:{hub}", "--publish", f"tcp://127.0.0.1:{publish}"
    )
    for name in CAMERAS:  # the real imagezmq.ImageSender, REQ/REP, 15 fps
        procs.peer("imagezmq_sender.py", "--connect", f"tcp://127.0.0.1:{hub}", "--name", name, "--fps", "15")
    monitors = [
        App(procs, tmp_path / f"monitor{i}.json", "--sub", f"tcp://127.0.0.1:{publish}", exit_after=60) for i in (1, 2)
    ]
    started = [m.wait_for("both cameras live", lambda s: live_with_frames(s, CAMERAS)) for m in monitors]
    time.sleep(8)
    after = [m.stats() for m in monitors]
    for before, now in zip(started, after, strict=True):
        assert now is not None
        for name in CAMERAS:  # >= 40 frames each in 8 s at 15 fps
            gained = tiles(now)[name]["frames_received"] - tiles(before)[name]["frames_received"]
            assert gained >= 40, f"{name}: {gained} frames in 8 s"

    monitors[0].proc.kill()  # one monitor gone: the other goes on as before
    monitors[0].proc.communicate(timeout=10)
    steady = monitors[1].wait_for(
        "frames after the other monitor died", lambda s: more_frames(s, after[1], CAMERAS, 30)
    )
    assert all(t["state"] == "live" for t in steady["tiles"])
    stats = relay.wait_for("the dead monitor noticed", lambda s: s["relay"]["subscriber_disconnects"] >= 1)
    assert stats["relay"]["subscribers"] == 1
    assert all(c["frames_superseded"] >= 0 and c["frames_forwarded"] > 100 for c in stats["cameras"])
    monitors[1].finish()
    relay.proc.send_signal(signal.SIGTERM)
    relay.proc.communicate(timeout=10)
    assert relay.proc.returncode == 0, log_tail(relay.proc)


def test_a_restarted_relay_brings_back_senders_and_monitors_by_themselves(procs: Processes, tmp_path: Path) -> None:
    hub, publish = free_port(), free_port()
    relay_args = ("--hub", f"tcp://127.0.0.1:{hub}", "--publish", f"tcp://127.0.0.1:{publish}")
    relay = Relay(procs, tmp_path / "relay.json", *relay_args)
    for name in CAMERAS:  # our sender: a REQ socket that rebuilds itself when a reply does not come
        procs.send("--hub", f"tcp://127.0.0.1:{hub}", "--name", name, "--fps", "15", "--size", "320x180")
    monitor = App(procs, tmp_path / "monitor.json", "--sub", f"tcp://127.0.0.1:{publish}", exit_after=90)
    monitor.wait_for("both cameras live", lambda s: live_with_frames(s, CAMERAS))

    relay.proc.kill()  # the worst restart: no goodbye, the port reused at once
    relay.proc.communicate(timeout=10)
    down = monitor.wait_for("the cameras stalled", lambda s: all(t["state"] != "live" for t in s["tiles"]), 30)
    relay = Relay(procs, tmp_path / "relay2.json", *relay_args)
    relay.wait_for("both senders back in", lambda s: all(forwarded(s).get(n, 0) > 10 for n in CAMERAS), 40)
    back = monitor.wait_for("both cameras live again", lambda s: more_frames(s, down, CAMERAS, 10), 40)
    assert all(tiles(back)[n]["state"] == "live" for n in CAMERAS)
    monitor.finish()


def test_a_relay_forwards_jpeg_bytes_unchanged_and_chains(procs: Processes, tmp_path: Path) -> None:
    """Site relay -> central relay -> a stock ``imagezmq.ImageHub(REQ_REP=False)``: the sender's JPEG arrives
    byte for byte, and a subscription to one camera's topic gets only that camera."""
    import imagezmq
    import zmq

    from monitor_app.core.sources.imagezmq_wire import camera_topic

    hub, site_out, central_out = free_port(), free_port(), free_port()
    Relay(procs, tmp_path / "site.json", "--hub", f"tcp://127.0.0.1:{hub}", "--publish", f"tcp://127.0.0.1:{site_out}")
    central = Relay(
        procs,
        tmp_path / "central.json",
        "--sub",
        f"tcp://127.0.0.1:{site_out}",
        "--publish",
        f"tcp://127.0.0.1:{central_out}",
    )
    jpegs = {name: _jpeg(i) for i, name in enumerate(CAMERAS)}
    sender = subprocess.Popen(
        [sys.executable, "-c", _SAME_JPEG_SENDER, f"tcp://127.0.0.1:{hub}", *(f"{n}={jpegs[n].hex()}" for n in CAMERAS)]
    )
    procs.running.append(sender)  # type: ignore[arg-type]
    stock = imagezmq.ImageHub(open_port=f"tcp://127.0.0.1:{central_out}", REQ_REP=False)
    only_south = stock.zmq_context.socket(zmq.SUB)
    only_south.setsockopt(zmq.SUBSCRIBE, camera_topic("south"))
    only_south.connect(f"tcp://127.0.0.1:{central_out}")
    try:
        seen: dict[str, bytes] = {}
        deadline = time.monotonic() + 30
        while set(seen) != set(CAMERAS) and time.monotonic() < deadline:
            if stock.zmq_socket.poll(500):
                name, jpeg = stock.recv_jpg()
                seen[name] = bytes(jpeg)
        assert seen == jpegs  # forwarded as received, through two relays: no re-encode
        names = set()
        for _ in range(20):
            assert only_south.poll(10_000), "the camera's topic got nothing"
            names.add(json.loads(only_south.recv_multipart()[0])["msg"])
        assert names == {"south"}
        stats = central.wait_for("counts", lambda s: len(s["cameras"]) == 2)
        assert stats["relay"]["subscriptions"] == {"": 1, "south": 1}
    finally:
        only_south.close(linger=0)
        stock.close()


def _jpeg(seed: int) -> bytes:
    import cv2
    import numpy as np

    image = np.full((120, 160, 3), 40 + 80 * seed, np.uint8)
    ok, data = cv2.imencode(".jpg", image)
    assert ok
    return data.tobytes()


_SAME_JPEG_SENDER = """
import sys, time, imagezmq
sender = imagezmq.ImageSender(connect_to=sys.argv[1])
frames = [(arg.split("=")[0], bytes.fromhex(arg.split("=")[1])) for arg in sys.argv[2:]]
while True:
    for name, jpeg in frames:
        sender.send_jpg(name, jpeg)
    time.sleep(1 / 15)
"""


def test_a_curve_relay_takes_allowed_senders_serves_allowed_monitors_and_counts_the_rest(
    procs: Processes, tmp_path: Path
) -> None:
    import os

    import zmq.auth

    keys, allow = tmp_path / "keys", tmp_path / "allowed"
    keys.mkdir()
    allow.mkdir()
    for name in ("relay", "porch", "desk", "intruder"):
        zmq.auth.create_certificates(keys, name)
        os.chmod(keys / f"{name}.key_secret", 0o600)
    for name in ("porch", "desk"):  # a sender and a monitor
        (allow / f"{name}.key").write_bytes((keys / f"{name}.key").read_bytes())
    hub, publish = f"tcp://127.0.0.1:{free_port()}", f"tcp://127.0.0.1:{free_port()}"
    relay = Relay(
        procs,
        tmp_path / "relay.json",
        *("--hub", hub, "--publish", publish),
        *("--curve-secret", str(keys / "relay.key_secret"), "--curve-allow", str(allow)),
    )
    for name in ("porch", "intruder"):
        procs.send(
            *("--hub", hub, "--name", name, "--fps", "15", "--size", "160x90"),
            *("--curve-secret", str(keys / f"{name}.key_secret"), "--curve-server", str(keys / "relay.key")),
        )
    monitors = {
        name: App(
            procs,
            tmp_path / f"{name}.json",
            *("--sub", publish, "--curve-secret", str(keys / f"{name}.key_secret")),
            *("--curve-server", str(keys / "relay.key")),
            exit_after=60,
        )
        for name in ("desk", "intruder")
    }
    monitors["desk"].wait_for("porch live on the allowed monitor", lambda s: live_with_frames(s, ["porch"]))
    stats = relay.wait_for(
        "the intruders refused",
        lambda s: s["relay"]["auth_failures"] >= 1 and s["connections"][0]["endpoints"][0]["auth_failures"] >= 1,
    )
    assert [c["name"] for c in stats["cameras"]] == ["porch"]
    intruder = monitors["intruder"].wait_for("the refused monitor's stats", lambda s: s["connections"] != [])
    assert intruder["tiles"] == []
    relay.proc.send_signal(signal.SIGTERM)
    relay.proc.communicate(timeout=10)
    log = log_tail(relay.proc)
    for name in ("relay", "porch", "desk", "intruder"):
        secret = zmq.auth.load_certificate(keys / f"{name}.key_secret")[1]
        assert secret is not None and secret.decode() not in log + json.dumps(stats)
