"""Mailbox, back-off, health, decoding and the decode queue, with real frames."""

from __future__ import annotations

import random
import threading
import time

import cv2
import numpy as np
import pytest
import simplejpeg

from monitor_app.core.pipeline.backoff import Backoff
from monitor_app.core.pipeline.decode import Decoded, DecodeError, decode_to_fit
from monitor_app.core.pipeline.decode_queue import DecodeQueue, decode_one, run_decode_worker
from monitor_app.core.pipeline.health import CameraHealth, CameraState, ConnectionStatus
from monitor_app.core.pipeline.mailbox import LatestSlot, ReadyKeys
from monitor_app.core.pipeline.routing import CameraFeed, ConnectionFeeds
from monitor_app.core.redact import mask_text, mask_url
from monitor_app.core.sources.frames import EncodedFrame, fit_size
from monitor_app.core.sources.pattern import TestPatternRenderer


def test_latest_slot_keeps_the_newest_and_counts_overwrites() -> None:
    slot: LatestSlot[int] = LatestSlot()
    assert slot.put(1) is True  # empty -> full: the consumer needs one wake-up
    assert slot.put(2) is False and slot.put(3) is False
    assert slot.overwritten == 2
    assert slot.take() == 3 and slot.take() is None
    assert slot.put(4) is True


def test_backoff_doubles_to_the_cap_with_jitter_and_resets_after_a_healthy_spell() -> None:
    backoff = Backoff(rng=random.Random(7))
    delays = [backoff.next_delay() for _ in range(10)]
    assert 0.4 <= delays[0] <= 0.6
    assert 0.8 <= delays[1] <= 1.2
    assert all(d <= 30 * 1.2 for d in delays) and delays[-1] >= 30 * 0.8
    backoff.connected_for(10)
    assert backoff.next_delay() >= 24  # not healthy long enough: still backing off
    backoff.connected_for(61)
    assert backoff.next_delay() <= 0.6


def test_health_states_follow_frames_and_the_connection() -> None:
    status = ConnectionStatus()
    health = CameraHealth(status, stall_after_s=0.2)
    assert health.snapshot().state is CameraState.CONNECTING
    status.set(CameraState.LIVE)
    health.frame_received()
    health.frame_displayed(time.time() - 0.05)
    snap = health.snapshot()
    assert snap.state is CameraState.LIVE and snap.latency_ms_p50 is not None and snap.latency_ms_p50 >= 50
    time.sleep(0.3)
    assert health.snapshot().state is CameraState.STALLED
    status.set(CameraState.RECONNECTING, "connection refused", retry_at=time.monotonic() + 5)
    snap = health.snapshot()
    assert snap.state is CameraState.RECONNECTING and snap.error == "connection refused"
    assert snap.retry_in_s is not None and 4 < snap.retry_in_s <= 5 and snap.reconnects == 1
    status.set(CameraState.ERROR, "401 Unauthorized")
    assert health.snapshot().state is CameraState.ERROR


def _jpeg(width: int, height: int) -> bytes:
    frame = TestPatternRenderer("cam", width, height).render(3)
    return bytes(simplejpeg.encode_jpeg(frame, quality=80, colorspace="BGR"))


@pytest.mark.parametrize(
    ("box", "expected"), [((320, 240), (320, 180)), ((1920, 1080), (1920, 1080)), ((100, 400), (100, 56))]
)
def test_jpeg_is_decoded_to_exactly_the_fitted_size_as_bgrx(box: tuple[int, int], expected: tuple[int, int]) -> None:
    pixels, source = decode_to_fit(EncodedFrame("c", jpeg=_jpeg(1280, 720)), box)
    assert source == (1280, 720)
    assert pixels.shape == (expected[1], expected[0], 4) and pixels.dtype == np.uint8
    assert pixels.flags.c_contiguous


def test_scaled_decode_matches_a_full_decode_then_resize() -> None:
    data = _jpeg(1280, 720)
    ours, _ = decode_to_fit(EncodedFrame("c", jpeg=data), (320, 180))
    reference = cv2.resize(
        cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR), (320, 180), interpolation=cv2.INTER_AREA
    )
    difference = np.abs(ours[:, :, :3].astype(int) - reference.astype(int)).mean()
    assert difference < 6, difference


@pytest.mark.parametrize("shape", [(90, 160), (90, 160, 3), (90, 160, 4)])
def test_raw_gray_bgr_and_bgra_arrays_become_bgrx(shape: tuple[int, ...]) -> None:
    pixels = np.full(shape, 200, np.uint8)
    out, source = decode_to_fit(EncodedFrame("c", pixels=pixels), (320, 180))
    assert out.shape == (180, 320, 4) and source == (160, 90)
    assert int(out[90, 160, 0]) == 200


@pytest.mark.parametrize(
    "frame",
    [
        EncodedFrame("c", jpeg=b"\xff\xd8 definitely not a jpeg"),
        EncodedFrame("c", jpeg=b""),
        EncodedFrame("c", pixels=np.zeros((4, 4, 2), np.uint8)),
        EncodedFrame("c", pixels=np.zeros((4, 4), np.float32)),
    ],
)
def test_undecodable_frames_raise_decode_error(frame: EncodedFrame) -> None:
    with pytest.raises(DecodeError):
        decode_to_fit(frame, (320, 240))


def test_fit_size_keeps_the_aspect_ratio() -> None:
    assert fit_size((640, 480), (800, 800)) == (800, 600)
    assert fit_size((1920, 1080), (400, 400)) == (400, 225)


def test_the_pattern_moves_and_carries_a_clock() -> None:
    renderer = TestPatternRenderer("Lobby", 320, 180)
    a, b = renderer.render(1, now=0.0), renderer.render(2, now=1.0)
    assert a.shape == (180, 320, 3)
    assert np.count_nonzero(np.any(a != b, axis=2)) > 500  # content and clock changed


def _feeds(decode_queue: DecodeQueue) -> tuple[ConnectionFeeds, CameraFeed]:
    status = ConnectionStatus()
    feeds = ConnectionFeeds("conn", status, decode_queue.push)
    feed = CameraFeed("k", "conn", "cam", status)
    feeds.attach(feed)
    return feeds, feed


def test_superseded_frames_are_counted_and_never_decoded() -> None:
    queue = DecodeQueue()
    feeds, feed = _feeds(queue)
    frames = [EncodedFrame("cam", pixels=np.full((20, 40, 3), i, np.uint8)) for i in range(5)]
    for f in frames:
        feeds.deliver(f)
    assert len(queue) == 1  # one wake-up for five frames
    published: list[int] = []
    popped = queue.pop(0.1)
    assert popped is feed
    decode_one(feed, lambda _f, decoded, _fr: published.append(int(decoded.pixels[0, 0, 0])))
    queue.done(feed)
    assert published == [4]
    assert feed.health.frames_received == 5 and feed.health.frames_dropped == 4 and feed.health.frames_decoded == 1


def test_hidden_feeds_are_drained_but_not_decoded() -> None:
    queue = DecodeQueue()
    feeds, feed = _feeds(queue)
    feed.visible = False
    feeds.deliver(EncodedFrame("cam", pixels=np.zeros((20, 40, 3), np.uint8)))
    popped = queue.pop(0.1)
    assert popped is feed
    assert decode_one(feed, lambda *_: pytest.fail("a hidden tile was decoded")) is False
    assert feed.inbox.is_empty() and feed.health.frames_dropped == 1


def test_a_camera_is_decoded_by_one_worker_at_a_time_and_frames_stay_in_order() -> None:
    queue = DecodeQueue()
    feeds, feed = _feeds(queue)
    seen: list[int] = []
    lock = threading.Lock()

    def publish(_feed: CameraFeed, decoded: Decoded, _frame: EncodedFrame) -> None:
        time.sleep(0.002)
        with lock:
            seen.append(int(decoded.pixels[0, 0, 0]))

    stop = threading.Event()
    workers = [threading.Thread(target=run_decode_worker, args=(queue, publish, stop)) for _ in range(3)]
    for w in workers:
        w.start()
    try:
        for i in range(200):
            feeds.deliver(EncodedFrame("cam", pixels=np.full((8, 8, 3), i, np.uint8)))
            time.sleep(0.0005)
        deadline = time.monotonic() + 5
        while (not feed.inbox.is_empty() or len(queue)) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        for w in workers:
            w.join(2)
    assert seen and seen == sorted(seen) and seen[-1] == 199
    assert feed.health.frames_decoded + feed.health.frames_dropped == 200


def test_passwords_are_masked_in_urls_and_free_text() -> None:
    url = "rtsp://admin:s3cr%40t@192.0.2.1:554/live?x=1"
    assert mask_url(url) == "rtsp://admin:***@192.0.2.1:554/live?x=1"
    assert "s3cr" not in mask_text(f"cannot open {url}: 401")
    assert mask_url("http://cam/video") == "http://cam/video"


def test_a_reopened_connection_shows_connecting_until_its_first_frame() -> None:
    status = ConnectionStatus()
    health = CameraHealth(status, stall_after_s=0.3)
    status.set(CameraState.LIVE)
    health.frame_received()
    status.set(CameraState.RECONNECTING, "stream ended")
    time.sleep(0.05)
    status.set(CameraState.LIVE)  # reopened; the last frame came from the old connection
    assert health.snapshot().state is CameraState.CONNECTING
    time.sleep(0.4)
    assert health.snapshot().state is CameraState.STALLED  # open but silent for too long
    health.frame_received()
    assert health.snapshot().state is CameraState.LIVE


def test_ready_keys_wake_the_consumer_once_until_it_takes_them_all() -> None:
    ready = ReadyKeys()
    assert ready.add("a") is True
    assert ready.add("b") is False and ready.add("a") is False  # one wake-up pending covers them
    assert ready.take_all() == {"a", "b"}
    assert ready.take_all() == set()
    assert ready.add("b") is True  # taken: the next key needs a new wake-up
