"""The thread that owns one URL capture: open with timeouts, read into a one-frame slot, release.

FFmpeg can block for several read timeouts on a hung server; this thread absorbs that, so the
connection's receiver thread (``url.UrlSource``) never waits on it for longer than it chooses.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from monitor_app.core.sources.base import SINGLE_CAMERA, PermanentSourceError, SourceError
from monitor_app.core.sources.frames import EncodedFrame, fit_size
from monitor_app.core.sources.region import FULL, Region
from monitor_app.core.sources.url_open import (
    DEFAULT_OPEN_TIMEOUT_S,
    DEFAULT_READ_TIMEOUT_S,
    CaptureTarget,
    UrlKind,
    fourcc_text,
    open_capture,
)
from monitor_app.core.sources.url_rtsp import open_with_fallback

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UrlSettings:
    """A URL connection's options from the layout: the stream(s), transport, looping and timeouts."""

    url: str
    sub_url: str | None = None
    transport: str = "auto"
    """RTSP: ``tcp``, ``udp``, or ``auto`` (TCP, then UDP if the server refuses TCP: ``url_rtsp``)."""
    loop: bool = True
    open_timeout_s: float = DEFAULT_OPEN_TIMEOUT_S
    read_timeout_s: float = DEFAULT_READ_TIMEOUT_S
    reader: str = "auto"
    """``auto`` (PyAV for streams and files, OpenCV for webcams), ``pyav`` or ``opencv``."""
    decoder: str = "auto"
    """PyAV only: ``auto``, ``software`` or a hardware device (``url_hw``)."""

    @property
    def watchdog_s(self) -> float:
        """No new frame for this long on a streaming capture means the camera went silent."""
        return max(5.0, 1.5 * self.read_timeout_s)


class CaptureWorker(threading.Thread):
    """Owns one capture: open, read into a one-frame slot, release; all in this thread.

    The slot, counters and stats are shared with ``url_pyav.PyAvWorker``, which reads through PyAV.
    """

    reader = "opencv"

    def __init__(self, target: CaptureTarget, stream: str, settings: UrlSettings, wake: threading.Event) -> None:
        super().__init__(name=f"capture-{stream}", daemon=True)
        self.target, self.stream, self.settings = target, stream, settings
        self._wake = wake
        self._stop_event = threading.Event()
        self._lock = threading.Lock()
        self._frame: np.ndarray | None = None
        self._frame_size: tuple[int, int] | None = None  # the stream's (w, h) when the frame was shrunk
        self._frame_region = FULL  # the part of the stream the frame shows (PyAV crops for a zoomed tile)
        self.seq = 0
        self.started_at = time.monotonic()
        self.last_frame_at: float | None = None
        self.first_frame_s: float | None = None
        self.opened = threading.Event()  # set once open succeeded or failed
        self.opened_s: float | None = None  # how long the open took, once it succeeded
        self.error: SourceError | None = None
        self.ended = False  # a file reached its end without looping
        self.size: tuple[int, int] | None = None
        self.codec = "?"
        self.decoder = "software"  # OpenCV's FFmpeg backend decodes in software unless asked otherwise
        self.nominal_fps = 0.0
        self.transport = settings.transport  # once open: the RTSP transport in use (``auto`` resolved)

    def stop(self) -> None:
        self._stop_event.set()

    def take(self, after_seq: int) -> tuple[int, np.ndarray | None, tuple[int, int] | None, Region]:
        """The newest frame if it is newer than ``after_seq``, the stream's size if it was shrunk, and
        the part of the stream it shows."""
        with self._lock:
            if self.seq > after_seq:
                return self.seq, self._frame, self._frame_size, self._frame_region
            return after_seq, None, None, FULL

    def request_full_frame(self) -> Future[EncodedFrame] | None:
        """The newest frame at the stream's size: OpenCV's frames are that size already (``UrlSource``
        shrinks its own copy), a new array each read, so the slot's is handed over as it is."""
        future: Future[EncodedFrame] = Future()
        with self._lock:
            frame, shrunk = self._frame, self._frame_size
        if frame is None or shrunk is not None:
            return None
        future.set_result(EncodedFrame(SINGLE_CAMERA, pixels=frame, source_size=(frame.shape[1], frame.shape[0])))
        return future

    def run(self) -> None:
        s = self.settings
        try:
            cap, self.transport = open_with_fallback(
                self.target.url,
                s.transport,
                lambda transport: open_capture(self.target, transport, s.open_timeout_s, s.read_timeout_s),
            )
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
            self._opened()
            self._read_loop(cap)
        except Exception as exc:
            log.exception("capture %s failed", self.target.masked)
            self._fail(SourceError(f"capture failed: {type(exc).__name__}"))
        finally:
            cap.release()

    def _read_loop(self, cap: cv2.VideoCapture) -> None:
        is_file = self.target.kind is UrlKind.FILE
        is_stream = self.target.kind in (UrlKind.RTSP, UrlKind.HTTP)
        period = 1.0 / (self.nominal_fps if 1.0 <= self.nominal_fps <= 240 else 25.0)
        due = time.monotonic()
        while not self._stop_event.is_set():
            began = time.monotonic()
            ok, frame = cap.read()
            if not ok and is_file and self.settings.loop and self.seq > 0:
                cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
                ok, frame = cap.read()
            read_s = time.monotonic() - began
            if not ok:
                self._end_of_stream(is_file, read_s)
                return
            if is_stream and read_s >= self.settings.read_timeout_s:
                # FFmpeg's read timeout fired and OpenCV took it for the end of the stream: it drains
                # the decoder, so read() still succeeds, with a frame of packets received before the
                # server stopped: a new POS_MSEC/POS_FRAMES, new pixels, a new buffer, nothing that
                # tells it apart but the wait. Then the capture never reads again, even once the server
                # resumes (a SIGSTOPped RTSP server: frames at +3 s and +6 s, a failure at +9 s).
                # Not a sign of life: deliver nothing, reconnect now.
                self._fail(SourceError(f"no frame for {read_s:.1f} s (read timeout)"))
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

    def _put(self, frame: np.ndarray, stream_size: tuple[int, int] | None = None, region: Region = FULL) -> None:
        now = time.monotonic()
        with self._lock:
            self._frame, self._frame_size, self._frame_region = frame, stream_size, region
            self.seq += 1
            self.last_frame_at = now
        if self.first_frame_s is None:
            self.first_frame_s = now - self.started_at
            self.size = stream_size or (int(frame.shape[1]), int(frame.shape[0]))
        self._wake.set()

    def _opened(self) -> None:
        self.opened_s = time.monotonic() - self.started_at
        self.opened.set()

    def _fail(self, exc: SourceError) -> None:
        # Kept without its traceback and the error it came from: their frames hold the decoder, and a
        # PyAV decoder holds FFmpeg's frame threads (3 more threads after every failed stream, measured).
        exc.__traceback__ = exc.__context__ = exc.__cause__ = None
        self.error = exc
        self.opened.set()
        self._wake.set()

    def stats(self) -> dict[str, Any]:
        state = "failed" if self.error else "ended" if self.ended else "streaming" if self.seq else "opening"
        return {
            "endpoint": self.target.masked,
            "stream": self.stream,
            "reader": self.reader,
            "kind": self.target.kind.value,
            "state": state,
            "frames": self.seq,
            "size": list(self.size) if self.size else None,
            "codec": self.codec,
            "decoder": self.decoder,
            "transport": self.transport if self.target.kind is UrlKind.RTSP else None,
            "nominal_fps": round(self.nominal_fps, 2),
            "opened_s": None if self.opened_s is None else round(self.opened_s, 3),
            "first_frame_s": None if self.first_frame_s is None else round(self.first_frame_s, 3),
        }


def shrink_to_tile(frame: np.ndarray, target: tuple[int, int] | None) -> np.ndarray:
    """Scale down (never up) to fit the tile, in the receiver thread: less to copy and decode later."""
    h, w = frame.shape[:2]
    if target is None or (w <= target[0] and h <= target[1]):
        return frame
    size = fit_size((w, h), target)
    return cv2.resize(frame, size, interpolation=cv2.INTER_LINEAR)
