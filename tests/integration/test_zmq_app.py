"""The real app against real imagezmq senders, publishers, hostile peers and ``camera-monitor send``.

Every peer runs in its own process; the app runs as ``python -m monitor_app`` and is watched
through its ``--stats-json`` file (rewritten every second). Scenarios share app runs to keep
the suite short.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import imagezmq
import zmq

from monitor_app.core.net import free_port, free_ports
from tests.app_process import (
    PEERS,
    App,
    Processes,
    connection,
    endpoint,
    env,
    live_with_frames,
    log_tail,
    more_frames,
    tiles,
)


def test_hub_and_subscriber_cameras_hostile_input_and_sender_restarts(procs: Processes, tmp_path: Path) -> None:
    hub_port, jpeg_pub, raw_pub, b64_pub = free_ports(4)
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
    refused_port, hub_port = free_ports(2)
    refused = f"rtsp://admin:Pa55wordXYZ@127.0.0.1:{refused_port}/stream"
    sender = procs.send(refused, "--pub", "--hub", f"tcp://127.0.0.1:{hub_port}", "--seconds", "1.5")
    out, _ = sender.communicate(timeout=30)
    log = log_tail(sender)
    assert sender.returncode == 0 and json.loads(out)["source_failures"] >= 1
    assert "Pa55wordXYZ" not in out + log and "admin:***@" in log
    missing = procs.send(str(tmp_path / "missing.mp4"), "--hub", f"tcp://127.0.0.1:{free_port()}")
    missing.communicate(timeout=30)
    assert missing.returncode == 1 and "file not found" in log_tail(missing)
