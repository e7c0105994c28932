"""One-shot full-size frame requests: filled once for every waiter, cancelled waiters cost nothing, a closed
stream fails them at once (``core/sources/full_frame.py``), the snapshot's wait falls back in time, and both
URL readers hand over the stream's size."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from monitor_app.core.snapshot_frames import FullFrameWaits, Shot, scaled
from monitor_app.core.sources.base import SourceError
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.full_frame import FullFrameRequests
from monitor_app.core.sources.url import UrlSource
from monitor_app.core.sources.url_worker import UrlSettings
from tests.core.sources.test_url_source_size import write_clip
from tests.url_sink import TileSink


def frame(width: int, height: int, source: tuple[int, int] | None = None) -> EncodedFrame:
    return EncodedFrame("", pixels=np.zeros((height, width, 3), np.uint8), source_size=source)


def test_every_waiting_request_gets_the_one_frame_made_for_them() -> None:
    requests = FullFrameRequests()
    assert not requests.pending
    first, second = requests.request(), requests.request()
    made: list[EncodedFrame] = []
    requests.fulfil(lambda: made.append(frame(1280, 720)) or made[-1])
    assert len(made) == 1 and first.result(0) is made[0] and second.result(0) is made[0]
    assert not requests.pending


def test_a_cancelled_request_makes_no_frame() -> None:
    requests = FullFrameRequests()
    requests.request().cancel()
    requests.fulfil(lambda: pytest.fail("converted for nobody"))
    assert not requests.pending


def test_a_conversion_that_fails_fails_the_request_not_the_stream() -> None:
    requests = FullFrameRequests()
    future = requests.request()

    def broken() -> EncodedFrame:
        raise ValueError("no such pixel format")

    requests.fulfil(broken)
    with pytest.raises(ValueError):
        future.result(0)


def test_a_closed_stream_fails_waiting_and_later_requests_at_once() -> None:
    requests = FullFrameRequests()
    waiting = requests.request()
    requests.close("gone")
    with pytest.raises(SourceError, match="gone"):
        waiting.result(0)
    with pytest.raises(SourceError, match="gone"):
        requests.request().result(0)


def test_scaled_means_smaller_than_the_stream() -> None:
    assert scaled(frame(320, 180, (1280, 720)))
    assert not scaled(frame(1280, 720, (1280, 720)))
    assert not scaled(frame(320, 180))  # a pattern or raw array: as it arrived
    assert not scaled(EncodedFrame("", jpeg=b"\xff\xd8"))


def test_the_wait_takes_the_full_frame_from_another_thread_or_falls_back_to_the_tile_frame_in_time() -> None:
    waits, requests = FullFrameWaits(), FullFrameRequests()
    tile = frame(320, 180, (1280, 720))
    shot = Shot("door", tile, waits.ask(requests.request()))
    full = frame(1280, 720, (1280, 720))
    threading.Timer(0.1, requests.fulfil, (lambda: full,)).start()
    assert waits.frame(shot, time.monotonic() + 5) == (full, True)

    late = Shot("door", tile, waits.ask(requests.request()))
    began = time.monotonic()
    assert waits.frame(late, began + 0.2) == (tile, False)
    assert 0.15 < time.monotonic() - began < 1.0
    requests.fulfil(lambda: pytest.fail("the waiter gave up: its request was cancelled"))


def test_stop_ends_a_wait_at_once() -> None:
    waits, requests = FullFrameWaits(), FullFrameRequests()
    tile = frame(320, 180, (1280, 720))
    shot = Shot("door", tile, waits.ask(requests.request()))
    threading.Timer(0.1, waits.stop).start()
    began = time.monotonic()
    assert waits.frame(shot, began + 10) == (tile, False)
    assert time.monotonic() - began < 2.0


@pytest.mark.parametrize("reader", ["pyav", "opencv"])
def test_both_readers_of_a_file_give_a_snapshot_the_stream_s_size_while_the_tile_gets_its_own(
    reader: str, tmp_path: Path
) -> None:
    clip = write_clip(tmp_path / "clip.avi", (640, 480))
    source = UrlSource(UrlSettings(url=str(clip), reader=reader))
    sink = TileSink((160, 120))
    try:
        source.open()
        deadline = time.monotonic() + 20
        while len(sink.frames) < 2:
            assert time.monotonic() < deadline, "no frames from the file"
            source.read(sink, 0.1)
        future = source.request_full_frame("")
        assert future is not None
        while not future.done():  # the tile's frames go on meanwhile
            assert time.monotonic() < deadline, "no full-size frame"
            source.read(sink, 0.1)
    finally:
        source.close()
    full = future.result(0)
    assert sink.frames[-1].pixels is not None and sink.frames[-1].pixels.shape[:2] == (120, 160)
    assert full.pixels is not None and full.pixels.shape[:2] == (480, 640) and full.source_size == (640, 480)
