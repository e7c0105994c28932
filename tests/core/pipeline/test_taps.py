"""Taps see every received frame before the inbox's latest-wins drop; a camera with none pays nothing."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from monitor_app.core.pipeline.health import ConnectionStatus
from monitor_app.core.pipeline.routing import ANY_CAMERA, CameraFeed, ConnectionFeeds
from monitor_app.core.pipeline.taps import LatestFrameTap, TapSet
from monitor_app.core.sources.frames import EncodedFrame


class Recorder:
    """A tap keeping every frame (what a recorder's bounded queue would hold)."""

    def __init__(self) -> None:
        self.frames: list[EncodedFrame] = []

    def offer(self, frame: EncodedFrame) -> None:
        self.frames.append(frame)


def one_camera() -> tuple[ConnectionFeeds, CameraFeed, list[CameraFeed]]:
    work: list[CameraFeed] = []
    feeds = ConnectionFeeds("c", ConnectionStatus(), work.append)
    feed = CameraFeed("cam", "c", ANY_CAMERA, feeds.status)
    feeds.attach(feed)
    return feeds, feed, work


def jpeg(n: int) -> EncodedFrame:
    return EncodedFrame("", jpeg=bytes([0xFF, 0xD8, n]))


def test_every_frame_reaches_the_taps_although_the_inbox_keeps_only_the_newest() -> None:
    feeds, feed, work = one_camera()
    first, second = Recorder(), Recorder()
    feed.add_tap(first)
    feed.add_tap(second)
    frames = [jpeg(n) for n in range(5)]
    for frame in frames:
        feeds.deliver(frame)
    assert first.frames == frames and second.frames == frames  # as received: the same objects
    assert feed.inbox.take() is frames[-1] and len(work) == 1
    assert feed.health.snapshot().frames_dropped == 4


def test_taps_come_and_go_while_frames_flow() -> None:
    feeds, feed, _ = one_camera()
    tap = Recorder()
    assert feed.taps == ()
    feed.add_tap(tap)
    feed.add_tap(tap)  # once only
    assert feed.taps == (tap,)
    feeds.deliver(jpeg(1))
    feed.remove_tap(tap)
    feeds.deliver(jpeg(2))
    assert [f.jpeg for f in tap.frames] == [jpeg(1).jpeg]
    feed.remove_tap(tap)  # twice is harmless


def test_the_tuple_is_replaced_never_changed_so_a_reader_iterates_without_a_lock() -> None:
    taps = TapSet()
    a, b = Recorder(), Recorder()
    taps.add(a)
    seen = taps.taps
    taps.add(b)
    taps.remove(a)
    assert seen == (a,) and taps.taps == (b,)


def test_adding_from_many_threads_loses_none() -> None:
    taps = TapSet()
    recorders = [Recorder() for _ in range(200)]
    threads = [threading.Thread(target=lambda r=r: taps.add(r)) for r in recorders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(taps.taps) == 200


def test_a_hidden_camera_is_read_while_a_tap_watches_it() -> None:
    feeds, feed, _ = one_camera()
    feed.set_view(visible=False)
    assert not feeds.wants_frames(ANY_CAMERA)  # nobody sees it: the source may skip it
    tap = Recorder()
    feed.add_tap(tap)
    assert feeds.wants_frames(ANY_CAMERA)
    feed.remove_tap(tap)
    assert not feeds.wants_frames(ANY_CAMERA)


def test_a_failing_tap_neither_stops_the_others_nor_the_tile(caplog: pytest.LogCaptureFixture) -> None:
    feeds, feed, work = one_camera()

    class Broken:
        def offer(self, frame: EncodedFrame) -> None:
            raise RuntimeError("bug")

    good = Recorder()
    feed.add_tap(Broken())
    feed.add_tap(good)
    feeds.deliver(jpeg(1))
    assert len(good.frames) == 1 and len(work) == 1
    assert "a frame tap of cam failed" in caplog.text


def test_the_latest_frame_tap_wakes_its_reader_once_per_fill_and_counts_what_it_drops() -> None:
    wakes: list[None] = []
    tap = LatestFrameTap(lambda: wakes.append(None))
    pixels = EncodedFrame("", pixels=np.zeros((2, 2, 3), np.uint8))
    tap.offer(jpeg(1))
    tap.offer(jpeg(2))
    tap.offer(pixels)
    assert len(wakes) == 1 and tap.dropped == 2 and tap.offered == 3
    assert tap.take() is pixels and tap.take() is None
    tap.offer(jpeg(3))
    assert len(wakes) == 2
