"""A URL camera read through PyAV: one demuxer and decoder in the camera's own thread, frames sized for the tile.

The same thread shell as the OpenCV ``CaptureWorker`` (slot, counters, stats), with what OpenCV cannot
do: FFmpeg's frame threads for decoding, conversion straight to the tile's size as BGRX in one
swscale pass, the demuxed packets handed to ``on_packet`` before decoding, key frames only while the
tile is hidden, a frame counted as new only when its timestamp is, and a full-size frame on request
for a snapshot (``full_frame.py``).
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future
from fractions import Fraction

import av
import numpy as np
from av.container import InputContainer
from av.video.frame import VideoFrame
from av.video.stream import VideoStream

from monitor_app.core.redact import mask_text
from monitor_app.core.sources.base import SINGLE_CAMERA, PermanentSourceError, SourceError
from monitor_app.core.sources.frames import EncodedFrame, fit_size
from monitor_app.core.sources.full_frame import FullFrameRequests
from monitor_app.core.sources.packets import CompressedPacket, PacketCallback
from monitor_app.core.sources.region import FULL, Region, zoomed_scale_size
from monitor_app.core.sources.url_av import forget, interrupt, no_video, open_input
from monitor_app.core.sources.url_hw import SOFTWARE, choose_decoder
from monitor_app.core.sources.url_open import CaptureTarget, UrlKind, classify_url
from monitor_app.core.sources.url_rtsp import open_with_fallback
from monitor_app.core.sources.url_worker import CaptureWorker, UrlSettings

log = logging.getLogger(__name__)

PIXEL_FORMAT = "bgra"
"""swscale writes alpha 255: BGRX, Qt's ``Format_RGB32`` in memory, so nothing converts it again."""
INTERPOLATION = "AREA"
"""Measured through this reader, 1080p30 H.264 over RTSP to a 480x270 tile, ms CPU a frame (a shared
2-core machine): AREA 7.9-8.0, POINT 7.6-8.0, FAST_BILINEAR 8.3-8.4, BILINEAR 8.6-9.1. AREA costs no
more than the cheapest and does not alias when shrinking 4x (POINT does). One swscale pass does
scale and convert: nothing converts the BGRX frame again."""


def uses_pyav(target: CaptureTarget, reader: str) -> bool:
    """``auto``: PyAV for streams and files, OpenCV for webcams (whatever opens them best on each platform)."""
    return target.kind is not UrlKind.DEVICE and reader != "opencv"


def reads_with_pyav(url: str, reader: str) -> bool:
    """Whether a URL camera is read by PyAV, so its packets reach ``on_packet``; False for a URL that is not one."""
    try:
        return uses_pyav(classify_url(url), reader)
    except SourceError:
        return False


class PyAvWorker(CaptureWorker):
    """Owns one PyAV container: open, demux, decode, convert to the tile, close; all in this thread.

    ``UrlSource`` sets ``view_size`` (the tile's size, None while hidden), ``view_region`` (the part of
    the picture a zoomed tile shows), ``show`` and ``on_packet`` from its own thread; plain attribute
    writes, read here once per packet.
    """

    reader = "pyav"

    def __init__(self, target: CaptureTarget, stream: str, settings: UrlSettings, wake: threading.Event) -> None:
        super().__init__(target, stream, settings, wake)
        self.view_size: tuple[int, int] | None = None
        self.view_region: Region = FULL
        self.show = True
        self.on_packet: PacketCallback | None = None
        self.packets = 0
        self.stale = 0  # decoded frames whose timestamp was not newer than the last one
        self.decode_errors = 0
        self.skipping = False  # decoding key frames only (hidden tile)
        self._last_pts: int | None = None
        self._last_size: tuple[int, int] | None = None
        self._extradata: bytes | None = None
        self._size: tuple[int, int] | None = None
        self._running_lock = threading.Lock()
        self._running = False
        self._full_frames = FullFrameRequests()

    def stop(self) -> None:
        super().stop()
        with self._running_lock:  # never mark a finished thread: its id may already be another thread's
            if self._running:
                interrupt(self.ident)  # an open or read waiting on a hung server returns now, not at its timeout

    def request_full_frame(self) -> Future[EncodedFrame] | None:
        """From any thread: the next decoded frame at the stream's size, converted once more in this thread."""
        return self._full_frames.request()

    def run(self) -> None:
        with self._running_lock:
            self._running = True
        try:
            self._run()
        finally:
            self._full_frames.close("the stream closed before its next frame")  # a file at its end, too
            with self._running_lock:
                self._running = False
                forget(self.ident)

    def _run(self) -> None:
        s = self.settings
        if self._stop_event.is_set():
            return
        try:
            hwaccel, device = choose_decoder(s.decoder)
            container, self.transport = open_with_fallback(
                self.target.url,
                s.transport,
                lambda transport: open_input(
                    self.target, transport, s.open_timeout_s, self._stop_event.is_set, hwaccel
                ),
            )
        except SourceError as exc:
            self._fail(exc)
            return
        stream: VideoStream | None = None
        try:
            if not container.streams.video:
                raise no_video(self.target)
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"  # FFmpeg's frame + slice threads: they release the GIL
            self.codec = stream.codec_context.name
            self.decoder = device if stream.codec_context.is_hwaccel else SOFTWARE  # MJPEG: no device decodes it
            rate = stream.average_rate or stream.guessed_rate
            self.nominal_fps = float(rate) if rate and 0 < rate < 1000 else 0.0
            self._extradata = stream.codec_context.extradata
            width, height = stream.codec_context.width, stream.codec_context.height
            self._size = (width, height) if width and height else None
            self._opened()
            self._read_loop_av(container, stream)
        except SourceError as exc:
            self._fail(exc)
        except Exception as exc:
            log.exception("PyAV reading %s failed", self.target.masked)
            self._fail(SourceError(f"capture failed: {type(exc).__name__}"))
        finally:
            release_container(container, stream)

    def _read_loop_av(self, container: InputContainer, stream: VideoStream) -> None:
        is_file = self.target.kind is UrlKind.FILE
        period = 1.0 / (self.nominal_fps if 1.0 <= self.nominal_fps <= 240 else 25.0)
        due = time.monotonic()
        heard_at = time.monotonic()  # the last packet, or the open
        packets = container.demux(stream)
        while not self._stop_event.is_set():
            try:
                packet = next(packets)
            except av.ExitError:  # a read slice passed without data (see url_av.READ_SLICE_S)
                silent = time.monotonic() - heard_at
                if silent >= self.settings.read_timeout_s:
                    raise SourceError(f"no frame for {silent:.1f} s (read timeout)") from None
                packets = container.demux(stream)  # the demuxer stays usable; its generator does not
                continue
            except StopIteration:
                if is_file and self.settings.loop and self.seq > 0:
                    container.seek(0)
                    stream.codec_context.flush_buffers()  # drained at the end: ready for the first frame again
                    self._last_pts = None
                    packets = container.demux(stream)
                    continue
                self._end_of_stream(is_file, time.monotonic() - heard_at)
                return
            except (av.FFmpegError, OSError) as exc:
                raise SourceError(f"stream ended ({mask_text(str(exc))})") from None
            heard_at = time.monotonic()
            if packet.size:  # not the empty packet at the end, which only drains the decoder's threads
                self.packets += 1
                self._offer(packet, stream)
            for frame in self._decode(packet, stream):
                if is_file:  # play at the file's own rate
                    due = max(due + period, time.monotonic() - period)
                    if self._stop_event.wait(max(0.0, due - time.monotonic())):
                        return
                self._present(frame)
            if self.skipping:  # a hidden tile's camera is alive while packets arrive
                self.last_frame_at = heard_at

    def _offer(self, packet: av.Packet, stream: VideoStream) -> None:
        callback = self.on_packet
        if callback is None:  # a camera with no taps pays nothing
            return
        if self._stop_event.is_set():  # cut short by the interrupt of a stop (an AUD alone): no frame in it
            return
        base = packet.time_base
        callback(
            CompressedPacket(
                camera=SINGLE_CAMERA,
                stream=self.stream,
                codec=self.codec,
                data=bytes(packet),
                pts=packet.pts,
                dts=packet.dts,
                time_base=Fraction(base.numerator, base.denominator) if base else None,
                keyframe=packet.is_keyframe,
                received_at=time.time(),
                extradata=self._extradata,
                size=self._size,
            )
        )

    def _decode(self, packet: av.Packet, stream: VideoStream) -> list[VideoFrame]:
        context = stream.codec_context
        if not self.show and not self.skipping:
            context.skip_frame = "NONKEY"  # packets still parsed: the decoder keeps its place
            self.skipping = True
        elif self.show and self.skipping and packet.is_keyframe:
            context.skip_frame = "DEFAULT"  # resume at a key frame: nothing refers to frames skipped
            self.skipping = False
        try:
            return list(context.decode(packet))
        except av.InvalidDataError:  # a damaged packet: the next key frame repairs the picture
            self.decode_errors += 1
            return []
        except av.FFmpegError as exc:
            raise PermanentSourceError(f"cannot decode {self.codec}: {mask_text(str(exc))}") from None

    def _present(self, frame: VideoFrame) -> None:
        pts = frame.pts
        if pts is not None and self._last_pts is not None and pts <= self._last_pts:
            self.stale += 1  # not new: the decoder handed back what it had (or the camera repeated a stamp)
            return
        self._last_pts = pts
        if self._full_frames.pending:  # a snapshot asked (while hidden too: key frames are whole pictures)
            self._full_frames.fulfil(lambda: _full_size(frame))
        if self.skipping:  # a key frame while hidden: nobody would see it converted (UrlSource sends a heartbeat)
            return
        source = (frame.width, frame.height)
        box = self.view_size or self._last_size
        region = self.view_region
        if self.view_size is not None:
            self._last_size = self.view_size
        if region.is_full:  # the common case, one swscale pass straight to the tile
            size = source if box is None or (source[0] <= box[0] and source[1] <= box[1]) else fit_size(source, box)
            pixels = frame.reformat(width=size[0], height=size[1], format=PIXEL_FORMAT, interpolation=INTERPOLATION)
            self._put(pixels.to_ndarray(), source)
            return
        # Zoomed: scale the whole frame so that the region covers the tile (at most the source's own
        # size), then cut the region out. An enlarged tile-sized frame would be a blurred thumbnail.
        size = zoomed_scale_size(source, box or source, region)
        whole = frame.reformat(width=size[0], height=size[1], format=PIXEL_FORMAT, interpolation=INTERPOLATION)
        left, top, right, bottom = region.pixels(size)
        self._put(np.ascontiguousarray(whole.to_ndarray()[top:bottom, left:right]), source, region)

    def stats(self) -> dict[str, object]:
        stats = super().stats()
        stats.update(packets=self.packets, stale_frames=self.stale, decode_errors=self.decode_errors)
        stats.update(key_frames_only=self.skipping)
        return stats


def _full_size(frame: VideoFrame) -> EncodedFrame:
    """BGR, what a JPEG encoder takes without another conversion: the snapshot encodes it once."""
    pixels = frame.to_ndarray(format="bgr24")
    return EncodedFrame(SINGLE_CAMERA, pixels=pixels, source_size=(frame.width, frame.height))


def release_container(container: InputContainer, stream: VideoStream | None) -> None:
    """Drain the decoder, then close: PyAV frees a codec context holding the GIL, and freeing joins
    FFmpeg's frame threads, so a frame thread still busy (logging a damaged packet through PyAV's
    callback, which needs the GIL) would never finish. Drained, they are idle. (Before this, the app
    once hung on closing after a killed and restarted RTSP server.)"""
    try:
        if stream is not None and stream.codec_context.is_open:
            stream.codec_context.decode(None)  # in FFmpeg without the GIL: the threads finish their frames
    except (av.FFmpegError, ValueError):
        pass  # already drained (end of a file) or never decoding
    finally:
        container.close()
