"""``camera-monitor send``: send a test pattern, webcam, video file or camera URL to a hub.

Speaks imagezmq's format (a stock ``imagezmq.ImageHub`` receives it). REQ mode connects to
a hub (``camera-monitor --hub`` or ``ImageHub``); ``--pub`` binds a PUB socket for
``camera-monitor --sub``. Ctrl+C or SIGTERM stop it; it prints a JSON summary at the end.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sys
import threading

from monitor_app.core.redact import mask_text
from monitor_app.core.sources.base import SourceError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "source",
        nargs="?",
        default="pattern",
        help="'pattern' (default), a webcam index (0), a video file, or an rtsp:// / http:// URL",
    )
    parser.add_argument(
        "--hub",
        "--to",
        dest="endpoint",
        metavar="ENDPOINT",
        help="REQ: the hub to connect to (default tcp://127.0.0.1:5555); --pub: where to bind (default tcp://*:5555)",
    )
    parser.add_argument("--pub", action="store_true", help="bind a PUB socket (imagezmq PUB/SUB) instead of REQ")
    parser.add_argument("--name", default=socket.gethostname(), help="camera name (default: this host's name)")
    parser.add_argument("--quality", type=_quality, default=90, help="JPEG quality 1-100 (default 90)")
    parser.add_argument("--fps", type=_positive_float, help="maximum frames a second (pattern default 15)")
    parser.add_argument("--size", type=_size, metavar="WxH", help="resize frames (the pattern's size; default 640x360)")
    parser.add_argument("--raw", action="store_true", help="send raw arrays (imagezmq send_image) instead of JPEG")
    parser.add_argument("--count", type=int, metavar="N", help="stop after N frames")
    parser.add_argument("--seconds", type=_positive_float, metavar="S", help="stop after S seconds")
    parser.add_argument("--no-loop", action="store_true", help="stop at the end of a video file")
    parser.add_argument(
        "--reply-timeout", type=_positive_float, default=2.0, metavar="S", help="REQ: rebuild the socket after S s"
    )


def run(args: argparse.Namespace) -> int:
    from monitor_app.sender.engine import run_sender
    from monitor_app.sender.options import SendOptions

    logging.basicConfig(
        level=os.environ.get("CAMERA_MONITOR_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s send: %(message)s",
        stream=sys.stderr,
    )
    endpoint = args.endpoint or ("tcp://*:5555" if args.pub else "tcp://127.0.0.1:5555")
    options = SendOptions(
        endpoint=endpoint,
        source=args.source,
        pub=args.pub,
        name=args.name,
        quality=args.quality,
        fps=args.fps,
        size=args.size,
        raw=args.raw,
        count=args.count,
        seconds=args.seconds,
        loop=not args.no_loop,
        reply_timeout_s=args.reply_timeout,
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        report = run_sender(options, stop)
    except SourceError as exc:
        print(f"camera-monitor send: {mask_text(str(exc))}", file=sys.stderr)
        return 1
    print(json.dumps(report.as_dict()), flush=True)
    return 0


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _quality(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 100:
        raise argparse.ArgumentTypeError("must be between 1 and 100")
    return value


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(n) for n in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError("must look like 640x360") from None
    if not (16 <= width <= 7680 and 16 <= height <= 4320):
        raise argparse.ArgumentTypeError("width must be 16-7680 and height 16-4320")
    return width, height
