"""Frames whose header lies: refused before decoding, never decoded at full size, one decode thread a camera."""

from __future__ import annotations

import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import pytest
import simplejpeg

from monitor_app.core.pipeline import decode_queue
from monitor_app.core.pipeline.decode import MAX_PIXELS, Decoded, DecodeError, decode_to_fit
from monitor_app.core.pipeline.decode_queue import DecodeQueue, Publish, run_decode_worker
from monitor_app.core.pipeline.health import ConnectionStatus
from monitor_app.core.pipeline.routing import CameraFeed, ConnectionFeeds
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.pattern import TestPatternRenderer
from monitor_app.core.sources.region import Region
from tests.peers.jpeg_bomb_sender import jpeg_bomb

MB = 2**20


def _jpeg(width: int, height: int) -> bytes:
    frame = TestPatternRenderer("cam", width, height).render(3)
    return bytes(simplejpeg.encode_jpeg(frame, quality=80, colorspace="BGR"))


def _peak_traced_bytes(action: Callable[[], object]) -> int:
    """The most memory Python and numpy held at once while ``action`` ran (decoder output included)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _refuse(data: bytes) -> None:
    with pytest.raises(DecodeError, match="budget"):
        decode_to_fit(EncodedFrame("bomb", jpeg=data), (320, 240))


@pytest.mark.parametrize("eoi", [True, False], ids=["closed", "cut"])
def test_a_30_kb_jpeg_claiming_8192x8192_is_refused_fast_without_allocating(eoi: bool) -> None:
    bomb = jpeg_bomb(8192, 8192, 30_000, eoi=eoi)
    assert simplejpeg.decode_jpeg_header(bomb)[:2] == (8192, 8192) and len(bomb) == 30_000
    began = time.perf_counter()
    peak = _peak_traced_bytes(lambda: _refuse(bomb))
    elapsed = time.perf_counter() - began
    # Decoding it in full (the old fallback) took 0.3-1.7 s and 450 MB here.
    assert elapsed < 0.1, elapsed
    assert peak < 1 * MB, peak


@pytest.mark.parametrize("claim", [(8192, 8192), (8192, 4096), (7681, 4320), (4320, 7681)])
def test_a_header_over_the_pixel_budget_is_refused_without_decoding(
    claim: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert claim[0] * claim[1] > MAX_PIXELS
    bomb = jpeg_bomb(*claim, size=20_000)

    def no_decoding(*_args: object, **_kwargs: object) -> None:
        pytest.fail("a frame over the budget reached a decoder")

    monkeypatch.setattr(simplejpeg, "decode_jpeg", no_decoding)
    monkeypatch.setattr("cv2.imdecode", no_decoding)
    _refuse(bomb)


@pytest.mark.parametrize("box", [(320, 240), (1920, 1080)])
def test_a_truncated_frame_at_the_budget_is_decoded_at_reduced_scale_only(box: tuple[int, int]) -> None:
    bomb = jpeg_bomb(7680, 4320, 30_000)  # 8K UHD: exactly the budget, so it is decoded
    result: list[np.ndarray] = []
    began = time.perf_counter()
    peak = _peak_traced_bytes(lambda: result.append(decode_to_fit(EncodedFrame("c", jpeg=bomb), box)[0]))
    elapsed = time.perf_counter() - began
    expected = (box[0], box[0] * 9 // 16)
    assert result[0].shape == (expected[1], expected[0], 4)
    # The full frame would be 133 MB as BGRX; DCT scaling to at least the tile is 2-8 MB.
    assert peak < 20 * MB, peak / MB
    assert elapsed < 0.5, elapsed


@pytest.mark.parametrize("tail", [b"", b"\xff\xd9"], ids=["cut", "closed"])
def test_a_truncated_camera_frame_is_still_shown_at_the_tile_size(tail: bytes) -> None:
    data = _jpeg(1280, 720)
    pixels, source = decode_to_fit(EncodedFrame("c", jpeg=data[: len(data) // 2] + tail), (320, 240))
    assert source == (1280, 720) and pixels.shape == (180, 320, 4)


# The decode queue: a camera's bad frames take one worker at most and count where they should ---------
def _wiring(names: list[str]) -> tuple[DecodeQueue, ConnectionFeeds, dict[str, CameraFeed]]:
    queue, status = DecodeQueue(), ConnectionStatus()
    feeds = ConnectionFeeds("hub", status, queue.push)
    cams = {name: CameraFeed(name, "hub", name, status) for name in names}
    for feed in cams.values():
        feeds.attach(feed)
    return queue, feeds, cams


class Occupancy:
    """How many threads are inside one camera's decode at once, and the most there ever were."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now: dict[str, int] = {}
        self.most: dict[str, int] = {}

    @contextmanager
    def inside(self, camera: str) -> Iterator[None]:
        with self._lock:
            self.now[camera] = self.now.get(camera, 0) + 1
            self.most[camera] = max(self.most.get(camera, 0), self.now[camera])
        try:
            yield
        finally:
            with self._lock:
                self.now[camera] -= 1


StartWorkers = Callable[[DecodeQueue, int, Publish], None]


@pytest.fixture
def start_workers() -> Iterator[StartWorkers]:
    """Starts real decode worker threads; stops and joins them after the test."""
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def start(queue: DecodeQueue, count: int, publish: Publish) -> None:
        for _ in range(count):
            threads.append(threading.Thread(target=run_decode_worker, args=(queue, publish, stop)))
            threads[-1].start()

    yield start
    stop.set()
    for t in threads:
        t.join(5)


def _wait_until(condition: Callable[[], bool], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def _drained(queue: DecodeQueue, cams: dict[str, CameraFeed], occupancy: Occupancy) -> bool:
    return not len(queue) and all(f.inbox.is_empty() for f in cams.values()) and not any(occupancy.now.values())


def test_a_camera_of_slow_frames_holds_one_decode_thread_and_the_others_keep_going(
    start_workers: StartWorkers,
) -> None:
    queue, feeds, cams = _wiring(["slow", "good"])
    occupancy = Occupancy()
    shown = {"slow": 0, "good": 0}

    def publish(feed: CameraFeed, _decoded: Decoded, _frame: EncodedFrame) -> None:
        with occupancy.inside(feed.camera):
            if feed.camera == "slow":
                time.sleep(0.05)  # a frame that keeps its worker busy
            shown[feed.camera] += 1

    start_workers(queue, 3, publish)
    pixels = np.zeros((36, 64, 3), np.uint8)
    for n in range(300):  # about 1.5 s; the slow camera always has a frame waiting
        feeds.deliver(EncodedFrame("slow", pixels=pixels))
        if n % 3 == 0:
            feeds.deliver(EncodedFrame("good", pixels=pixels))
        time.sleep(0.005)
    _wait_until(lambda: _drained(queue, cams, occupancy))
    assert occupancy.most == {"slow": 1, "good": 1}
    assert shown["good"] >= 90  # of 100: the two other workers keep up with it
    assert shown["slow"] <= 60  # one worker's worth; the rest were superseded, not decoded in parallel


def test_bombs_are_refused_on_one_worker_and_counted_on_the_tile_and_the_connection(
    monkeypatch: pytest.MonkeyPatch, start_workers: StartWorkers
) -> None:
    queue, feeds, cams = _wiring(["bomb", "good"])
    bomb, good = jpeg_bomb(), _jpeg(640, 360)
    occupancy = Occupancy()
    shown = {"bomb": 0, "good": 0}
    real_decode = decode_queue.decode_view

    def watched_decode(frame: EncodedFrame, box: tuple[int, int], region: Region) -> Decoded:
        with occupancy.inside(frame.camera):
            return real_decode(frame, box, region)

    def publish(feed: CameraFeed, _decoded: Decoded, _frame: EncodedFrame) -> None:
        shown[feed.camera] += 1

    monkeypatch.setattr(decode_queue, "decode_view", watched_decode)
    start_workers(queue, 2, publish)
    sent = 40
    for _ in range(sent):  # 50 bombs a second, each beside a good frame
        feeds.deliver(EncodedFrame("bomb", jpeg=bomb))
        feeds.deliver(EncodedFrame("good", jpeg=good))
        time.sleep(0.02)
    _wait_until(lambda: _drained(queue, cams, occupancy))
    bombed, fine = cams["bomb"].health.snapshot(), cams["good"].health.snapshot()
    assert shown["bomb"] == 0 and bombed.frames_decoded == 0
    assert bombed.bad_messages + bombed.frames_dropped == sent  # refused, or superseded before its turn
    assert bombed.bad_messages >= sent // 2  # refusing takes microseconds: few wait long enough to be superseded
    assert fine.frames_decoded + fine.frames_dropped == sent and shown["good"] >= sent // 2
    assert feeds.status.bad_messages == bombed.bad_messages  # counted on the connection too ...
    assert feeds.status.messages == 2 * sent  # ... without counting the message a second time
    assert max(occupancy.most.values()) == 1
