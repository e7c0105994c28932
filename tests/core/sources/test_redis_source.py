"""The Redis source against a real ``redis-server``: channel frames, announced keys, streams, restarts, passwords."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterator

import numpy as np
import pytest
import simplejpeg

from monitor_app.cli import parse_window_args
from monitor_app.core.layouts.adhoc import layout_from_addresses
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.model import parse_layout
from monitor_app.core.sources.base import PermanentSourceError, SourceError
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.redis_source import RedisSource
from monitor_app.core.sources.registry import create_source, source_kind
from tests.peers.redis_server import RedisServer

PASSWORD = "s3cr3t-Pw"


class Sink:
    """Records what a source delivers (the FrameSink contract)."""

    def __init__(self, hidden: tuple[str, ...] = ()) -> None:
        self.frames: list[EncodedFrame] = []
        self.bad: list[tuple[str, str | None]] = []
        self.hidden = hidden
        self.heartbeats: list[str] = []

    def deliver(self, frame: EncodedFrame) -> None:
        self.frames.append(frame)

    def heartbeat(self, camera: str) -> None:
        self.heartbeats.append(camera)

    def bad_message(self, reason: str, camera: str | None = None) -> None:
        self.bad.append((reason, camera))

    def camera_link_lost(self, camera: str, reason: str) -> None:
        pass

    def wants_frames(self, camera: str) -> bool:
        return camera not in self.hidden

    def target_size(self, camera: str) -> tuple[int, int] | None:
        return None

    def cameras(self) -> list[str]:
        return [f.camera for f in self.frames]


def jpeg(level: int) -> bytes:
    return simplejpeg.encode_jpeg(np.full((48, 64, 3), level, np.uint8), colorspace="BGR")


def level(frame: EncodedFrame) -> int:
    assert frame.jpeg is not None
    return int(simplejpeg.decode_jpeg(frame.jpeg, colorspace="BGR")[10, 10, 0])


def pump(source: RedisSource, sink: Sink, until: Callable[[], bool], publish: Callable[[], None] | None = None) -> None:
    deadline = time.monotonic() + 10
    while not until():
        assert time.monotonic() < deadline, f"timed out; frames {sink.cameras()}, bad {sink.bad}"
        if publish is not None:
            publish()
        source.read(sink, 0.1)


@pytest.fixture
def server() -> Iterator[RedisServer]:
    srv = RedisServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def opened() -> Iterator[list[RedisSource]]:
    sources: list[RedisSource] = []
    yield sources
    for source in sources:
        source.close()


def open_source(url: str, opened: list[RedisSource]) -> RedisSource:
    source = create_source("redis", "r", {"url": url})
    assert isinstance(source, RedisSource)
    opened.append(source)
    source.open()
    return source


def test_channel_messages_that_are_frames_are_named_after_their_channel(
    server: RedisServer, opened: list[RedisSource]
) -> None:
    source = open_source(server.url("channel=door&channel=yard.*"), opened)
    sink, pub = Sink(), server.client()

    def publish() -> None:
        pub.publish("door", jpeg(40))  # raw JPEG bytes
        pub.publish("yard.north", base64.b64encode(jpeg(160)))  # base64 text, on a glob pattern
        pub.publish("yard.south", b"x" * 5000)  # neither a frame nor a key name

    pump(source, sink, lambda: {"door", "yard.north"} <= set(sink.cameras()) and bool(sink.bad), publish)
    by_camera = {f.camera: f for f in sink.frames}
    assert level(by_camera["door"]) == 40 and level(by_camera["yard.north"]) == 160
    assert ("message is neither a JPEG, base64 JPEG nor a key name", "yard.south") in sink.bad
    started = time.monotonic()
    source.read(Sink(), 0.1)  # nothing waiting: the read returns after its timeout
    assert time.monotonic() - started < 0.5


def test_an_announced_key_is_fetched_once_newest_wins_named_after_the_key(
    server: RedisServer, opened: list[RedisSource]
) -> None:
    source = open_source(server.url("channel=img0"), opened)
    sink, pub = Sink(), server.client()
    pub.set("192.168.1.10", base64.b64encode(jpeg(30)))
    pump(source, sink, lambda: bool(sink.frames), lambda: pub.publish("img0", "192.168.1.10"))
    assert sink.frames[0].camera == "192.168.1.10" and level(sink.frames[0]) == 30

    for value in (80, 120, 200):  # three announcements before we read: one GET, the newest value
        pub.set("192.168.1.10", base64.b64encode(jpeg(value)))
        pub.publish("img0", "192.168.1.10")
    pub.publish("img0", "no-such-key")
    pub.set("10.0.0.9", base64.b64encode(jpeg(99)))
    pub.publish("img0", "10.0.0.9")  # a camera nobody shows: marked alive, never fetched
    later = Sink(hidden=("10.0.0.9",))
    fetched = source.keys_fetched
    pump(source, later, lambda: bool(later.frames) and bool(later.bad) and bool(later.heartbeats))
    assert [(f.camera, level(f)) for f in later.frames] == [("192.168.1.10", 200)]
    assert later.bad == [("key 'no-such-key' has no string value", "no-such-key")]
    assert later.heartbeats == ["10.0.0.9"] and source.keys_fetched == fetched + 2


def test_a_stream_delivers_its_newest_entry_only_never_its_history(
    server: RedisServer, opened: list[RedisSource]
) -> None:
    pub = server.client()
    for value in (10, 20):
        pub.xadd("cams:garage", {"camera": "garage", "image": jpeg(value)})
    source = open_source(server.url("stream=cams:garage&field=image"), opened)
    sink = Sink()
    for _ in range(3):
        source.read(sink, 0.1)
    assert sink.frames == [] and sink.bad == []  # what was there before we came is history

    for value in (60, 90, 250):
        pub.xadd("cams:garage", {"camera": "garage", "image": base64.b64encode(jpeg(value))})
    pump(source, sink, lambda: bool(sink.frames))
    for _ in range(3):
        source.read(sink, 0.1)
    assert [(f.camera, level(f)) for f in sink.frames] == [("cams:garage", 250)]

    porch = open_source(server.url("stream=cams:porch&stream=cams:gate"), opened)  # no field: the longest
    pub.xadd("cams:porch", {"camera": "porch", "jpg": jpeg(140)})
    pub.xadd("cams:gate", {"camera": "gate", "jpg": b"not a frame at all"})
    both = Sink()
    pump(porch, both, lambda: bool(both.frames) and bool(both.bad))
    assert [(f.camera, level(f)) for f in both.frames] == [("cams:porch", 140)]
    assert both.bad == [("single-part message is neither JPEG nor base64", "cams:gate")]


def test_a_restarted_server_is_a_source_error_and_reopening_resumes(
    server: RedisServer, opened: list[RedisSource]
) -> None:
    source = open_source(server.url("channel=img0"), opened)
    sink = Sink()
    pump(source, sink, lambda: bool(sink.frames), lambda: server.client().publish("img0", jpeg(50)))
    server.stop()
    started = time.monotonic()
    with pytest.raises(SourceError) as lost:
        for _ in range(50):
            source.read(sink, 0.1)
    assert time.monotonic() - started < 2 and not isinstance(lost.value, PermanentSourceError)
    source.close()
    with pytest.raises(SourceError):
        source.open()  # still down
    assert source.reachable(0.1) is False

    server.start()  # the same port
    assert source.reachable(0.1) is True
    source.open()
    again = Sink()
    pump(source, again, lambda: bool(again.frames), lambda: server.client().publish("img0", jpeg(70)))
    assert level(again.frames[0]) == 70


def test_a_password_works_and_never_shows(opened: list[RedisSource]) -> None:
    server = RedisServer(password=PASSWORD).start()
    try:
        source = open_source(server.url("channel=img0"), opened)
        assert PASSWORD not in source.description and ":***@" in source.description
        assert PASSWORD not in str(source.endpoint_stats())
        sink = Sink()
        pump(source, sink, lambda: bool(sink.frames), lambda: server.client().publish("img0", jpeg(90)))

        wrong = RedisSource(server.url("channel=img0").replace(PASSWORD, "wrong-Pw"))
        opened.append(wrong)
        with pytest.raises(PermanentSourceError) as refused:
            wrong.open()
        missing = RedisSource(f"redis://127.0.0.1:{server.port}/0?channel=img0")
        opened.append(missing)
        with pytest.raises(PermanentSourceError) as needed:
            missing.open()
        for text in (str(refused.value), str(needed.value), wrong.description):
            assert PASSWORD not in text and "wrong-Pw" not in text
    finally:
        server.stop()


def test_the_kind_is_declared_validated_and_offered_on_the_command_line() -> None:
    kind = source_kind("redis")
    assert kind.many_cameras and kind.address == "url" and kind.fields["url"].secret_url
    options = parse_window_args(["--redis", "redis://h:1/0?channel=a", "--redis", "redis://h:2/0?stream=s"])
    adhoc = layout_from_addresses(options.addresses())
    assert [(c.kind, c.options, c.auto_add_cameras) for c in adhoc.connections] == [
        ("redis", {"url": "redis://h:1/0?channel=a"}, True),
        ("redis", {"url": "redis://h:2/0?stream=s"}, True),
    ]
    layout = {
        "schema_version": 1,
        "grid": {"rows": 1, "columns": 1},
        "connections": [{"id": "r", "kind": "redis", "url": "redis://:pw@h/0?channel=a&stream=s"}],
        "cameras": [],
    }
    with pytest.raises(LayoutError) as bad:
        parse_layout(layout)
    assert "channels and streams need a connection each" in str(bad.value) and "pw@" not in str(bad.value)
    for url, problem in [
        ("redis://h/0", "name what to read"),
        ("http://h/0?channel=a", "must start with redis://"),
        ("redis://h/x?channel=a", "must be a number"),
        ("redis://h/0?chanel=a", "unknown option 'chanel'"),
    ]:
        source = create_source("redis", "r", {"url": url})
        with pytest.raises(PermanentSourceError, match=problem):
            source.open()
