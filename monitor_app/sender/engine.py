"""The companion sender: frames from a pattern, webcam, file or URL to a hub, in imagezmq's format.

Wire-compatible with ``imagezmq.ImageSender`` (a stock ``ImageHub`` receives it) plus a
``sent_at`` key so Camera Monitor can show latency. Unlike ``ImageSender`` in REQ mode it
never waits forever for a reply: after ``reply_timeout_s`` it closes the socket (LINGER 0),
builds a new one and goes on, so a hub that restarts gets frames again within seconds.
Every wait is sliced to ~0.1 s, so a stop request (Ctrl+C, SIGTERM) ends it promptly.

This module is the loop; the frames come from ``sender.frames``, the sockets are ``sender.channels``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

import cv2
import numpy as np
import simplejpeg
import zmq

from monitor_app.core.redact import mask_url
from monitor_app.core.sources.base import PermanentSourceError, SourceError
from monitor_app.core.sources.curve import curve_from_options
from monitor_app.core.sources.imagezmq_wire import encode_array_message, encode_jpeg_message
from monitor_app.sender.channels import PubChannel, ReqChannel
from monitor_app.sender.frames import open_frames
from monitor_app.sender.options import SLICE_S, SendOptions, SendReport

log = logging.getLogger(__name__)


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
    # Key files first: a bad one ends the run before a camera opens (PermanentSourceError names the file).
    server = curve_from_options(options.curve_options(), "server", "send") if options.pub else None
    client = None if options.pub else curve_from_options(options.curve_options(), "client", "send")
    frames = open_frames(options)
    frames.start()
    context = zmq.Context()
    channel: ReqChannel | PubChannel
    try:
        channel = (
            PubChannel(context, options.endpoint, report, server)
            if options.pub
            else ReqChannel(context, options.endpoint, options.reply_timeout_s, report, client)
        )
    except zmq.ZMQError as exc:
        frames.close()
        context.term()
        raise SourceError(f"cannot {'bind' if options.pub else 'connect to'} {options.endpoint}: {exc}") from None
    mode = ("PUB bound at" if options.pub else "REQ to") + (" (CURVE)" if options.curve_options() else "")
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
