"""The companion sender: frames from a pattern, webcam, file or URL to a hub, in imagezmq's format.

Wire-compatible with ``imagezmq.ImageSender`` (a stock ``ImageHub`` receives it) plus a
``sent_at`` key so Camera Monitor can show latency. Unlike ``ImageSender`` in REQ mode it
never waits forever for a reply: after ``reply_timeout_s`` it closes the socket (LINGER 0),
builds a new one and goes on, so a hub that restarts gets frames again within seconds.
Every wait is sliced to ~0.1 s, so a stop request (Ctrl+C, SIGTERM) ends it promptly.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
import simplejpeg
import zmq

from monitor_app.core.redact import mask_url
from monitor_app.core.sources.base import PermanentSourceError, SourceError
from monitor_app.core.sources.imagezmq_wire import encode_array_message, encode_jpeg_message
from monitor_app.core.sources.pattern import TestPatternRenderer
from monitor_app.core.sources.zmq_common import bind_endpoint, connect_endpoint

log = logging.getLogger(__name__)

SLICE_S = 0.1
"""The longest single wait anywhere in the sender."""

PATTERN = "pattern"


@dataclass
class SendOptions:
    endpoint: str = "tcp://127.0.0.1:5555"
    source: str = PATTERN
    """``pattern``, a webcam index (``0``), a video file, or an RTSP/HTTP URL."""
    pub: bool = False
    name: str = field(default_factory=socket.gethostname)
    quality: int = 90
    fps: float | None = None
    """Maximum frames a second (None: as fast as the source gives them; the pattern uses 15)."""
    size: tuple[int, int] | None = None
    raw: bool = False
    count: int | None = None
    seconds: float | None = None
    loop: bool = True
    """Start a video file over at its end."""
    reply_timeout_s: float = 2.0


@dataclass
class SendReport:
    frames_sent: int = 0
    replies: int = 0
    reply_timeouts: int = 0
    source_failures: int = 0
    stopped_by: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "frames_sent": self.frames_sent,
            "replies": self.replies,
            "reply_timeouts": self.reply_timeouts,
            "source_failures": self.source_failures,
            "stopped_by": self.stopped_by,
        }


# Frame sources ---------------------------------------------------------------------------
class PatternFrames:
    """The synthetic test pattern, paced by the sender."""

    def __init__(self, name: str, size: tuple[int, int] | None) -> None:
        width, height = size or (640, 360)
        self._renderer = TestPatternRenderer(name, width, height, hue=sum(map(ord, name)) * 37)
        self._n = 0
        self.description = f"test pattern {width}x{height}"
        self.natural_fps: float | None = None
        self.default_fps: float | None = 15.0

    def start(self) -> None:
        pass

    def next_frame(self, stop: threading.Event) -> np.ndarray | None:
        self._n += 1
        return self._renderer.render(self._n)

    def close(self) -> None:
        pass


class CaptureFrames:
    """A webcam, video file or camera URL through OpenCV, with open and read timeouts."""

    def __init__(self, source: str, loop: bool) -> None:
        from monitor_app.core.sources.url_open import UrlKind, classify_url

        self._target = classify_url(source)
        self._is_file = self._target.kind is UrlKind.FILE
        self._loop = loop
        self._cap: cv2.VideoCapture | None = None
        self.description = self._target.masked
        self.natural_fps: float | None = None  # a file's own rate: never played faster
        self.default_fps: float | None = None  # live sources: as fast as they deliver
        self.ended = False

    def _open(self) -> cv2.VideoCapture:
        from monitor_app.core.sources.url_open import open_capture

        cap = open_capture(self._target)
        fps = cap.get(cv2.CAP_PROP_FPS)
        if self._is_file and 0 < fps <= 240:
            self.natural_fps = float(fps)  # play files at their own speed
        return cap

    def start(self) -> None:
        """Open at once, so a missing file is reported before any hub is found."""
        try:
            self._cap = self._open()
        except PermanentSourceError:
            raise
        except SourceError as exc:
            log.warning("%s; will keep trying", exc)  # a camera that is down now may come back

    def next_frame(self, stop: threading.Event) -> np.ndarray | None:
        """The next frame; None at the end of a file (without loop) or on a failure to retry."""
        if self._cap is None:
            self._cap = self._open()
        ok, frame = self._cap.read()
        if ok and frame is not None:
            return np.asarray(frame)
        if self._is_file and self._loop and self._cap.get(cv2.CAP_PROP_POS_FRAMES) > 0:
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._cap.read()
            if ok and frame is not None:
                return np.asarray(frame)
        self.close()
        if self._is_file and not self._loop:
            self.ended = True
            return None
        raise SourceError(f"{self.description}: no frame (stream ended or timed out)")

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


def open_frames(options: SendOptions) -> PatternFrames | CaptureFrames:
    if options.source == PATTERN:
        return PatternFrames(options.name, options.size)
    return CaptureFrames(options.source, options.loop)


# Channels -------------------------------------------------------------------------------
class ReqChannel:
    """A REQ socket that gives up on a missing reply and rebuilds itself."""

    def __init__(self, context: zmq.Context, endpoint: str, reply_timeout_s: float, report: SendReport) -> None:
        self.endpoint = connect_endpoint(endpoint)
        self._context = context
        self._timeout = reply_timeout_s
        self._report = report
        self._socket = self._build()

    def _build(self) -> zmq.Socket:
        sock = self._context.socket(zmq.REQ)
        sock.setsockopt(zmq.LINGER, 0)
        sock.setsockopt(zmq.IMMEDIATE, 1)  # queue nothing for a hub that is not there: frames would go stale
        sock.setsockopt(zmq.RECONNECT_IVL, 200)
        sock.setsockopt(zmq.RECONNECT_IVL_MAX, 2000)
        sock.connect(self.endpoint)
        return sock

    def wait_ready(self, stop: threading.Event) -> bool:
        """True once a hub is connected and can take a frame (waits one slice at most)."""
        return bool(self._socket.poll(int(SLICE_S * 1000), zmq.POLLOUT)) and not stop.is_set()

    def send(self, parts: Sequence[bytes | memoryview], stop: threading.Event) -> bool:
        try:
            self._socket.send_multipart(parts, zmq.NOBLOCK, copy=False)
        except zmq.Again:
            return False
        deadline = time.monotonic() + self._timeout
        while not stop.is_set():
            if self._socket.poll(int(SLICE_S * 1000), zmq.POLLIN):
                self._socket.recv()  # the hub's b"OK"; its text does not matter
                self._report.replies += 1
                return True
            if time.monotonic() > deadline:
                self._report.reply_timeouts += 1
                log.warning(
                    "no reply from %s within %.1f s (hub down or restarting?); rebuilding the socket",
                    self.endpoint,
                    self._timeout,
                )
                self._socket.close(linger=0)
                self._socket = self._build()
                return False
        return False

    def close(self) -> None:
        self._socket.close(linger=0)


class PubChannel:
    """A bound PUB socket: imagezmq's PUB/SUB mode. Never blocks; slow subscribers miss frames."""

    def __init__(self, context: zmq.Context, endpoint: str) -> None:
        self.endpoint = bind_endpoint(endpoint)
        self._socket = context.socket(zmq.PUB)
        self._socket.setsockopt(zmq.LINGER, 0)
        self._socket.setsockopt(zmq.SNDHWM, 2)  # a subscriber that falls behind skips frames, never lags
        self._socket.bind(self.endpoint)

    def wait_ready(self, stop: threading.Event) -> bool:
        return not stop.is_set()

    def send(self, parts: Sequence[bytes | memoryview], stop: threading.Event) -> bool:
        try:
            self._socket.send_multipart(parts, zmq.NOBLOCK, copy=False)
        except zmq.Again:
            return False
        return True

    def close(self) -> None:
        self._socket.close(linger=0)


# The loop ----------------------------------------------------------------------------------
def prepare(frame: np.ndarray, size: tuple[int, int] | None) -> np.ndarray:
    if size is not None and (frame.shape[1], frame.shape[0]) != size:
        frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(frame)


def encode(options: SendOptions, frame: np.ndarray) -> Sequence[bytes | memoryview]:
    sent_at = time.time()
    if options.raw:
        return encode_array_message(options.name, frame, sent_at)
    if frame.ndim == 2:
        jpeg = simplejpeg.encode_jpeg(frame[:, :, None], quality=options.quality, colorspace="GRAY")
    else:
        colorspace = "BGRA" if frame.shape[2] == 4 else "BGR"
        jpeg = simplejpeg.encode_jpeg(frame, quality=options.quality, colorspace=colorspace)
    return encode_jpeg_message(options.name, jpeg, sent_at)


def run_sender(options: SendOptions, stop: threading.Event) -> SendReport:
    """Send until ``stop`` is set, ``count`` frames are sent, ``seconds`` pass or a file ends."""
    report = SendReport()
    frames = open_frames(options)
    frames.start()
    context = zmq.Context()
    channel: ReqChannel | PubChannel
    try:
        channel = (
            PubChannel(context, options.endpoint)
            if options.pub
            else ReqChannel(context, options.endpoint, options.reply_timeout_s, report)
        )
    except zmq.ZMQError as exc:
        context.term()
        raise SourceError(f"cannot {'bind' if options.pub else 'connect to'} {options.endpoint}: {exc}") from None
    mode = "PUB bound at" if options.pub else "REQ to"
    log.info("sending %s as %r, %s %s", mask_url(frames.description), options.name, mode, channel.endpoint)
    started = time.monotonic()
    next_due = started
    try:
        while True:
            reason = _finished(options, report, stop, started)
            if reason:
                report.stopped_by = reason
                break
            if not channel.wait_ready(stop):
                continue
            fps = _pace(options.fps, frames.natural_fps, frames.default_fps)
            if fps:
                if time.monotonic() < next_due:
                    stop.wait(min(SLICE_S, next_due - time.monotonic()))
                    continue
                next_due = max(next_due + 1.0 / fps, time.monotonic() - 1.0 / fps)
            try:
                frame = frames.next_frame(stop)
            except PermanentSourceError:
                raise  # a missing file or a refused password: retrying cannot help
            except SourceError as exc:
                report.source_failures += 1
                log.warning("%s; trying again in 1 s", exc)
                stop.wait(1.0)
                continue
            if frame is None:
                report.stopped_by = "end of file"
                break
            if channel.send(encode(options, prepare(frame, options.size)), stop):
                report.frames_sent += 1
    finally:
        channel.close()
        frames.close()
        context.term()
    log.info("sent %d frames (%s)", report.frames_sent, report.stopped_by)
    return report


def _pace(maximum: float | None, natural: float | None, default: float | None) -> float | None:
    """Frames a second to send: ``--fps`` caps a file's own rate and replaces the pattern's default."""
    if maximum is not None and natural is not None:
        return min(maximum, natural)
    return maximum or natural or default


def _finished(options: SendOptions, report: SendReport, stop: threading.Event, started: float) -> str:
    if stop.is_set():
        return "stop requested"
    if options.count is not None and report.frames_sent >= options.count:
        return "count reached"
    if options.seconds is not None and time.monotonic() - started >= options.seconds:
        return "time is up"
    return ""
