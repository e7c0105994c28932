"""``camera-monitor probe URL``: open a camera URL headless and report what it delivers.

Prints the reader (PyAV or OpenCV, as the app would choose), resolution, codec, measured frame
rate and time to first frame, or the reason it failed; exit 0 when frames arrived, 1 otherwise.
It runs the app's own ``UrlSource``, so it fails the way a tile would. Passwords are masked in
every line.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from monitor_app.core.redact import mask_text
from monitor_app.core.sources.base import PermanentSourceError, SourceError
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.region import FULL, Region
from monitor_app.core.sources.url import UrlSource
from monitor_app.core.sources.url_hw import decoder_problem
from monitor_app.core.sources.url_open import DEFAULT_READ_TIMEOUT_S, UrlKind, classify_url
from monitor_app.core.sources.url_rtsp import TRANSPORTS
from monitor_app.core.sources.url_worker import UrlSettings

PROBE_TILE = (640, 360)
"""Frames are converted this small (the stream's own size is reported): probing costs little."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help="rtsp://, rtsps://, http(s):// MJPEG, a video file, a webcam index or /dev/videoN")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="S", help="open timeout in seconds (default 10)")
    parser.add_argument(
        "--seconds", type=float, default=3.0, metavar="S", help="how long to measure the frame rate (default 3)"
    )
    parser.add_argument(
        "--transport",
        choices=TRANSPORTS,
        default="auto",
        help="RTSP transport (default auto: TCP, then UDP if the server refuses TCP)",
    )
    parser.add_argument(
        "--reader", choices=("auto", "pyav", "opencv"), default="auto", help="as a layout's reader (default auto)"
    )
    parser.add_argument(
        "--decoder", default="auto", metavar="NAME", help="auto, software or a hardware device such as vaapi (PyAV)"
    )


class _CountingSink:
    """Counts frames; the first one's stream size is what the camera sends."""

    def __init__(self) -> None:
        self.frames = 0
        self.source_size: tuple[int, int] | None = None

    def deliver(self, frame: EncodedFrame) -> None:
        self.frames += 1
        if self.source_size is None and frame.pixels is not None:
            self.source_size = frame.source_size or (int(frame.pixels.shape[1]), int(frame.pixels.shape[0]))

    def heartbeat(self, camera: str) -> None:
        pass

    def event(self, camera: str, text: str) -> None:
        pass

    def bad_message(self, reason: str, camera: str | None = None) -> None:
        pass

    def camera_link_lost(self, camera: str, reason: str) -> None:
        pass

    def wants_frames(self, camera: str) -> bool:
        return True

    def target_size(self, camera: str) -> tuple[int, int] | None:
        return PROBE_TILE

    def target_region(self, camera: str) -> Region:
        return FULL


def run(args: argparse.Namespace) -> int:
    try:
        target = classify_url(args.url)
    except SourceError as exc:
        return _fail(str(exc), permanent=True)
    print(f"url:           {target.masked} ({target.kind.value})")
    if problem := decoder_problem(args.decoder):
        return _fail(f"--decoder {problem}", permanent=True)
    read_timeout = max(DEFAULT_READ_TIMEOUT_S, args.timeout / 2)
    settings = UrlSettings(
        args.url,
        transport=args.transport,
        loop=False,
        open_timeout_s=args.timeout,
        read_timeout_s=read_timeout,
        reader=args.reader,
        decoder=args.decoder,
    )
    source = UrlSource(settings)
    sink = _CountingSink()
    try:
        source.open()
        deadline = time.monotonic() + 2 * args.timeout + read_timeout + 1.0
        while not sink.frames:
            if time.monotonic() > deadline:
                return _fail("opened but no frame arrived", permanent=False)
            source.read(sink, 0.1)
        _report(source.endpoint_stats()[0], sink)
        if target.kind is UrlKind.FILE:
            return 0
        nominal = source.endpoint_stats()[0]["nominal_fps"]
        return _measure(source, sink, args.seconds, float(nominal) if isinstance(nominal, (int, float)) else 0.0)
    except PermanentSourceError as exc:
        return _fail(str(exc), permanent=True)
    except SourceError as exc:
        return _fail(str(exc), permanent=False)
    finally:
        source.close()


def _report(stats: dict[str, Any], sink: _CountingSink) -> None:
    size = sink.source_size or (0, 0)
    print(f"reader:        {stats['reader']}")
    print(f"decoder:       {stats['decoder']}")
    print(f"resolution:    {size[0]}x{size[1]}")
    print(f"codec:         {stats['codec']}")
    if stats.get("transport"):
        print(f"transport:     {stats['transport']}")
    if stats.get("opened_s") is not None:
        print(f"opened in:     {stats['opened_s']:.2f} s")
    print(f"first frame:   {stats['first_frame_s']:.2f} s")
    if stats["kind"] == UrlKind.FILE.value:
        print(f"fps:           {stats['nominal_fps']:.2f} (from the file)")


def _measure(source: UrlSource, sink: _CountingSink, seconds: float, nominal: float) -> int:
    count, begin = sink.frames, time.monotonic()
    try:
        while time.monotonic() - begin < seconds:
            source.read(sink, 0.1)
    except SourceError as exc:
        print(f"note:          the stream stopped while measuring ({mask_text(str(exc))})")
    elapsed = max(time.monotonic() - begin, 1e-6)
    declared = f" (declared {nominal:.2f})" if 0 < nominal < 1000 else ""
    print(f"fps:           {(sink.frames - count) / elapsed:.2f} measured over {elapsed:.1f} s{declared}")
    return 0


def _fail(reason: str, permanent: bool) -> int:
    hint = "retrying will not help" if permanent else "the camera may come back; the app keeps retrying"
    print(f"FAILED:        {mask_text(reason)} ({hint})")
    return 1
