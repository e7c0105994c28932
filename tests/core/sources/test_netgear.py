"""vidgear NetGear's wire format: real NetGear senders (the vidgear package) into our hub and bound SUB."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np
import pytest
import simplejpeg

from monitor_app.core.net import free_port
from monitor_app.core.pipeline.health import CameraState
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.imagezmq_wire import BadMessage
from monitor_app.core.sources.netgear_wire import Goodbye
from monitor_app.core.sources.registry import create_source
from monitor_app.core.sources.sender_names import SenderNames
from monitor_app.core.sources.zmq_messages import parse_zmq_message
from tests.core.sources.test_zmq_sources import Wiring, pump
from tests.helpers import ROOT

pytest.importorskip("vidgear.gears", reason="the test extra installs vidgear")

SENDER = ROOT / "tests" / "peers" / "netgear_sender.py"


def netgear(port: int, *args: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, str(SENDER), "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "READY", "NetGear did not start"
    return proc


def frame_size(frame: EncodedFrame) -> tuple[int, int]:
    if frame.jpeg is not None:
        height, width, _, _ = simplejpeg.decode_jpeg_header(frame.jpeg)
        return width, height
    assert frame.pixels is not None
    return frame.pixels.shape[1], frame.pixels.shape[0]


def stop(procs: list[subprocess.Popen[str]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def test_netgear_req_senders_each_get_a_camera_on_the_hub_jpeg_and_raw_alike() -> None:
    port = free_port()
    wiring = Wiring([], auto_add=True)
    hub = create_source("hub", "h", {"endpoint": f"tcp://127.0.0.1:{port}"})
    hub.open()
    # NetGear's default (simplejpeg JPEG) and its raw arrays, both from 127.0.0.1.
    senders = [netgear(port, "--size", "320x240"), netgear(port, "--raw", "--size", "160x120")]
    try:
        pump(hub, wiring, lambda: len(wiring.discovered) == 2, timeout_s=30)
        # Nothing in NetGear's messages names a camera: two senders from one address are two cameras.
        assert sorted(wiring.discovered) == ["127.0.0.1", "127.0.0.1 #2"]
        feeds = [wiring.feeds.adopt(name) for name in wiring.discovered]
        newest: dict[str, EncodedFrame] = {}

        def both_delivered() -> bool:
            for feed in feeds:
                frame = feed.inbox.take() if feed else None
                if feed and frame:
                    newest[feed.camera] = frame
            return len(newest) == 2

        pump(hub, wiring, both_delivered, timeout_s=10)
        assert sorted(frame_size(frame) for frame in newest.values()) == [(160, 120), (320, 240)]
        (stats,) = hub.endpoint_stats()
        assert stats["bad_messages"] == 0 and int(stats["replies"]) >= 2  # type: ignore[call-overload]
    finally:
        stop(senders)
        hub.close()


def test_a_netgear_sender_that_closes_says_goodbye_on_its_tile() -> None:
    port = free_port()
    wiring = Wiring([], auto_add=True)
    hub = create_source("hub", "h", {"endpoint": f"tcp://127.0.0.1:{port}"})
    hub.open()
    sender = netgear(port, "--seconds", "1.5")
    try:
        pump(hub, wiring, lambda: wiring.discovered == ["127.0.0.1"], timeout_s=30)
        feed = wiring.feeds.adopt("127.0.0.1")
        assert feed is not None
        pump(hub, wiring, lambda: hub.endpoint_stats()[0]["goodbyes"] == 1, timeout_s=15)
        snap = feed.health.snapshot()
        assert snap.state is CameraState.RECONNECTING and "closed its stream" in snap.error
        assert hub.endpoint_stats()[0]["bad_messages"] == 0
    finally:
        stop([sender])
        hub.close()


def test_netgear_pub_senders_connect_to_a_bound_sub() -> None:
    port = free_port()
    wiring = Wiring([], auto_add=True)
    sub = create_source("sub", "s", {"endpoints": [f"tcp://127.0.0.1:{port}"], "bind": True})
    sub.open()
    sender = netgear(port, "--pattern", "2", "--fps", "30")
    try:
        pump(sub, wiring, lambda: wiring.discovered == ["127.0.0.1"], timeout_s=30)
        (stats,) = sub.endpoint_stats()
        assert stats["bad_messages"] == 0 and stats["single_part"] == 0
    finally:
        stop([sender])
        sub.close()


# The wire format itself --------------------------------------------------------------------
def header(**fields: object) -> bytes:
    base: dict[str, object] = {"terminate_flag": False, "compression": False, "message": None, "pattern": "1"}
    base.update(fields)
    return json.dumps(base).encode()


def sender() -> str:
    return "10.0.0.7"


def test_netgear_frames_parse_to_jpeg_or_array_views_and_goodbye_to_a_goodbye() -> None:
    image = np.zeros((4, 6, 3), np.uint8)
    raw = parse_zmq_message([header(dtype="uint8", shape=[4, 6, 3]), image.tobytes()], sender)
    assert isinstance(raw, EncodedFrame) and raw.camera == "10.0.0.7" and raw.pixels is not None
    assert raw.pixels.shape == (4, 6, 3)
    jpeg = simplejpeg.encode_jpeg(np.zeros((8, 8, 3), np.uint8), colorspace="BGR")
    compressed = header(compression={"dct": True, "ups": False, "colorspace": "BGR"}, dtype="", shape="")
    frame = parse_zmq_message([compressed, jpeg], sender)
    assert isinstance(frame, EncodedFrame) and frame.jpeg == jpeg
    assert parse_zmq_message([b'{"terminate_flag": true}'], sender) == Goodbye("10.0.0.7")
    # Multi-server mode: each server process sends its own port.
    assert parse_zmq_message([b'{"terminate_flag": true, "port": 5577}'], sender) == Goodbye("10.0.0.7 port 5577")


HOSTILE = [
    ("compression a string", [header(compression="jpeg"), b"x"]),
    ("raw without shape", [header(dtype="uint8"), bytes(10)]),
    ("raw shape mismatch", [header(dtype="uint8", shape=[4, 6, 3]), bytes(10)]),
    ("jpeg that is not", [header(compression={"colorspace": "BGR"}), b"GIF89a"]),
    ("frame without payload", [header()]),
    ("one-part JSON of another kind", [b'{"hello": 1}']),
    ("terminate flag not a bool", [b'{"terminate_flag": "yes"}', b"x"]),
    ("three parts", [header(), b"x", b"y"]),
]


@pytest.mark.parametrize(("case", "parts"), HOSTILE, ids=[case for case, _ in HOSTILE])
def test_hostile_netgear_messages_are_refused_with_a_reason(case: str, parts: list[bytes]) -> None:
    with pytest.raises(BadMessage) as info:
        parse_zmq_message(parts, sender)
    assert info.value.reason


def test_sender_names_are_stable_per_sender_and_reused_after_silence() -> None:
    names = SenderNames(stale_after_s=3.0)
    assert names.name(b"a", "10.0.0.7", now=0.0) == "10.0.0.7"
    assert names.name(b"b", "10.0.0.7", now=0.5) == "10.0.0.7 #2"
    assert names.name(b"c", "10.0.0.8", now=0.5) == "10.0.0.8"
    assert names.name(b"a", "10.0.0.7", now=1.0) == "10.0.0.7"
    # "a" reconnects under a new routing id after a silence: it gets its old name back, "b" keeps its own.
    assert names.name(b"b", "10.0.0.7", now=4.0) == "10.0.0.7 #2"
    assert names.name(b"a2", "10.0.0.7", now=5.0) == "10.0.0.7"
    names.release(b"b")
    assert names.name(b"d", "10.0.0.7", now=5.1) == "10.0.0.7 #2"


def test_sender_names_forget_the_oldest_of_a_flood_of_peers() -> None:
    names = SenderNames()
    start = time.monotonic()
    for n in range(1000):
        names.name(n.to_bytes(4, "big"), f"10.0.{n // 250}.{n % 250}", now=start + n)
    assert len(names._holders) <= 256
