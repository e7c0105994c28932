"""The receiver loop: delivers, reconnects with back-off, shows errors, stops promptly."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from monitor_app.core.pipeline.backoff import Backoff
from monitor_app.core.pipeline.connection_loop import run_connection
from monitor_app.core.pipeline.decode_queue import DecodeQueue
from monitor_app.core.pipeline.health import CameraState, ConnectionStatus
from monitor_app.core.pipeline.routing import ANY_CAMERA, CameraFeed, ConnectionFeeds
from monitor_app.core.sources.base import FrameSink, PermanentSourceError, SourceError
from monitor_app.core.sources.pattern import TestPatternSource


class DropsTwiceThenWorks(TestPatternSource):
    """A real pattern camera whose first two opens fail, like a server still booting."""

    def __init__(self) -> None:
        super().__init__("flaky", 64, 48, fps=50)
        self.opens = 0

    def open(self) -> None:
        self.opens += 1
        if self.opens <= 2:
            raise SourceError("connection refused by rtsp://u:hunter2@cam/x")
        super().open()


class NeverAuthorised(TestPatternSource):
    def open(self) -> None:
        raise PermanentSourceError("401 Unauthorized for rtsp://u:hunter2@cam/x")


class HangsInRead(TestPatternSource):
    def read(self, sink: FrameSink, timeout_s: float) -> None:
        time.sleep(timeout_s)  # a camera that never sends anything


@contextmanager
def running(source: TestPatternSource, backoff: Backoff | None = None) -> Iterator[tuple[ConnectionFeeds, CameraFeed]]:
    status = ConnectionStatus()
    feeds = ConnectionFeeds("c", status, DecodeQueue().push)
    feed = CameraFeed("k", "c", ANY_CAMERA, status)
    feeds.attach(feed)
    stop = threading.Event()
    thread = threading.Thread(target=run_connection, args=(source, feeds, stop, backoff))
    thread.start()
    try:
        yield feeds, feed
    finally:
        began = time.monotonic()
        stop.set()
        thread.join(5)
        assert not thread.is_alive()
        assert time.monotonic() - began < 1.0, "the loop must see its stop flag within ~0.1 s"


def wait_for(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def test_a_pattern_source_goes_live_and_delivers_frames() -> None:
    with running(TestPatternSource("cam", 64, 48, fps=60)) as (_, feed):
        wait_for(lambda: feed.health.frames_received >= 10)
        assert feed.health.snapshot().state is CameraState.LIVE


def test_failed_opens_show_reconnecting_without_the_password_then_recover() -> None:
    source = DropsTwiceThenWorks()
    with running(source, Backoff(initial_s=0.05, jitter=0)) as (feeds, feed):
        wait_for(lambda: feeds.status.state is CameraState.RECONNECTING)
        assert "hunter2" not in feeds.status.error and "***" in feeds.status.error
        wait_for(lambda: feed.health.frames_received >= 5)
        assert source.opens == 3
        assert feed.health.snapshot().state is CameraState.LIVE
        assert feeds.status.reconnects >= 1


def test_what_retrying_cannot_fix_is_an_error_with_its_reason() -> None:
    with running(NeverAuthorised("cam")) as (feeds, feed):
        wait_for(lambda: feeds.status.state is CameraState.ERROR)
        snapshot = feed.health.snapshot()
        assert snapshot.state is CameraState.ERROR and "401" in snapshot.error and "hunter2" not in snapshot.error


def test_a_silent_source_still_stops_promptly() -> None:
    with running(HangsInRead("cam")) as (_, feed):
        time.sleep(0.3)
        assert feed.health.frames_received == 0


def test_reconnect_now_cuts_a_long_wait_short() -> None:
    source = DropsTwiceThenWorks()
    with running(source, Backoff(initial_s=60, jitter=0)) as (feeds, feed):
        wait_for(lambda: feeds.status.state is CameraState.RECONNECTING)
        time.sleep(0.3)
        assert source.opens == 1  # waiting out its minute
        feeds.status.retry_now()
        wait_for(lambda: source.opens == 2, timeout=2.0)
        feeds.status.retry_now()
        wait_for(lambda: feed.health.frames_received >= 5, timeout=5.0)
        assert source.opens == 3 and feed.health.snapshot().state is CameraState.LIVE
