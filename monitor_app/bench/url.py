"""``camera-monitor bench --url URL ...``: our URL reader (PyAV) against OpenCV's capture path, same streams.

Each pipeline runs in a child process of its own (``python -m monitor_app.bench.url --phase ...``), one
after the other against the same live streams, so each one's CPU time is its own: ``ours`` is the app's
``UrlSource`` with the PyAV reader plus the decode pool's step (``decode_to_fit``) for a tile of
``--tile``; ``naive`` is ``cv2.VideoCapture`` (the app's OpenCV options) + ``resize(INTER_AREA)`` +
BGR->BGRA; ``hidden`` is ours with the tile hidden (key frames only). Meant for live RTSP/HTTP streams:
``rtsp-test-server --file clip.mp4 --name a --name b`` serves a recorded H.264 file without encoding.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from monitor_app.core.pipeline.decode import decode_to_fit
from monitor_app.core.sources.base import SourceError
from monitor_app.core.sources.frames import EncodedFrame, fit_size
from monitor_app.core.sources.region import FULL, Region
from monitor_app.core.sources.url import UrlSource
from monitor_app.core.sources.url_open import classify_url, open_capture
from monitor_app.core.sources.url_worker import UrlSettings

PHASES = ("ours", "naive", "hidden")
DEFAULT_TILE = (480, 270)
"""A quarter of 1080p on each side: a tile of a 4x4 wall on a 1080p screen (the issue's measurements)."""
FIRST_FRAME_S = 20.0
"""Every stream must show a frame within this long before the measured window starts."""


def main(urls: list[str], seconds: float, tile: tuple[int, int], json_path: str | None) -> int:
    """Run the three phases one after the other; print a summary and write the JSON document."""
    results: dict[str, dict[str, Any]] = {}
    for phase in PHASES:
        sys.stderr.write(f"bench --url: {phase} on {len(urls)} stream(s) for {seconds:g} s\n")
        command = [sys.executable, "-m", "monitor_app.bench.url", "--phase", phase, "--seconds", str(seconds)]
        command += ["--tile", f"{tile[0]}x{tile[1]}", *urls]
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + FIRST_FRAME_S + 60)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0 or not lines:
            print(f"camera-monitor bench: the {phase} phase failed: {done.stderr[-1500:]}", file=sys.stderr)
            return 1
        results[phase] = json.loads(lines[-1])
    doc = _document(urls, seconds, tile, results)
    print(json.dumps(doc, indent=2))
    if json_path:
        Path(json_path).write_text(json.dumps(doc, indent=2) + "\n")
    return 0


def _document(urls: list[str], seconds: float, tile: tuple[int, int], results: dict[str, Any]) -> dict[str, Any]:
    ours, naive, hidden = results["ours"], results["naive"], results["hidden"]

    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 3) if a is not None and b else None

    return {
        "config": {"streams": len(urls), "seconds": seconds, "tile": list(tile), "urls": results["ours"]["urls"]},
        "ours": ours,
        "naive": naive,
        "hidden": hidden,
        "ratio_cpu_per_displayed_frame": ratio(ours["cpu_ms_per_displayed_frame"], naive["cpu_ms_per_displayed_frame"]),
        "hidden_cpu_share": ratio(hidden["cpu_cores"], ours["cpu_cores"]),
        "versions": {"opencv": cv2.__version__, "pyav": _pyav_version()},
    }


def _pyav_version() -> str:
    import av

    return str(av.__version__)


class _Tile:
    """One stream's counters; ``counting`` opens the measured window for every tile at once."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.frames = 0
        self.first = threading.Event()
        self.error: str | None = None


def _ours(tile: _Tile, box: tuple[int, int], shown: bool, stop: threading.Event) -> None:
    source = UrlSource(UrlSettings(tile.url, reader="pyav"))
    sink = _CountingSink(tile, box, shown)
    try:
        source.open()
        while not stop.is_set():
            source.read(sink, 0.1)
    except SourceError as exc:
        tile.error = str(exc)
    finally:
        source.close()


class _CountingSink:
    """A FrameSink doing the decode pool's work on each frame (a no-op when PyAV sized it already)."""

    def __init__(self, tile: _Tile, box: tuple[int, int], shown: bool) -> None:
        self.tile, self.box, self.shown = tile, box, shown

    def deliver(self, frame: EncodedFrame) -> None:
        decode_to_fit(frame, self.box)
        self.tile.frames += 1
        self.tile.first.set()

    def heartbeat(self, camera: str) -> None:
        self.tile.first.set()

    def event(self, camera: str, text: str) -> None:
        pass

    def bad_message(self, reason: str, camera: str | None = None) -> None:
        pass

    def camera_link_lost(self, camera: str, reason: str) -> None:
        pass

    def wants_frames(self, camera: str) -> bool:
        return self.shown

    def target_size(self, camera: str) -> tuple[int, int] | None:
        return self.box if self.shown else None

    def target_region(self, camera: str) -> Region:
        return FULL


def _naive(tile: _Tile, box: tuple[int, int], stop: threading.Event) -> None:
    try:
        cap = open_capture(classify_url(tile.url))
    except SourceError as exc:
        tile.error = str(exc)
        return
    try:
        while not stop.is_set():
            ok, frame = cap.read()
            if not ok:
                tile.error = "read failed"
                return
            size = fit_size((frame.shape[1], frame.shape[0]), box)
            scaled = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
            np.ascontiguousarray(cv2.cvtColor(scaled, cv2.COLOR_BGR2BGRA))
            tile.frames += 1
            tile.first.set()
    finally:
        cap.release()


def run_phase(phase: str, urls: list[str], seconds: float, box: tuple[int, int]) -> dict[str, Any]:
    """One pipeline on every URL, a thread per stream; CPU is this whole process's, FFmpeg's threads included."""
    tiles = [_Tile(url) for url in urls]
    stop = threading.Event()
    threads = []
    for tile in tiles:
        if phase == "naive":
            args: tuple[Any, ...] = (tile, box, stop)
            thread = threading.Thread(target=_naive, args=args, daemon=True)
        else:
            thread = threading.Thread(target=_ours, args=(tile, box, phase == "ours", stop), daemon=True)
        thread.start()
        threads.append(thread)
    deadline = time.monotonic() + FIRST_FRAME_S
    for tile in tiles:
        tile.first.wait(max(0.0, deadline - time.monotonic()))
    time.sleep(1.0)  # past the first key frame and the decoder's warm-up
    counts = [t.frames for t in tiles]
    cpu0, wall0 = time.process_time(), time.monotonic()
    time.sleep(seconds)
    cpu_s, wall_s = time.process_time() - cpu0, time.monotonic() - wall0
    shown = [t.frames - c for t, c in zip(tiles, counts, strict=True)]
    stop.set()
    for thread in threads:
        thread.join(5.0)
    total = sum(shown)
    return {
        "phase": phase,
        "urls": [UrlSource(UrlSettings(u)).description for u in urls],
        "displayed_fps_per_tile": [round(n / wall_s, 2) for n in shown],
        "displayed_fps_total": round(total / wall_s, 2),
        "cpu_cores": round(cpu_s / wall_s, 3),
        "cpu_ms_per_displayed_frame": round(cpu_s * 1000 / total, 3) if total else None,
        "errors": [t.error for t in tiles if t.error],
    }


def _child(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m monitor_app.bench.url")
    parser.add_argument("--phase", choices=PHASES, required=True)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--tile", default="480x270")
    parser.add_argument("urls", nargs="+")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.tile.split("x"))
    print(json.dumps(run_phase(args.phase, args.urls, args.seconds, (width, height))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
