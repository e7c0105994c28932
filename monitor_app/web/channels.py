"""One channel per camera on the web thread: a tap on its feed, its newest JPEG, and who watches it.

A channel taps its camera's feed only while someone watches (a camera nobody watches pays
nothing). JPEG frames are passed on as received; a frame of pixels is encoded once, on the encoder
threads, at the largest size its watchers ask for, and shared by all of them. Only the newest frame
is kept: one waits for the encoder at most, and a newer one replaces it (counted as skipped).
Everything here runs on the event loop, except the tap's wake-up, which comes from the receiver.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from monitor_app.core.pipeline.routing import CameraFeed
from monitor_app.core.pipeline.taps import LatestFrameTap
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.web.encode import capped_box, encode_pixels

log = logging.getLogger(__name__)


class Watcher(Protocol):
    """A client of a channel: told (on the loop) when the channel has a new JPEG."""

    def box_for(self, camera_id: str) -> tuple[int, int] | None:
        """The size it shows the camera at (None: as large as allowed)."""

    def frame_ready(self, camera_id: str) -> None: ...


@dataclass
class WebCounters:
    """What ``/api/stats`` says under ``"web"``."""

    jpeg_encodes: int = 0
    frames_forwarded: int = 0  # JPEG frames passed on as they arrived
    frames_sent: int = 0  # to clients, all together
    bytes_sent: int = 0
    frames_skipped: int = 0  # received while watched, superseded before a JPEG of it was ready


@dataclass
class Jpeg:
    """A channel's newest frame as JPEG, numbered so each client sends it once."""

    seq: int
    data: bytes
    received_at: float
    message: bytes | None = None  # the page's binary message of it, made by the first page sent it


class CameraChannel:
    """A camera's frames for the web clients: tapped while watched, newest JPEG only."""

    def __init__(self, camera_id: str, loop: asyncio.AbstractEventLoop, executor: Executor, counters: WebCounters):
        self.id = camera_id
        self._loop = loop
        self._executor = executor
        self._counters = counters
        self._tap = LatestFrameTap(self._wake)
        self._feed: CameraFeed | None = None
        self.watchers: set[Watcher] = set()
        self.latest: Jpeg | None = None
        self._seq = 0
        self._waiting: EncodedFrame | None = None  # pixels for the encoder when it is done with the one it has
        self._encoding = False
        self.frames_in = 0
        self.encodes = 0

    # Who watches ---------------------------------------------------------------------------
    def watch(self, watcher: Watcher) -> None:
        self.watchers.add(watcher)
        if self._feed is not None:
            self._feed.add_tap(self._tap)

    def unwatch(self, watcher: Watcher) -> None:
        self.watchers.discard(watcher)
        if not self.watchers:
            self._untap()

    def set_feed(self, feed: CameraFeed | None) -> None:
        """The layout changed: the camera's frames now come from ``feed`` (a restarted connection's)."""
        if feed is self._feed:
            return
        self._untap()
        self._feed = feed
        if feed is not None and self.watchers:
            feed.add_tap(self._tap)

    def close(self) -> None:
        self.watchers.clear()
        self._untap()
        self._feed = None

    def _untap(self) -> None:
        if self._feed is not None:
            self._feed.remove_tap(self._tap)
        self.latest = None  # stale once nobody reads the camera
        self._waiting = None
        self._tap.take()

    def box(self) -> tuple[int, int]:
        """The size to encode at: the largest any watcher asks for, capped."""
        boxes = [capped_box(w.box_for(self.id)) for w in self.watchers]
        return (max(b[0] for b in boxes), max(b[1] for b in boxes)) if boxes else capped_box(None)

    @property
    def dropped(self) -> int:
        return self._tap.dropped

    # Frames ---------------------------------------------------------------------------------
    def _wake(self) -> None:
        """The tap's slot filled (receiver thread): take the frame on the loop."""
        with contextlib.suppress(RuntimeError):  # the loop is closed: the server stopped between two frames
            self._loop.call_soon_threadsafe(self._arrived)

    def _arrived(self) -> None:
        frame = self._tap.take()
        if frame is None or not self.watchers:
            return
        self.frames_in += 1
        if frame.jpeg is not None:
            self._counters.frames_forwarded += 1
            self._publish(frame.jpeg, frame)
            return
        if self._waiting is not None:
            self._counters.frames_skipped += 1
        self._waiting = frame
        self._encode_next()

    def _encode_next(self) -> None:
        if self._encoding or self._waiting is None:
            return
        frame, self._waiting = self._waiting, None
        assert frame.pixels is not None
        try:
            future = self._loop.run_in_executor(self._executor, encode_pixels, frame.pixels, self.box())
        except RuntimeError:  # the executor is shut down: the server is stopping
            return
        self._encoding = True
        self.encodes += 1
        self._counters.jpeg_encodes += 1
        future.add_done_callback(partial(self._encoded, frame))  # called on the loop

    def _encoded(self, frame: EncodedFrame, future: asyncio.Future[bytes]) -> None:
        self._encoding = False
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            log.warning("camera %s: cannot encode a frame for the browser: %s", self.id, error)
        elif self.watchers:
            self._publish(future.result(), frame)
        self._encode_next()

    def _publish(self, data: bytes, frame: EncodedFrame) -> None:
        self._seq += 1
        self.latest = Jpeg(self._seq, data, frame.received_at or time.time())
        for watcher in list(self.watchers):
            watcher.frame_ready(self.id)
