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
import socket
import threading
import time

import cv2
import numpy as np

from monitor_app.core.redact import mask_url
from monitor_app.core.sources.base import SINGLE_CAMERA, FrameSink, FrameSource, SourceError
from monitor_app.core.sources.frames import EncodedFrame, fit_size
from monitor_app.core.sources.kind import OptionField, SourceKind, SourceRequest, non_empty, number_range, one_of
from monitor_app.core.sources.url_open import (
    DEFAULT_OPEN_TIMEOUT_S,
    DEFAULT_READ_TIMEOUT_S,
    UrlKind,
    classify_url,
    server_address,
)
from monitor_app.core.sources.url_worker import CaptureWorker, UrlSettings

log = logging.getLogger(__name__)

SUB_STREAM_MAX = (640, 360)
"""Tiles that fit in this box (device pixels) show a camera's sub-stream when it has one."""
SWITCH_AFTER_S = 1.0
"""A tile must stay on the other side of ``SUB_STREAM_MAX`` this long before streams switch."""
OPEN_WAIT_S = 0.5
"""``open`` waits this long for a quick answer (refused, 404) before reading takes over."""
CLOSE_WAIT_S = 0.5
PROBE_CONNECT_S = 0.3
"""``reachable``'s TCP connect gives up after this long (the camera's own network, not the internet)."""


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
        self._probe: _ServerProbe | None = None

    # FrameSource -------------------------------------------------------------------------
    def open(self) -> None:
        self.close()
        self._probe = None  # an answer from before this try says nothing new
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
            if sink.wants_frames(SINGLE_CAMERA):
                stream_size = (int(frame.shape[1]), int(frame.shape[0]))  # before it shrinks to the tile
                pixels = _shrink(frame, sink.target_size(SINGLE_CAMERA))
                sink.deliver(EncodedFrame(SINGLE_CAMERA, pixels=pixels, sent_at=None, source_size=stream_size))
            else:  # hidden or in the camera list: nothing to show, but the stream is alive
                sink.heartbeat(SINGLE_CAMERA)
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

    def reachable(self, timeout_s: float) -> bool | None:
        """Whether the RTSP/HTTP server accepts a TCP connection; None for files and webcams.

        The connect runs in a thread of its own (a name lookup can block for seconds); an answer
        that takes longer than ``timeout_s`` is picked up by the next call.
        """
        try:
            address = server_address(classify_url(self._url(self._want)))
        except SourceError:
            return None
        if address is None:
            return None
        probe = self._probe
        if probe is None or probe.address != address:
            probe = self._probe = _ServerProbe(address)
            probe.start()
        if not probe.done.wait(timeout_s):
            return None
        self._probe = None
        return probe.answered

    def endpoint_stats(self) -> list[dict[str, object]]:
        return [w.stats() for w in (self._worker, self._pending) if w is not None]

    # Internals -----------------------------------------------------------------------------
    def _url(self, stream: str) -> str:
        return self.settings.sub_url if stream == "sub" and self.settings.sub_url else self.settings.url

    def _start(self, stream: str) -> CaptureWorker:
        worker = CaptureWorker(classify_url(self._url(stream)), stream, self.settings, self._wake)
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
        target = sink.target_size(SINGLE_CAMERA)
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


class _ServerProbe(threading.Thread):
    """One TCP connect to a camera's server; it ends on its own within ``PROBE_CONNECT_S`` (plus any name lookup)."""

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(name="url-probe", daemon=True)
        self.address = address
        self.answered = False
        self.done = threading.Event()

    def run(self) -> None:
        try:
            socket.create_connection(self.address, timeout=PROBE_CONNECT_S).close()
            self.answered = True
        except OSError:  # refused, unreachable, timed out, name not found
            self.answered = False
        finally:
            self.done.set()


def _shrink(frame: np.ndarray, target: tuple[int, int] | None) -> np.ndarray:
    """Scale down (never up) to fit the tile, in the receiver thread: less to copy and decode later."""
    h, w = frame.shape[:2]
    if target is None or (w <= target[0] and h <= target[1]):
        return frame
    size = fit_size((w, h), target)
    return cv2.resize(frame, size, interpolation=cv2.INTER_LINEAR)


def _create(request: SourceRequest) -> FrameSource:
    options = request.options
    return UrlSource(
        UrlSettings(
            url=str(options["url"]),
            sub_url=options.get("sub_url") or None,
            transport=str(options["transport"]),
            loop=bool(options["loop"]),
            open_timeout_s=float(options["open_timeout_s"]),
            read_timeout_s=float(options["read_timeout_s"]),
        )
    )


KIND = SourceKind(
    name="url",
    label="URL (RTSP, HTTP MJPEG, file, webcam)",
    factory=_create,
    fields={
        "url": OptionField(str, required=True, check=non_empty, secret_url=True),
        "sub_url": OptionField(
            str,
            label="Sub-stream URL",
            hint="optional: a smaller stream, used while the tile is small",
            secret_url=True,
        ),
        "transport": OptionField(
            str,
            default="tcp",
            check=one_of("tcp", "udp"),
            label="RTSP transport",
            choices=(("tcp", "TCP (reliable, the default)"), ("udp", "UDP (lower delay on a clean network)")),
        ),
        "loop": OptionField(bool, default=True),
        "open_timeout_s": OptionField((int, float), default=DEFAULT_OPEN_TIMEOUT_S, check=number_range(0.5, 60)),
        "read_timeout_s": OptionField((int, float), default=DEFAULT_READ_TIMEOUT_S, check=number_range(0.5, 60)),
    },
    address="url",
    address_hint="rtsp://user:password@camera/stream, http://phone:8080/video, /path/video.mp4, 0",
)
