"""Cameras by URL: RTSP, HTTP MJPEG, video files and webcams, read through OpenCV.

Each opened stream gets a ``CaptureWorker`` thread that owns its ``cv2.VideoCapture``: it
opens it (with open/read timeouts), reads as fast as frames come (files: paced at their own
frame rate) and keeps only the newest one. The connection's receiver thread runs
``UrlSource.read``, which never blocks longer than its ``timeout_s``: it takes the newest
frame, scales it down to the tile and delivers it, and runs the watchdog. FFmpeg can block
for several read timeouts on a hung server; the worker absorbs that, so the watchdog,
reconnects and shutdown stay prompt (a stuck worker finishes and releases its capture on
its own, in its own thread).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec
from monitor_app.core.pipeline.decode import fit_size
from monitor_app.core.redact import mask_url
from monitor_app.core.sources.base import FrameSink, FrameSource, PermanentSourceError, SourceError
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.url_open import (
    DEFAULT_OPEN_TIMEOUT_S,
    DEFAULT_READ_TIMEOUT_S,
    CaptureTarget,
    UrlKind,
    classify_url,
    fourcc_text,
    open_capture,
)

log = logging.getLogger(__name__)

SUB_STREAM_MAX = (640, 360)
"""Tiles that fit in this box (device pixels) show a camera's sub-stream when it has one."""
SWITCH_AFTER_S = 1.0
"""A tile must stay on the other side of ``SUB_STREAM_MAX`` this long before streams switch."""
OPEN_WAIT_S = 0.5
"""``open`` waits this long for a quick answer (refused, 404) before reading takes over."""
CLOSE_WAIT_S = 0.5


@dataclass(frozen=True)
class UrlSettings:
    url: str
    sub_url: str | None = None
    transport: str = "tcp"
    loop: bool = True
    open_timeout_s: float = DEFAULT_OPEN_TIMEOUT_S
    read_timeout_s: float = DEFAULT_READ_TIMEOUT_S

    @property
    def watchdog_s(self) -> float:
        """No new frame for this long on a streaming capture means the camera went silent."""
        return max(5.0, 1.5 * self.read_timeout_s)


class CaptureWorker(threading.Thread):
    """Owns one capture: open, read into a one-frame slot, release; all in this thread."""

    def __init__(self, target: CaptureTarget, stream: str, settings: UrlSettings, wake: threading.Event) -> None:
        super().__init__(name=f"capture-{stream}", daemon=True)
        self.target, self.stream, self.settings = target, stream, settings
        self._wake = wake
        self._stop_event = threading.Event()
        self._lock = threading.Lock()
        self._frame: np.ndarray | None = None
        self.seq = 0
        self.started_at = time.monotonic()
        self.last_frame_at: float | None = None
        self.first_frame_s: float | None = None
        self.opened = threading.Event()  # set once open succeeded or failed
        self.error: SourceError | None = None
        self.ended = False  # a file reached its end without looping
        self.size: tuple[int, int] | None = None
        self.codec = "?"
        self.nominal_fps = 0.0

    def stop(self) -> None:
        self._stop_event.set()

    def take(self, after_seq: int) -> tuple[int, np.ndarray | None]:
        """The newest frame if it is newer than ``after_seq``."""
        with self._lock:
            return (self.seq, self._frame) if self.seq > after_seq else (after_seq, None)

    def run(self) -> None:
        s = self.settings
        try:
            cap = open_capture(self.target, s.transport, s.open_timeout_s, s.read_timeout_s)
        except SourceError as exc:
            self._fail(exc)
            return
        except Exception as exc:  # cv2.error and friends: never lose the reason
            self._fail(SourceError(f"cannot open: {type(exc).__name__}"))
            return
        try:
            self.codec = fourcc_text(cap.get(cv2.CAP_PROP_FOURCC))
            fps = cap.get(cv2.CAP_PROP_FPS)
            self.nominal_fps = float(fps) if 0 < fps < 1000 else 0.0
            self.opened.set()
            self._read_loop(cap)
        except Exception as exc:
            log.exception("capture %s failed", self.target.masked)
            self._fail(SourceError(f"capture failed: {type(exc).__name__}"))
        finally:
            cap.release()

    def _read_loop(self, cap: cv2.VideoCapture) -> None:
        is_file = self.target.kind is UrlKind.FILE
        period = 1.0 / (self.nominal_fps if 1.0 <= self.nominal_fps <= 240 else 25.0)
        due = time.monotonic()
        while not self._stop_event.is_set():
            began = time.monotonic()
            ok, frame = cap.read()
            if not ok and is_file and self.settings.loop and self.seq > 0:
                cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
                ok, frame = cap.read()
            if not ok:
                self._end_of_stream(is_file, time.monotonic() - began)
                return
            if is_file:  # play at the file's own rate
                due = max(due + period, time.monotonic() - period)
                if self._stop_event.wait(max(0.0, due - time.monotonic())):
                    return
            self._put(frame)

    def _end_of_stream(self, is_file: bool, read_s: float) -> None:
        if is_file and self.seq > 0:
            self.ended = True  # stay on the last frame: the tile turns "stalled", not an error
        elif is_file:
            self._fail(PermanentSourceError(f"no frames in file {self.target.masked}"))
        elif read_s >= 0.8 * self.settings.read_timeout_s:
            self._fail(SourceError(f"no frame for {read_s:.1f} s (read timeout)"))
        else:
            self._fail(SourceError("stream ended (connection closed by the camera)"))

    def _put(self, frame: np.ndarray) -> None:
        now = time.monotonic()
        with self._lock:
            self._frame = frame
            self.seq += 1
            self.last_frame_at = now
        if self.first_frame_s is None:
            self.first_frame_s = now - self.started_at
            self.size = (int(frame.shape[1]), int(frame.shape[0]))
        self._wake.set()

    def _fail(self, exc: SourceError) -> None:
        self.error = exc
        self.opened.set()
        self._wake.set()

    def stats(self) -> dict[str, Any]:
        state = "failed" if self.error else "ended" if self.ended else "streaming" if self.seq else "opening"
        return {
            "endpoint": self.target.masked,
            "stream": self.stream,
            "kind": self.target.kind.value,
            "state": state,
            "frames": self.seq,
            "size": list(self.size) if self.size else None,
            "codec": self.codec,
            "nominal_fps": round(self.nominal_fps, 2),
            "first_frame_s": None if self.first_frame_s is None else round(self.first_frame_s, 3),
        }


class UrlSource(FrameSource):
    """One camera by URL, with an optional sub-stream for small tiles."""

    def __init__(self, settings: UrlSettings) -> None:
        self.settings = settings
        main = mask_url(settings.url)
        self.description = f"URL {main}" + (f" (sub-stream {mask_url(settings.sub_url)})" if settings.sub_url else "")
        self._wake = threading.Event()
        self._worker: CaptureWorker | None = None
        self._pending: CaptureWorker | None = None  # the other stream, opening while this one plays
        self._seq = 0
        self._want = "main"
        self._want_since = 0.0
        self._switch_blocked_until = 0.0

    # FrameSource -------------------------------------------------------------------------
    def open(self) -> None:
        self.close()
        self._worker = self._start(self._want)
        self._seq = 0
        self._worker.opened.wait(OPEN_WAIT_S)
        if self._worker.error is not None:
            raise self._worker.error

    def read(self, sink: FrameSink, timeout_s: float) -> None:
        worker = self._worker
        if worker is None:
            raise SourceError("not open")
        self._consider_switch(sink)
        if self._wake.wait(timeout_s):
            self._wake.clear()
        self._settle_pending()
        worker = self._worker
        assert worker is not None
        if worker.error is not None:
            raise worker.error
        self._seq, frame = worker.take(self._seq)
        if frame is not None:
            if sink.wants_frames(""):
                sink.deliver(EncodedFrame("", pixels=_shrink(frame, sink.target_size("")), sent_at=None))
            return
        self._watchdog(worker)

    def close(self) -> None:
        workers = [w for w in (self._worker, self._pending) if w is not None]
        self._worker = self._pending = None
        for w in workers:
            w.stop()
        deadline = time.monotonic() + CLOSE_WAIT_S
        for w in workers:  # a worker stuck in FFmpeg finishes (and releases) on its own
            w.join(max(0.0, deadline - time.monotonic()))

    def endpoint_stats(self) -> list[dict[str, object]]:
        return [w.stats() for w in (self._worker, self._pending) if w is not None]

    # Internals -----------------------------------------------------------------------------
    def _start(self, stream: str) -> CaptureWorker:
        url = self.settings.sub_url if stream == "sub" and self.settings.sub_url else self.settings.url
        worker = CaptureWorker(classify_url(url), stream, self.settings, self._wake)
        worker.start()
        return worker

    def _watchdog(self, worker: CaptureWorker) -> None:
        if worker.ended:
            return
        now = time.monotonic()
        if worker.last_frame_at is None:
            limit = self.settings.open_timeout_s + self.settings.read_timeout_s + 1.0
            if now - worker.started_at > limit:
                raise SourceError(f"no first frame within {limit:.0f} s of connecting")
            return
        limit = self.settings.watchdog_s
        if worker.target.kind is UrlKind.FILE and worker.nominal_fps > 0:
            limit = max(limit, 3.0 / worker.nominal_fps)
        if now - worker.last_frame_at > limit:
            raise SourceError(f"camera silent: no frame for {now - worker.last_frame_at:.1f} s")

    def _consider_switch(self, sink: FrameSink) -> None:
        if not self.settings.sub_url:
            return
        target = sink.target_size("")
        if target is None:
            return  # hidden: keep whatever plays
        small = target[0] <= SUB_STREAM_MAX[0] and target[1] <= SUB_STREAM_MAX[1]
        want = "sub" if small else "main"
        now = time.monotonic()
        if want != self._want:
            self._want, self._want_since = want, now
        current = self._worker
        if current is None or current.stream == want or now < self._switch_blocked_until:
            return
        if self._pending is not None and self._pending.stream == want:
            return
        if now - self._want_since >= SWITCH_AFTER_S:
            if self._pending is not None:
                self._pending.stop()
            log.info("%s: switching to the %s stream", self.description, want)
            self._pending = self._start(want)

    def _settle_pending(self) -> None:
        pending = self._pending
        if pending is None:
            return
        if pending.error is not None:
            log.warning("%s: cannot switch to the %s stream: %s", self.description, pending.stream, pending.error)
            self._pending = None
            self._switch_blocked_until = time.monotonic() + 30.0
        elif pending.seq > 0:  # the new stream delivers: drop the old one
            old, self._worker, self._pending = self._worker, pending, None
            self._seq = 0
            if old is not None:
                old.stop()


def _shrink(frame: np.ndarray, target: tuple[int, int] | None) -> np.ndarray:
    """Scale down (never up) to fit the tile, in the receiver thread: less to copy and decode later."""
    h, w = frame.shape[:2]
    if target is None or (w <= target[0] and h <= target[1]):
        return frame
    size = fit_size((w, h), target)
    return cv2.resize(frame, size, interpolation=cv2.INTER_LINEAR)


def create_url_source(conn: ConnectionSpec, cameras: list[CameraSpec]) -> FrameSource:
    """The factory used by ``core/sources/registry.py`` for connections of kind ``url``."""
    return UrlSource(
        UrlSettings(
            url=str(conn.option("url", "")),
            sub_url=conn.option("sub_url") or None,
            transport=str(conn.option("transport", "tcp")),
            loop=bool(conn.option("loop", True)),
            open_timeout_s=float(conn.option("open_timeout_s", DEFAULT_OPEN_TIMEOUT_S)),
            read_timeout_s=float(conn.option("read_timeout_s", DEFAULT_READ_TIMEOUT_S)),
        )
    )
