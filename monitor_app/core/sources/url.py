"""Cameras by URL: RTSP, HTTP MJPEG and video files read through PyAV, webcams through OpenCV.

Each opened stream gets a worker thread of its own: a ``url_pyav.PyAvWorker`` (one PyAV demuxer
and decoder, frames converted to the tile's size there) or, for webcams and ``"reader": "opencv"``,
a ``CaptureWorker`` that owns a ``cv2.VideoCapture``. Either opens with open/read timeouts, reads
as fast as frames come (files: paced at their own frame rate) and keeps only the newest one. The
connection's receiver thread runs ``UrlSource.read``, which never blocks longer than its
``timeout_s``: it takes the newest frame, scales it down to the tile if the worker did not, delivers
it, and runs the watchdog. A snapshot gets a full-size frame from the worker (``request_full_frame``).
OpenCV can block for several read timeouts on a hung server (PyAV's calls return within theirs, and
at once when told to stop); the worker absorbs that, so the watchdog, reconnects and shutdown stay
prompt (a stuck worker finishes and releases its capture on its own thread).
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future

from monitor_app.core.redact import mask_url
from monitor_app.core.sources.base import SINGLE_CAMERA, FrameSink, FrameSource, SourceError
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.packets import PacketCallback
from monitor_app.core.sources.region import FULL, cut
from monitor_app.core.sources.server_probe import ServerProbe
from monitor_app.core.sources.url_open import (
    UrlKind,
    classify_url,
    server_address,
)
from monitor_app.core.sources.url_pyav import PyAvWorker, reads_with_pyav, uses_pyav
from monitor_app.core.sources.url_worker import CaptureWorker, UrlSettings, shrink_to_tile

log = logging.getLogger(__name__)

SUB_STREAM_MAX = (640, 360)
"""Tiles that fit in this box (device pixels) show a camera's sub-stream (and snapshot it) when it has one."""
SWITCH_AFTER_S = 1.0
"""A tile must stay on the other side of ``SUB_STREAM_MAX`` this long before streams switch."""
OPEN_WAIT_S = 0.5
"""``open`` waits this long for a quick answer (refused, 404) before reading takes over."""
CLOSE_WAIT_S = 0.5


class UrlSource(FrameSource):
    """One camera by URL, with an optional sub-stream for small tiles.

    ``on_packet``, when set, gets every compressed packet of the stream being shown (PyAV reader
    only), in the camera's reading thread, before decoding: the hook for recording and other taps,
    without a second connection to the camera. It must queue and return, never block.
    """

    def __init__(self, settings: UrlSettings) -> None:
        self.settings = settings
        self.on_packet: PacketCallback | None = None
        self.gives_packets = reads_with_pyav(settings.url, settings.reader)  # OpenCV's webcams give no packets
        main = mask_url(settings.url)
        self.description = f"URL {main}" + (f" (sub-stream {mask_url(settings.sub_url)})" if settings.sub_url else "")
        self._wake = threading.Event()
        self._worker: CaptureWorker | None = None
        self._pending: CaptureWorker | None = None  # the other stream, opening while this one plays
        self._seq = 0
        self._want, self._want_since, self._switch_blocked_until = "main", 0.0, 0.0  # see _consider_switch
        self._probe: ServerProbe | None = None
        self._alive_at: float | None = None

    # FrameSource -------------------------------------------------------------------------
    def open(self) -> None:
        self.close()
        self._probe = None  # an answer from before this try says nothing new
        self._worker = self._start(self._want, shown=True)
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
        wants = sink.wants_frames(SINGLE_CAMERA)
        self._tell_view(sink, wants)
        self._seq, frame, shrunk_from, region = worker.take(self._seq)
        if frame is not None:
            if wants:
                stream_size = shrunk_from or (int(frame.shape[1]), int(frame.shape[0]))  # before it shrinks
                wanted = sink.target_region(SINGLE_CAMERA)
                if region.is_full and not wanted.is_full:  # OpenCV's reader does not crop: cut here, then shrink
                    frame, region = cut(frame, wanted), wanted
                pixels = shrink_to_tile(frame, sink.target_size(SINGLE_CAMERA))
                sink.deliver(EncodedFrame(SINGLE_CAMERA, pixels=pixels, source_size=stream_size, region=region))
            else:  # hidden or in the camera list: nothing to show, but the stream is alive
                sink.heartbeat(SINGLE_CAMERA)
            return
        if not wants and worker.last_frame_at is not None and worker.last_frame_at != self._alive_at:
            self._alive_at = worker.last_frame_at  # packets while only key frames are decoded
            sink.heartbeat(SINGLE_CAMERA)
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
            probe = self._probe = ServerProbe(address)
            probe.start()
        if not probe.done.wait(timeout_s):
            return None
        self._probe = None
        return probe.answered

    def endpoint_stats(self) -> list[dict[str, object]]:
        return [w.stats() for w in (self._worker, self._pending) if w is not None]

    def request_full_frame(self, camera: str) -> Future[EncodedFrame] | None:
        worker = self._worker  # read once: if the receiver thread replaces it, the old one fails its requests
        return worker.request_full_frame() if worker is not None else None

    # Internals -----------------------------------------------------------------------------
    def _url(self, stream: str) -> str:
        return self.settings.sub_url if stream == "sub" and self.settings.sub_url else self.settings.url

    def _start(self, stream: str, shown: bool = False) -> CaptureWorker:
        """A worker for ``stream``; one ``shown`` hands its packets to ``on_packet`` from the first (a key frame)."""
        target = classify_url(self._url(stream))
        worker: CaptureWorker
        if uses_pyav(target, self.settings.reader):
            worker = pyav = PyAvWorker(target, stream, self.settings, self._wake)
            pyav.on_packet = self.on_packet if shown else None
        else:
            worker = CaptureWorker(target, stream, self.settings, self._wake)
        worker.start()
        return worker

    def _tell_view(self, sink: FrameSink, wants: bool) -> None:
        """What the PyAV workers convert to and decode: the tile's size, all frames or key frames only."""
        size = sink.target_size(SINGLE_CAMERA) if wants else None
        region = sink.target_region(SINGLE_CAMERA) if wants else FULL
        for worker in (self._worker, self._pending):
            if isinstance(worker, PyAvWorker):
                worker.view_size, worker.view_region, worker.show = size, region, wants or worker is self._pending
                worker.on_packet = self.on_packet if worker is self._worker else None

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
        region = sink.target_region(SINGLE_CAMERA)  # a small zoomed tile wants the main stream's detail
        small = target[0] / region.width <= SUB_STREAM_MAX[0] and target[1] / region.height <= SUB_STREAM_MAX[1]
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
