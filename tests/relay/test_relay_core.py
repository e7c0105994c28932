"""The relay in this process: real sockets on 127.0.0.1, real ZeroMQ peers, no window."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import cv2
import numpy as np
import pytest
import zmq

from monitor_app.core.net import free_port
from monitor_app.core.sources.imagezmq_wire import (
    camera_topic,
    encode_array_message,
    encode_jpeg_message,
    encode_notice_message,
    parse_message,
)
from monitor_app.relay.publisher import PublishError
from monitor_app.relay.relay import Relay, RelayInput
from monitor_app.relay.sink import MAX_CAMERAS, RelayHub


def jpeg(value: int) -> bytes:
    ok, data = cv2.imencode(".jpg", np.full((48, 64, 3), value, np.uint8))
    assert ok
    return data.tobytes()


@contextmanager
def running_relay(inputs: list[RelayInput], publish: str) -> Iterator[Relay]:
    relay = Relay(inputs, [publish])
    relay.start()
    try:
        yield relay
    finally:
        started = time.monotonic()
        assert relay.stop(2.0), "a relay thread did not stop"
        assert time.monotonic() - started < 1.5
        assert not [t for t in threading.enumerate() if t.name.startswith("relay-")]


def subscriber(context: zmq.Context, endpoint: str, topic: bytes = b"") -> zmq.Socket:
    sock = context.socket(zmq.SUB)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.SUBSCRIBE, topic)
    sock.connect(endpoint)
    return sock


def publish_until(pub: zmq.Socket, sub: zmq.Socket, messages: list[list], timeout_s: float = 10) -> list[list[bytes]]:
    """Send ``messages`` over and over until ``sub`` has received something; then everything that came."""
    deadline = time.monotonic() + timeout_s
    received: list[list[bytes]] = []
    while time.monotonic() < deadline and not received:
        for parts in messages:
            pub.send_multipart(parts)
        time.sleep(0.05)
        while sub.poll(50):
            received.append(sub.recv_multipart())
    assert received, "nothing came through the relay"
    return received


def test_frames_heartbeats_and_events_go_through_and_hostile_messages_stop_at_the_relay() -> None:
    upstream, publish = f"tcp://127.0.0.1:{free_port()}", f"tcp://127.0.0.1:{free_port()}"
    context = zmq.Context()
    pub = context.socket(zmq.PUB)
    pub.setsockopt(zmq.LINGER, 0)
    pub.bind(upstream)
    raw = np.arange(24 * 32 * 3, dtype=np.uint8).reshape(24, 32, 3)
    messages = [
        encode_jpeg_message("front", jpeg(90), sent_at=1_700_000_000.5),
        encode_array_message("back", raw),
        encode_notice_message("garage"),
        encode_notice_message("garage", "motion: moving"),
        [b'{"msg": "evil", "dtype": "float64", "shape": [2, 2]}', b"x" * 32],  # refused by the input's parser
        [b"not json", b"\xff\xd8\xff"],
    ]
    with running_relay([RelayInput("sub", "up", {"endpoints": [upstream]})], publish) as relay:
        sub = subscriber(context, publish)
        received = publish_until(pub, sub, messages)
        deadline = time.monotonic() + 10
        kinds: dict[str, object] = {}
        while time.monotonic() < deadline and len(kinds) < 4:
            for parts in received:
                message = parse_message(parts)
                kinds[f"{type(message).__name__}:{message.camera}"] = message
            for parts in messages:
                pub.send_multipart(parts)
            time.sleep(0.05)
            received = [sub.recv_multipart() for _ in range(50) if sub.poll(20)]
        assert set(kinds) == {"EncodedFrame:front", "EncodedFrame:back", "Heartbeat:garage", "Event:garage"}
        front, back = kinds["EncodedFrame:front"], kinds["EncodedFrame:back"]
        assert front.jpeg == jpeg(90) and front.sent_at == 1_700_000_000.5  # as received, stamp kept
        assert np.array_equal(back.pixels, raw)
        assert kinds["Event:garage"].text == "motion: moving"
        stats = relay.stats()
        assert {c["name"] for c in stats["cameras"]} == {"front", "back"}  # "evil" never got a place
        connection = stats["connections"][0]
        assert connection["bad_messages"] >= 2 and connection["state"] == "live"
        sub.close()
    pub.close()
    context.term()


def test_a_monitor_that_subscribes_to_one_camera_is_sent_only_that_camera() -> None:
    from monitor_app.core.sources.zmq_sub import SubSource

    upstream, publish = f"tcp://127.0.0.1:{free_port()}", f"tcp://127.0.0.1:{free_port()}"
    context = zmq.Context()
    pub = context.socket(zmq.PUB)
    pub.setsockopt(zmq.LINGER, 0)
    pub.bind(upstream)
    with running_relay([RelayInput("sub", "up", {"endpoints": [upstream]})], publish) as relay:
        plain = subscriber(context, publish, camera_topic("door"))
        messages = [encode_jpeg_message(name, jpeg(50)) for name in ("door", "doorbell", "yard")]
        got = publish_until(pub, plain, messages)
        assert {json.loads(parts[0])["msg"] for parts in got} <= {"door", "doorbell"}  # a prefix: the name's own
        source = SubSource([publish], cameras=["door"])  # the sub kind's "cameras" option
        source.open()
        try:
            names: set[str] = set()
            sink = _NamesSink(names)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and len(names) < 2:
                for parts in messages:
                    pub.send_multipart(parts)
                source.read(sink, 0.05)
            time.sleep(0.2)
            source.read(sink, 0.05)
            assert "door" in names and "yard" not in names
        finally:
            source.close()
        assert relay.stats()["relay"]["subscriptions"] == {"door": 2}
        plain.close()
    pub.close()
    context.term()


class _NamesSink:
    def __init__(self, names: set[str]) -> None:
        self.names = names

    def deliver(self, frame) -> None:  # type: ignore[no-untyped-def]
        self.names.add(frame.camera)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return lambda *args, **kwargs: True


def test_a_publish_port_that_is_taken_is_refused_with_its_reason() -> None:
    port = free_port()
    context = zmq.Context()
    holder = context.socket(zmq.PUB)
    holder.bind(f"tcp://127.0.0.1:{port}")
    try:
        with pytest.raises(PublishError, match="already in use"):
            Relay(
                [RelayInput("hub", "in", {"endpoint": f"tcp://127.0.0.1:{free_port()}"})], [f"tcp://127.0.0.1:{port}"]
            )
    finally:
        holder.close(linger=0)
        context.term()


def test_a_relay_refuses_kinds_whose_frames_it_would_have_to_re_encode() -> None:
    with pytest.raises(ValueError, match="cannot take 'url'"):
        Relay([RelayInput("url", "cam", {"url": "rtsp://127.0.0.1:1/x"})], [f"tcp://127.0.0.1:{free_port()}"])


def test_the_newest_frame_per_camera_waits_and_a_name_cycler_cannot_grow_the_relay() -> None:
    from monitor_app.core.sources.frames import EncodedFrame

    hub = RelayHub()
    sink = hub.sink("in")
    for n in range(5):
        sink.deliver(EncodedFrame("cam", jpeg=bytes([n])))
    assert hub.wait(0.01).cameras == ["cam"]  # one wake-up for five frames
    frame = hub.take("cam")
    assert frame is not None and frame.jpeg == bytes([4])
    assert hub.counts["cam"].superseded == 4
    for n in range(MAX_CAMERAS + 50):
        sink.deliver(EncodedFrame(f"name{n}", jpeg=b"x"))
    assert len(hub.counts) == MAX_CAMERAS and hub.refused_names == 51


def test_the_relay_command_runs_without_qt_and_stops_on_sigterm(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    script = (
        "import sys, threading, os, signal\n"
        "from monitor_app.cli import run_command\n"
        "threading.Timer(1.5, lambda: os.kill(os.getpid(), signal.SIGTERM)).start()\n"
        f"code = run_command(['relay', '--hub', 'tcp://127.0.0.1:{free_port()}', '--publish', "
        f"'tcp://127.0.0.1:{free_port()}', '--stats-json', {str(tmp_path / 's.json')!r}])\n"
        "print('qt loaded:', any(m.startswith('PySide6') for m in sys.modules), 'code:', code)\n"
    )
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "qt loaded: False code: 0" in done.stdout
    assert time.monotonic() - started < 20
    stats = json.loads((tmp_path / "s.json").read_text())
    assert stats["connections"][0]["state"] == "live" and stats["process"]["threads"] >= 2
