"""What a snapshot saves: the newest frame as received, or the stream's full-size frame a URL camera was asked for.

A URL camera's frames are decoded at its tile's size; a snapshot asks its reader for the next frame at the
stream's size (``core/sources/full_frame.py``) and waits for it on the snapshot worker, never the GUI thread,
taking the tile's frame if none comes in time. Nothing here blocks but ``FullFrameWaits.frame``.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass

from monitor_app.core.sources.frames import EncodedFrame

log = logging.getLogger(__name__)

FULL_FRAME_WAIT_S = 4.0
"""How long a snapshot waits for a URL camera's full-size frame: one frame while its tile shows, up to a
key-frame interval (1-4 s for most cameras) while it is hidden and only key frames are decoded."""


@dataclass(frozen=True)
class Shot:
    """One camera's snapshot to be: its title, the frame the tile had, and the full-size one asked for."""

    title: str
    frame: EncodedFrame  # the newest frame as received
    full: Future[EncodedFrame] | None  # asked for when ``frame`` is smaller than its stream


class FullFrameWaits:
    """The full-size frames asked for and not yet taken: ``stop`` cancels them, so shutdown never waits."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._asked: set[Future[EncodedFrame]] = set()

    def ask(self, future: Future[EncodedFrame] | None) -> Future[EncodedFrame] | None:
        if future is not None:
            with self._lock:
                self._asked.add(future)
        return future

    def frame(self, shot: Shot, deadline: float) -> tuple[EncodedFrame, bool]:
        """On the worker: the frame to save, and whether it has the stream's size (or the tile's, in time)."""
        if shot.full is None:
            return shot.frame, True
        try:
            return shot.full.result(max(0.0, deadline - time.monotonic())), True
        except Exception as exc:  # timed out, cancelled, the stream closed: the tile's frame is still a picture
            log.info("%s: no full-size frame for the snapshot (%s)", shot.title, type(exc).__name__)
            shot.full.cancel()
            return shot.frame, False
        finally:
            with self._lock:
                self._asked.discard(shot.full)

    def stop(self) -> None:
        with self._lock:
            asked, self._asked = self._asked, set()
        for future in asked:
            future.cancel()


def scaled(frame: EncodedFrame) -> bool:
    """A frame smaller than its stream: a URL camera's, decoded at its tile's size."""
    if frame.pixels is None or frame.source_size is None:
        return False
    height, width = frame.pixels.shape[:2]
    return (width, height) != tuple(frame.source_size)
