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
from monitor_app.core.sources.base import FrameSink, PermanentSourceError, SourceError, StreamNotReadyError
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


class ComesAndGoes(TestPatternSource):
    """A pattern camera whose server can be down, back, or up but failing, and a probe that reports it."""

    def __init__(self, up: bool = False) -> None:
        super().__init__("flaky", 64, 48, fps=50)
        self.up = up  # the server answers a TCP connect
        self.streams = False  # ... and its stream opens
        self.drop_after = 0  # frames before the stream drops (0: never)
        self.opens = 0
        self.opened_at: list[float] = []
        self.probes = 0
        self.probe_s = 0.0  # how long a probe blocks (one that gets no answer takes its whole timeout)

    def open(self) -> None:
        self.opens += 1
        self.opened_at.append(time.monotonic())
        if not self.up:
            raise SourceError("connection refused")
        if not self.streams:
            raise SourceError("server error (503)")
        super().open()
        self._frames_this_time = 0

    def read(self, sink: FrameSink, timeout_s: float) -> None:
        if self.drop_after == 1:
            raise SourceError("stream ended before its first frame")
        super().read(sink, timeout_s)
        self._frames_this_time += 1
        if self.drop_after and self._frames_this_time >= self.drop_after:
            raise SourceError("stream ended (connection closed by the camera)")

    def reachable(self, timeout_s: float) -> bool | None:
        self.probes += 1
        if self.probe_s:
            time.sleep(min(self.probe_s, timeout_s))
            return None
        return self.up


class NeverAuthorisedButThere(NeverAuthorised):
    def __init__(self) -> None:
        super().__init__("cam")
        self.opens = 0
        self.probes = 0

    def open(self) -> None:
        self.opens += 1
        super().open()

    def reachable(self, timeout_s: float) -> bool | None:
        self.probes += 1
        return self.probes % 2 == 0  # down, up, down, up: would cut a wait that listened to it


class NotPublishedYet(TestPatternSource):
    """A restreamer answering 404 until its publisher starts."""

    def __init__(self) -> None:
        super().__init__("cam", 64, 48, fps=50)
        self.opens = 0

    def open(self) -> None:
        self.opens += 1
        raise StreamNotReadyError("the server has no stream at this path yet (404 Not Found); retrying")


class HangsInRead(TestPatternSource):
    def read(self, sink: FrameSink, timeout_s: float) -> None:
        time.sleep(timeout_s)  # a camera that never sends anything


@contextmanager
def running(
    source: TestPatternSource, backoff: Backoff | None = None, stop_within_s: float = 1.0
) -> Iterator[tuple[ConnectionFeeds, CameraFeed]]:
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
        assert time.monotonic() - began < stop_within_s, "the loop must see its stop flag within ~0.1 s"


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


def test_a_camera_that_was_streaming_is_retried_at_once() -> None:
    source = ComesAndGoes(up=True)
    source.streams, source.drop_after = True, 10
    with running(source, Backoff(initial_s=3, maximum_s=60, jitter=0, at_once_every_s=0)) as (feeds, feed):
        wait_for(lambda: source.opens >= 4, timeout=6.0)  # today: 3 s, 6 s, 12 s ... while it streams
        assert feed.health.frames_received >= 30
        source.drop_after = 1  # now it opens but drops before delivering: a failed try, which waits
        wait_for(lambda: "before its first frame" in feeds.status.error)
        assert (feeds.status.retry_at or 0) - time.monotonic() > 1.0
        opens = source.opens
        time.sleep(1.0)
        assert source.opens == opens


def test_only_a_server_seen_down_then_up_cuts_a_long_wait_short() -> None:
    source = ComesAndGoes(up=True)  # the port answers, the stream fails: probing must not spin
    with running(source, Backoff(initial_s=60, jitter=0)) as (feeds, _):
        wait_for(lambda: feeds.status.state is CameraState.RECONNECTING)
        wait_for(lambda: source.probes >= 3, timeout=10.0)  # checked about every second while waiting
        assert source.opens == 1
        source.up = False  # the server goes away ...
        seen = source.probes
        wait_for(lambda: source.probes >= seen + 2, timeout=10.0)
        assert source.opens == 1
        source.up, source.streams = True, True  # ... and comes back: tried at once, not in a minute
        back = time.monotonic()
        wait_for(lambda: source.opens == 2, timeout=10.0)
        print(f"server back -> reopened in {source.opened_at[-1] - back:.2f} s")
        assert feeds.status.state is CameraState.LIVE


def test_a_probing_wait_still_stops_promptly() -> None:
    source = ComesAndGoes(up=False)
    source.probe_s = 10.0  # a probe nobody answers: it takes the whole time it is given
    with running(source, Backoff(initial_s=60, jitter=0), stop_within_s=1.0) as (feeds, _):
        wait_for(lambda: feeds.status.state is CameraState.RECONNECTING)
        wait_for(lambda: source.probes >= 2, timeout=10.0)
        time.sleep(0.05)  # most likely inside a probe now
        began = time.monotonic()
    print(f"stop during a probing wait took {time.monotonic() - began:.3f} s")


def test_what_retrying_cannot_fix_waits_for_the_user_or_minutes_not_30_s() -> None:
    source = NeverAuthorisedButThere()
    with running(source) as (feeds, feed):
        wait_for(lambda: feeds.status.state is CameraState.ERROR)
        retry_at = feeds.status.retry_at
        assert retry_at is not None and retry_at - time.monotonic() > 4 * 60  # today: the 30 s cap
        time.sleep(2.5)
        assert source.opens == 1 and source.probes == 0  # no probe cuts it short: the server is there
        assert feed.health.snapshot().state is CameraState.ERROR
        feeds.status.retry_now()  # Reconnect Now
        wait_for(lambda: source.opens == 2, timeout=2.0)
        wait_for(lambda: feeds.status.state is CameraState.ERROR and feeds.status.retry_at != retry_at)
        retry_at = feeds.status.retry_at
        assert retry_at is not None and retry_at - time.monotonic() > 4 * 60


def test_a_stream_not_published_yet_waits_and_is_retried_every_few_seconds_however_long_it_lasts() -> None:
    source = NotPublishedYet()
    # Back-off that would be at its 30 s cap after a few failures; the 404's hint keeps it at 5 s at most.
    with running(source, Backoff(initial_s=4, jitter=0)) as (feeds, feed):
        wait_for(lambda: feeds.status.state is CameraState.RECONNECTING)
        snapshot = feed.health.snapshot()
        assert snapshot.state is CameraState.RECONNECTING and "404" in snapshot.error
        wait_for(lambda: source.opens >= 3, timeout=15.0)  # 4 s, then 5 s (8 s uncapped)
        retry_at = feeds.status.retry_at
        assert retry_at is not None and retry_at - time.monotonic() <= StreamNotReadyError.retry_within_s
