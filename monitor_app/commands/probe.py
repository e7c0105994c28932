"""``camera-monitor probe URL``: open a camera URL headless and report what it delivers.

Prints resolution, codec, measured frame rate and time to first frame, or the reason it
failed; exit 0 when frames arrived, 1 otherwise. Passwords are masked in every line.
"""

from __future__ import annotations

import argparse
import time

import cv2

from monitor_app.core.redact import mask_text
from monitor_app.core.sources.base import PermanentSourceError, SourceError
from monitor_app.core.sources.url_open import DEFAULT_READ_TIMEOUT_S, UrlKind, classify_url, fourcc_text, open_capture


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help="rtsp://, rtsps://, http(s):// MJPEG, a video file, a webcam index or /dev/videoN")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="S", help="open timeout in seconds (default 10)")
    parser.add_argument(
        "--seconds", type=float, default=3.0, metavar="S", help="how long to measure the frame rate (default 3)"
    )
    parser.add_argument("--transport", choices=("tcp", "udp"), default="tcp", help="RTSP transport (default tcp)")


def run(args: argparse.Namespace) -> int:
    try:
        target = classify_url(args.url)
    except SourceError as exc:
        return _fail(str(exc), permanent=True)
    print(f"url:           {target.masked} ({target.kind.value})")
    started = time.monotonic()
    try:
        cap = open_capture(target, args.transport, args.timeout, max(DEFAULT_READ_TIMEOUT_S, args.timeout / 2))
    except PermanentSourceError as exc:
        return _fail(str(exc), permanent=True)
    except SourceError as exc:
        return _fail(str(exc), permanent=False)
    try:
        return _measure(cap, target.kind, started, args.seconds)
    finally:
        cap.release()


def _measure(cap: cv2.VideoCapture, kind: UrlKind, started: float, seconds: float) -> int:
    opened_s = time.monotonic() - started
    ok, frame = cap.read()
    if not ok:
        return _fail(f"opened in {opened_s:.2f} s but no frame arrived", permanent=False)
    first_s = time.monotonic() - started
    height, width = frame.shape[:2]
    nominal = cap.get(cv2.CAP_PROP_FPS)
    print(f"resolution:    {width}x{height}")
    print(f"codec:         {fourcc_text(cap.get(cv2.CAP_PROP_FOURCC))}")
    print(f"opened in:     {opened_s:.2f} s")
    print(f"first frame:   {first_s:.2f} s")
    if kind is UrlKind.FILE:
        frames = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
        print(f"fps:           {nominal:.2f} (from the file; {frames} frames)")
        return 0
    count, begin = 0, time.monotonic()
    while time.monotonic() - begin < seconds:
        ok, _ = cap.read()
        if not ok:
            print("note:          the stream stopped while measuring")
            break
        count += 1
    elapsed = max(time.monotonic() - begin, 1e-6)
    declared = f" (declared {nominal:.2f})" if 0 < nominal < 1000 else ""
    print(f"fps:           {count / elapsed:.2f} measured over {elapsed:.1f} s{declared}")
    return 0


def _fail(reason: str, permanent: bool) -> int:
    hint = "retrying will not help" if permanent else "the camera may come back; the app keeps retrying"
    print(f"FAILED:        {mask_text(reason)} ({hint})")
    return 1
