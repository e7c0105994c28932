"""``camera-monitor send``: send a test pattern, webcam, video file or camera URL to a hub.

Speaks imagezmq's format (a stock ``imagezmq.ImageHub`` receives it). REQ mode connects to
a hub (``camera-monitor --hub`` or ``ImageHub``); ``--pub`` binds a PUB socket for
``camera-monitor --sub``. Ctrl+C or SIGTERM stop it; it prints a JSON summary at the end.

CURVE: to a hub, ``--curve-secret`` and ``--curve-server`` (the hub's public key); with ``--pub``,
``--curve-secret`` and ``--curve-allow`` (the subscribers' public keys), as ``core/sources/curve.py`` reads them.
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

from monitor_app.arg_types import frame_size, jpeg_quality, positive_float
from monitor_app.core.identity import LOG_LEVEL_ENV
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
    parser.add_argument("--quality", type=jpeg_quality, default=90, help="JPEG quality 1-100 (default 90)")
    parser.add_argument("--fps", type=positive_float, help="maximum frames a second (pattern default 15)")
    parser.add_argument(
        "--size", type=frame_size, metavar="WxH", help="resize frames (the pattern's size; default 640x360)"
    )
    parser.add_argument("--raw", action="store_true", help="send raw arrays (imagezmq send_image) instead of JPEG")
    parser.add_argument("--count", type=int, metavar="N", help="stop after N frames")
    parser.add_argument("--seconds", type=positive_float, metavar="S", help="stop after S seconds")
    parser.add_argument("--no-loop", action="store_true", help="stop at the end of a video file")
    parser.add_argument(
        "--reply-timeout", type=positive_float, default=2.0, metavar="S", help="REQ: rebuild the socket after S s"
    )
    curve = parser.add_argument_group("CURVE encryption and authentication (make keys with: camera-monitor keys)")
    curve.add_argument("--curve-secret", metavar="FILE", help="this sender's NAME.key_secret (mode 0600)")
    curve.add_argument("--curve-server", metavar="FILE", help="REQ: the hub's public NAME.key")
    curve.add_argument("--curve-allow", metavar="DIR", help="--pub: the folder of the subscribers' public .key files")


def run(args: argparse.Namespace) -> int:
    from monitor_app.core.sources.curve import curve_problems
    from monitor_app.sender.engine import run_sender
    from monitor_app.sender.options import SendOptions

    logging.basicConfig(
        level=os.environ.get(LOG_LEVEL_ENV, "INFO"),
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
        curve_secret=args.curve_secret,
        curve_server=args.curve_server,
        curve_allow=args.curve_allow,
    )
    problems = curve_problems(options.curve_options(), "server" if options.pub else "client")
    for name, problem in problems:
        print(f"camera-monitor send: {_as_flags(f'{name} {problem}')}", file=sys.stderr)
    if problems:
        return 2
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


def _as_flags(text: str) -> str:
    """The layout's field names (``curve_secret``) spelled as this command's flags (``--curve-secret``)."""
    for name in ("curve_secret", "curve_server", "curve_allow"):
        text = text.replace(name, "--" + name.replace("_", "-"))
    return text
