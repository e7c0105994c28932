"""One-shot requests for a camera's next frame at its stream's full size, for snapshots.

A URL camera is decoded straight to its tile's size (swscale scales as it converts), so the frame the
tile shows is not the stream's. Converting every frame a second time at full size would cost CPU and
megabytes per frame for a snapshot taken now and then; keeping the decoder's own last frame would pin
its buffers (a hardware decoder has a small pool of surfaces, and a frame keeps the decoder and its
threads alive past close). So a snapshot asks instead: the reading thread converts its next decoded
frame once more, at full size, and hands it over through a ``Future`` the asker waits on with a
timeout. A camera nobody asks about pays one attribute read per frame.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future

from monitor_app.core.sources.base import SourceError
from monitor_app.core.sources.frames import EncodedFrame


class FullFrameRequests:
    """Futures waiting for the next full-size frame: filled by the reading thread, asked for from any other."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: list[Future[EncodedFrame]] = []
        self._closed: str | None = None

    @property
    def pending(self) -> bool:
        """Read on every frame without the lock: a stale answer costs one frame's delay, never a lost request."""
        return bool(self._waiting)

    def request(self) -> Future[EncodedFrame]:
        """A future for the next frame; failed at once (``SourceError``) once the stream has closed."""
        future: Future[EncodedFrame] = Future()
        with self._lock:
            reason = self._closed
            if reason is None:
                self._waiting.append(future)
                return future
        future.set_exception(SourceError(reason))
        return future

    def fulfil(self, make: Callable[[], EncodedFrame]) -> None:
        """In the reading thread: ``make`` the frame once for every request waiting (none cancelled: no work)."""
        with self._lock:
            waiting, self._waiting = self._waiting, []
        waiting = [f for f in waiting if f.set_running_or_notify_cancel()]  # a waiter that gave up cancelled
        if not waiting:
            return
        try:
            frame = make()
        except Exception as exc:  # the asker falls back to the tile's frame; the stream goes on
            exc.__traceback__ = None  # its frames would hold the decoder (see url_worker._fail)
            for future in waiting:
                future.set_exception(exc)
            return
        for future in waiting:
            future.set_result(frame)

    def close(self, reason: str) -> None:
        """The stream is gone (closed, failed, a file at its end): every request fails now, and later ones at once."""
        with self._lock:
            self._closed = reason
            waiting, self._waiting = self._waiting, []
        for future in waiting:
            if future.set_running_or_notify_cancel():
                future.set_exception(SourceError(reason))
