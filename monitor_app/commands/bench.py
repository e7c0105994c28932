"""``camera-monitor bench``: our real app against the naive design, on the same senders in one run.

It starts imagezmq REQ sender processes replaying a realistic synthetic scene, runs the real
``camera-monitor --hub`` window offscreen against them and measures it, then runs the naive
pipeline (``monitor_app.bench.naive``) against the same senders, prints a table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

from monitor_app.arg_types import frame_size, positive_int
from monitor_app.bench.costs import decode_costs, machine
from monitor_app.bench.measure import BenchError, PhaseResult, naive_command, our_command, run_phase
from monitor_app.bench.report import build_document, markdown_table, text_table
from monitor_app.bench.senders import SenderGroup
from monitor_app.core.net import free_port

SETTLE_S = 2.0
"""After every tile shows frames: let the grid settle before the measured window starts."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tiles", type=positive_int, default=16, help="number of cameras (default 16)")
    parser.add_argument(
        "--size", type=frame_size, default=(1280, 720), metavar="WxH", help="frame size (default 1280x720)"
    )
    parser.add_argument("--fps", type=float, default=30.0, help="frames per second of each camera (default 30)")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds per pipeline (default 20)")
    parser.add_argument("--quality", type=int, default=80, help="JPEG quality of the senders (default 80)")
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON")
    parser.add_argument("--markdown", metavar="FILE", help="write the results as a markdown table (for the README)")
    parser.add_argument("--only", choices=["ours", "naive"], help="measure one pipeline only (no ratio)")
    parser.add_argument(
        "--relay",
        action="store_true",
        help="measure the relay instead (camera-monitor relay against a naive forwarder)",
    )
    parser.add_argument(
        "--web", action="store_true", help="measure the browser view instead (--web with 1, 5 and 20 clients)"
    )
    parser.add_argument(
        "--record",
        action="store_true",
        help="measure recording instead: every camera recording (--record DIR) against the same window not recording",
    )
    parser.add_argument(
        "--url",
        action="append",
        metavar="URL",
        help="measure URL cameras instead: the PyAV reader against OpenCV's capture path (repeat for more streams)",
    )


def run(args: argparse.Namespace) -> int:
    if args.url:
        from monitor_app.bench.url import DEFAULT_TILE
        from monitor_app.bench.url import main as url_main

        return url_main(args.url, args.seconds, DEFAULT_TILE, args.json)
    if args.relay:
        from monitor_app.bench.relay import main as relay_main

        return relay_main(args.tiles, args.fps, args.seconds, args.json)
    if args.record:
        return _run_recording(args)
    if args.web:
        from monitor_app.bench.web import main as web_main

        return web_main(args.tiles, args.size, args.fps, args.seconds, args.quality, args.json)
    width, height = args.size
    port = free_port()
    endpoint = f"tcp://127.0.0.1:{port}"
    config = {
        "tiles": args.tiles,
        "size": [width, height],
        "fps": args.fps,
        "seconds": args.seconds,
        "quality": args.quality,
        "settle_s": SETTLE_S,
    }
    about = machine()
    senders = SenderGroup(endpoint, args.tiles, width, height, args.fps, args.quality)
    progress = _Progress()
    results: dict[str, PhaseResult] = {}
    run_s = 60 + SETTLE_S + args.seconds + 30  # a backstop: the bench stops the window itself
    commands = {
        "ours": partial(our_command, endpoint, run_s=run_s),
        "naive": partial(naive_command, endpoint, args.tiles, run_s=run_s),
    }
    try:
        progress(f"starting {args.tiles} senders ({width}x{height} q{args.quality} at {args.fps:g} fps)")
        senders.start()
        for label, command in commands.items():
            if args.only and label != args.only:
                continue
            results[label] = run_phase(label, command, senders, args.seconds, SETTLE_S, progress)
            progress.done()
    except BenchError as exc:
        progress.done()
        print(f"camera-monitor bench: {exc}", file=sys.stderr)
        return 1
    finally:
        senders.stop()
    box = _decode_box(results)
    progress(f"measuring the bare decode cost of one frame ({box[0]}x{box[1]})")
    costs = decode_costs(width, height, args.quality, box)
    progress.done()
    empty: dict[str, Any] = {"displayed_fps_total": 0.0}
    doc = build_document(
        config,
        results["ours"].figures if "ours" in results else empty,
        results["naive"].figures if "naive" in results else empty,
        costs,
        about,
        {label: r.timeline for label, r in results.items()},
    )
    print(text_table(doc))
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")
    if args.markdown:
        Path(args.markdown).write_text(markdown_table(doc) + "\n")
    return 0


def _run_recording(args: argparse.Namespace) -> int:
    from monitor_app.bench.recording import main as recording_main
    from monitor_app.bench.recording import text_table as recording_table

    progress = _Progress()
    doc = recording_main(args.tiles, args.size, args.fps, args.seconds, args.quality, progress)
    progress.done()
    if doc is None:
        return 1
    print(recording_table(doc))
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")
    return 0


def _decode_box(results: dict[str, PhaseResult]) -> tuple[int, int]:
    """The tiles' size in the run (both windows share the geometry); the naive window reports it."""
    naive = results.get("naive")
    size = naive.figures.get("tile_size") if naive else None
    return (int(size[0]), int(size[1])) if size else (252, 140)


class _Progress:
    """One line on stderr, rewritten in place on a terminal."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.width = 0
        self.started = time.monotonic()

    def __call__(self, text: str) -> None:
        line = f"[{time.monotonic() - self.started:5.0f} s] {text}"
        if self.tty:
            sys.stderr.write("\r" + line.ljust(self.width))
            self.width = len(line)
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def done(self) -> None:
        if self.tty and self.width:
            sys.stderr.write("\n")
            self.width = 0
