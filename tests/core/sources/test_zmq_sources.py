"""Hub and subscriber sources driven on the main thread, with real sockets and the real ConnectionFeeds."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable, Iterator

import imagezmq.imagezmq as izmq
import numpy as np
import pytest
import simplejpeg
import zmq

from monitor_app.core.net import free_port, free_ports
from monitor_app.core.pipeline.connection_loop import run_connection
from monitor_app.core.pipeline.decode_queue import decode_one
from monitor_app.core.pipeline.health import CameraState, ConnectionStatus
from monitor_app.core.pipeline.routing import CameraFeed, ConnectionFeeds
from monitor_app.core.sources.base import FrameSource, PermanentSourceError
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.imagezmq_wire import encode_jpeg_message
from monitor_app.core.sources.registry import create_source
from monitor_app.core.sources.zmq_hub import HubSource
from monitor_app.core.sources.zmq_sub import SubSource
from tests.peers.undecodable_sender import undecodable_jpeg


class Wiring:
    """A connection's real sink with some cameras attached, like the pipeline builds it."""

    def __init__(self, names: list[str], auto_add: bool = False) -> None:
        self.status = ConnectionStatus()
        self.discovered: list[str] = []
        self.feeds = ConnectionFeeds("conn", self.status, self.decode, auto_add)
        self.cams: dict[str, CameraFeed] = {}
        for name in names:
            self.cams[name] = CameraFeed(name, "conn", name, self.status)
            self.feeds.attach(self.cams[name])

    def newest(self, name: str) -> EncodedFrame | None:
        return self.cams[name].inbox.take()

    def decode(self, feed: CameraFeed) -> None:
        """A new name's feed is decoded at once, as the pipeline's pool would, and announced once it decodes."""
        if feed.provisional:
            decode_one(feed, lambda f, _pixels, _frame: self.feeds.discovered(f) and self.discovered.append(f.camera))


def pump(
    source: FrameSource,
    wiring: Wiring,
    until: Callable[[], bool],
    timeout_s: float = 10.0,
    between: Callable[[], None] | None = None,
) -> None:
    """Read until ``until()`` holds; ``between`` runs after every read (to keep publishing)."""
    deadline = time.monotonic() + timeout_s
    while not until():
        assert time.monotonic() < deadline, "condition not reached in time"
        source.read(wiring.feeds, 0.05)
        if between is not None:
            between()


@pytest.fixture
def context() -> Iterator[zmq.Context]:
    ctx = izmq.SerializingContext()  # imagezmq's own send_array / send_jpg
    yield ctx
    ctx.destroy(linger=0)  # closes what a failed test left open, so term() cannot hang


def req(context: zmq.Context, port: int) -> zmq.Socket:
    sock = context.socket(zmq.REQ)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.RCVTIMEO, 3000)
    sock.connect(f"tcp://127.0.0.1:{port}")
    return sock


@pytest.fixture
def hub_port() -> int:
    return free_port()


@pytest.fixture
def hub(hub_port: int) -> Iterator[HubSource]:
    source = HubSource(f"tcp://127.0.0.1:{hub_port}", max_message_bytes=200_000)
    source.open()
    yield source
    source.close()


def jpeg(value: int = 0, size: tuple[int, int] = (64, 48)) -> bytes:
    image = np.full((size[1], size[0], 3), value, np.uint8)
    return simplejpeg.encode_jpeg(image, quality=80, colorspace="BGR")


# Hub ------------------------------------------------------------------------------------------
def test_hub_serves_jpeg_raw_gray_and_heartbeats_from_imagezmq_sockets(hub, hub_port, context) -> None:
    wiring = Wiring(["front", "back", "mono", "pi"])
    senders = [req(context, hub_port) for _ in range(4)]
    senders[0].send_jpg("front|jpg", jpeg(200))
    senders[1].send_array(np.full((30, 40, 3), 7, np.uint8), "back")
    senders[2].send_array(np.full((30, 40), 9, np.uint8), "mono")
    senders[3].send_jpg("pi|Heartbeat", b"")
    pump(hub, wiring, lambda: hub.messages >= 4)
    assert [s.recv() for s in senders] == [b"OK"] * 4
    front, back, mono = wiring.newest("front"), wiring.newest("back"), wiring.newest("mono")
    assert front is not None and front.jpeg is not None
    assert back is not None and back.pixels is not None and back.pixels.shape == (30, 40, 3)
    assert mono is not None and mono.pixels is not None and int(mono.pixels[0, 0]) == 9
    assert wiring.cams["pi"].inbox.is_empty()  # a heartbeat is not a frame ...
    assert wiring.cams["pi"].health.snapshot().state is CameraState.LIVE  # ... but keeps the camera alive
    assert hub.endpoint_stats()[0]["heartbeats"] == 1
    for sock in senders:
        sock.close()


def test_hub_replies_before_anyone_takes_the_frame_and_keeps_only_the_newest(hub, hub_port, context) -> None:
    wiring = Wiring(["cam"])
    sender = req(context, hub_port)
    for n in range(10):  # lockstep REQ: each send needs the previous reply
        sender.send_multipart(encode_jpeg_message("cam", jpeg(n * 20), sent_at=1700000000.0 + n))
        pump(hub, wiring, lambda n=n: hub.replies > n)
        assert sender.recv() == b"OK"
    newest = wiring.newest("cam")
    assert newest is not None and newest.sent_at == 1700000009.0
    snap = wiring.cams["cam"].health.snapshot()
    assert (snap.frames_received, snap.frames_dropped) == (10, 9)
    sender.close()


def test_hub_drains_a_burst_in_one_wake_up(hub, hub_port, context) -> None:
    wiring = Wiring(["cam"])
    dealer = context.socket(zmq.DEALER)  # pipelines requests, as many REQ senders at once would
    dealer.setsockopt(zmq.LINGER, 0)
    dealer.connect(f"tcp://127.0.0.1:{hub_port}")
    for n in range(50):
        dealer.send_multipart([b"", *encode_jpeg_message("cam", jpeg(), sent_at=1700000000.0 + n)])
    pump(hub, wiring, lambda: hub.messages >= 50)
    replies = [dealer.recv_multipart() for _ in range(50)]
    assert all(r == [b"", b"OK"] for r in replies)
    newest = wiring.newest("cam")
    assert newest is not None and newest.sent_at == 1700000049.0
    assert wiring.cams["cam"].health.snapshot().frames_dropped == 49
    dealer.close()


def test_hub_counts_hostile_messages_and_keeps_serving(hub, hub_port, context) -> None:
    wiring = Wiring(["good"])
    sender = req(context, hub_port)
    bad = [
        [b"one part"],
        [b"{broken", b"x"],
        [b'{"msg": "good", "dtype": "float64", "shape": [2, 2]}', bytes(32)],
        [b'{"msg": "good", "dtype": "uint8", "shape": [10, 10]}', bytes(99)],
        [b'{"msg": "good"}', b"\xff\xd8\xff not a jpeg"],
        [b'{"msg": "good"}', b"x", b"y"],
    ]
    for n, parts in enumerate(bad):
        sender.send_multipart(parts)
        pump(hub, wiring, lambda n=n: hub.replies > n)
        assert sender.recv() == b"OK"  # a REQ sender is never left hanging, even for garbage
    dealer = context.socket(zmq.DEALER)
    dealer.setsockopt(zmq.LINGER, 0)
    dealer.connect(f"tcp://127.0.0.1:{hub_port}")
    dealer.send_multipart([b'{"msg": "good"}', jpeg()])  # no REQ envelope
    pump(hub, wiring, lambda: hub.bad_messages >= len(bad) + 1)
    sender.send_jpg("good", jpeg())
    pump(hub, wiring, lambda: not wiring.cams["good"].inbox.is_empty())
    assert sender.recv() == b"OK"
    assert wiring.status.bad_messages == len(bad) + 1
    assert wiring.cams["good"].health.snapshot().bad_messages == 3  # the ones whose header named it
    assert wiring.cams["good"].health.snapshot().frames_received == 1
    dealer.close()
    sender.close()


def test_hub_drops_the_connection_of_an_oversized_message_only(hub, hub_port, context) -> None:
    wiring = Wiring(["good"])
    attacker, good = req(context, hub_port), req(context, hub_port)
    attacker.send_jpg("good", b"\xff\xd8\xff" + bytes(400_000))  # over the hub's 200 kB cap
    pump(hub, wiring, lambda: hub.endpoint_stats()[0]["peer_disconnects"] >= 1)
    good.send_jpg("good", jpeg())
    pump(hub, wiring, lambda: not wiring.cams["good"].inbox.is_empty())
    assert good.recv() == b"OK"
    assert hub.messages == 1  # the huge one never reached the application
    attacker.close()
    good.close()


def test_hub_announces_new_names_when_auto_adding_once_a_frame_decodes(hub, hub_port, context) -> None:
    wiring = Wiring([], auto_add=True)
    sender = req(context, hub_port)
    bogus = undecodable_jpeg()  # a JPEG header the hub accepts, a body no decoder can show
    for n, (name, payload) in enumerate((("kitchen|jpg", jpeg()), ("bogus", bogus), ("hall", jpeg()))):
        sender.send_jpg(name, payload)
        pump(hub, wiring, lambda n=n: hub.replies > n)
        assert sender.recv() == b"OK"
    assert wiring.discovered == ["kitchen", "hall"]
    assert hub.bad_messages == 0  # the bogus frame passed every check of the wire: only decoding tells
    sender.close()


def test_a_taken_port_is_a_clear_permanent_error(hub, hub_port) -> None:
    second = HubSource(f"tcp://127.0.0.1:{hub_port}")
    with pytest.raises(PermanentSourceError, match="already in use"):
        second.open()


def test_closing_the_hub_frees_its_port_at_once(hub_port) -> None:
    for _ in range(3):
        source = create_source("hub", "h", {"endpoint": f":{hub_port}"})
        assert isinstance(source, HubSource) and source.endpoint == f"tcp://*:{hub_port}"
        source.open()
        source.close()


def test_hub_runs_in_a_receiver_thread_and_stops_promptly(hub_port, context) -> None:
    wiring = Wiring(["cam"])
    source = HubSource(f"tcp://127.0.0.1:{hub_port}")
    stop = threading.Event()
    thread = threading.Thread(target=run_connection, args=(source, wiring.feeds, stop), name="receiver-test")
    thread.start()
    sender = req(context, hub_port)
    sender.send_jpg("cam", jpeg())
    assert sender.recv() == b"OK"
    assert wiring.status.state is CameraState.LIVE
    started = time.monotonic()
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive() and time.monotonic() - started < 2.0
    sender.close()
    again = HubSource(f"tcp://127.0.0.1:{hub_port}")  # closed in its thread: the port is free
    again.open()
    again.close()


# Subscriber --------------------------------------------------------------------------------------
class Publisher:
    """A bound PUB socket publishing whatever ``message()`` returns."""

    def __init__(self, context: zmq.Context, port: int, message: Callable[[], list[bytes]]) -> None:
        self.port, self.message, self.context = port, message, context
        self.sock = self._bind()

    def _bind(self) -> zmq.Socket:
        sock = self.context.socket(zmq.PUB)
        sock.setsockopt(zmq.LINGER, 0)
        sock.bind(f"tcp://127.0.0.1:{self.port}")
        return sock

    def publish(self) -> None:
        if self.sock is not None:
            self.sock.send_multipart(self.message())

    def stop(self) -> None:
        self.sock.close()
        self.sock = None  # type: ignore[assignment]

    def restart(self) -> None:
        self.sock = self._bind()


def test_one_subscriber_reads_imagezmq_jpeg_raw_and_base64_publishers(context) -> None:
    ports = free_ports(3)
    b64_camera = f"tcp://127.0.0.1:{ports[2]}"
    publishers = [
        Publisher(context, ports[0], lambda: encode_jpeg_message("pub-jpeg|jpg", jpeg(50))),
        Publisher(context, ports[1], lambda: [b'{"msg": "pub-raw", "dtype": "uint8", "shape": [4, 4, 3]}', bytes(48)]),
        Publisher(context, ports[2], lambda: [base64.b64encode(jpeg(90))]),
    ]
    wiring = Wiring(["pub-jpeg", "pub-raw", b64_camera])
    source = create_source("sub", "s", {"endpoints": [f"tcp://127.0.0.1:{p}" for p in ports]})
    source.open()
    try:
        pump(
            source,
            wiring,
            lambda: all(not c.inbox.is_empty() for c in wiring.cams.values()),
            between=lambda: [p.publish() for p in publishers],
        )
        raw = wiring.newest("pub-raw")
        assert raw is not None and raw.pixels is not None and raw.pixels.shape == (4, 4, 3)
        b64 = wiring.newest(b64_camera)
        assert b64 is not None and b64.jpeg == jpeg(90)
        stats = {s["endpoint"]: s for s in source.endpoint_stats()}
        assert all(stats[f"tcp://127.0.0.1:{p}"]["connected"] for p in ports)
        assert all(int(stats[f"tcp://127.0.0.1:{p}"]["messages"]) > 0 for p in ports)  # type: ignore[call-overload]
        assert stats[b64_camera]["single_part"] == stats[b64_camera]["messages"]
    finally:
        source.close()
        for p in publishers:
            p.stop()


def test_subscriber_counts_bad_messages_per_endpoint_and_keeps_going(context) -> None:
    good_port, bad_port = free_ports(2)
    good = Publisher(context, good_port, lambda: encode_jpeg_message("cam", jpeg()))
    garbage = iter([[b"a", b"b", b"c"], [b"{nope", b"x"], [b"plain text, not base64!"], [b"\xff\xd8\xff zz"]] * 1000)
    bad = Publisher(context, bad_port, lambda: next(garbage))
    wiring = Wiring(["cam"])
    source = SubSource([f"tcp://127.0.0.1:{good_port}", f":{bad_port}"])
    source.open()
    try:
        pump(
            source,
            wiring,
            lambda: wiring.status.bad_messages >= 8 and not wiring.cams["cam"].inbox.is_empty(),
            between=lambda: (good.publish(), bad.publish()),
        )
        stats = source.endpoint_stats()
        assert stats[0]["bad_messages"] == 0
        assert stats[1]["endpoint"] == f"tcp://127.0.0.1:{bad_port}"
        assert stats[1]["bad_messages"] == stats[1]["messages"]
    finally:
        source.close()
        good.stop()
        bad.stop()


def test_a_restarted_publisher_is_reconnected_and_the_stats_show_it(context) -> None:
    port = free_port()
    publisher = Publisher(context, port, lambda: encode_jpeg_message("cam", jpeg()))
    wiring = Wiring(["cam"])
    source = SubSource([f"tcp://127.0.0.1:{port}"])
    source.open()
    try:
        pump(source, wiring, lambda: not wiring.cams["cam"].inbox.is_empty(), between=publisher.publish)
        wiring.newest("cam")
        publisher.stop()
        pump(source, wiring, lambda: source.endpoint_stats()[0]["connected"] is False)
        assert source.endpoint_stats()[0]["disconnects"] == 1
        publisher.restart()
        pump(source, wiring, lambda: not wiring.cams["cam"].inbox.is_empty(), between=publisher.publish)
        pump(source, wiring, lambda: source.endpoint_stats()[0]["connected"] is True)
        assert source.endpoint_stats()[0]["connections"] == 2
    finally:
        source.close()
        publisher.stop()
