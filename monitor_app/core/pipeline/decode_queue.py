"""Hands cameras with a waiting frame to the decode workers, oldest request first.

A camera is in the queue at most once and is decoded by at most one worker at a time,
so frames of one camera reach the screen in order and no camera starves another: a camera
sending frames that are slow or refused occupies one worker at most, whatever its rate.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable

import cv2

from monitor_app.core.pipeline.decode import Decoded, DecodeError, decode_view
from monitor_app.core.pipeline.routing import CameraFeed
from monitor_app.core.sources.frames import EncodedFrame

log = logging.getLogger(__name__)

Publish = Callable[[CameraFeed, Decoded, EncodedFrame], None]
"""Receives a decoded BGRX frame and the region it shows (the receivers layer wraps it in a QImage)."""


class DecodeQueue:
    """The feeds with a frame to decode, in request order; each queued once and decoded by one worker at a time."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._pending: deque[CameraFeed] = deque()
        self._queued: set[str] = set()
        self._active: set[str] = set()

    def push(self, feed: CameraFeed) -> None:
        """Called when a feed's inbox goes from empty to full."""
        with self._cond:
            if feed.key in self._queued or feed.key in self._active:
                return  # an active feed is re-checked by done()
            self._queued.add(feed.key)
            self._pending.append(feed)
            self._cond.notify()

    def pop(self, timeout_s: float) -> CameraFeed | None:
        with self._cond:
            if not self._pending and not self._cond.wait_for(lambda: bool(self._pending), timeout_s):
                return None
            feed = self._pending.popleft()
            self._queued.discard(feed.key)
            self._active.add(feed.key)
            return feed

    def done(self, feed: CameraFeed) -> None:
        with self._cond:
            self._active.discard(feed.key)
            if not feed.inbox.is_empty() and feed.key not in self._queued:
                self._queued.add(feed.key)
                self._pending.append(feed)
                self._cond.notify()

    def __len__(self) -> int:
        with self._cond:
            return len(self._pending)


def decode_one(feed: CameraFeed, publish: Publish) -> bool:
    """Decode the feed's newest frame for its tile; return True if a frame was published."""
    frame = feed.inbox.take()
    if frame is None:
        return False
    if not feed.visible:
        feed.health.frames_dropped_add()  # drained, not decoded: nobody would see it
        return False
    try:
        # One read of each: the GUI thread may change them while this frame decodes.
        decoded = decode_view(frame, feed.target_size, feed.region)
    except DecodeError as exc:
        _count_bad_frame(feed, str(exc))
        log.debug("camera %s: %s", feed.key, exc)
        return False
    feed.source_size = decoded.source_size
    feed.health.frame_decoded()
    publish(feed, decoded, frame)
    return True


def _count_bad_frame(feed: CameraFeed, reason: str) -> None:
    """A frame refused by the decoder is a bad message of its camera and of its connection.

    The receiver already counted it among the connection's messages when it arrived, so only
    ``bad_messages`` grows here (``count_message(bad=True)`` would count the message twice).
    """
    feed.health.bad_message()
    feed.health.connection.count_bad_frame(reason)


def run_decode_worker(queue: DecodeQueue, publish: Publish, stop: threading.Event) -> None:
    """The body of one decode thread; returns within ~0.1 s of ``stop`` being set."""
    cv2.setNumThreads(1)  # parallelism comes from the pool; OpenCV's own threads would fight it
    while not stop.is_set():
        feed = queue.pop(0.1)
        if feed is None:
            continue
        try:
            decode_one(feed, publish)
        except Exception:  # a decoder bug must not kill the pool
            log.exception("decoding a frame of %s failed", feed.key)
        finally:
            queue.done(feed)
