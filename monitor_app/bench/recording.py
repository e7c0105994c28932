"""``camera-monitor bench --record``: the real window with every camera recording, against the same window not.

The same JPEG senders feed three runs of ``camera-monitor --hub``: without recording, with ``--record DIR``
(every camera writes its Matroska file), and without again; the two runs without are averaged, so a
shared machine's load drifting during the bench weighs on both sides. The figure is the ratio of
displayed frames per second (the issue's target: within 10 %), with the frames not recorded and the
megabytes written. The recordings go to a temporary folder, removed at the end.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from monitor_app.bench.measure import BenchError, PhaseResult, our_command, run_phase
from monitor_app.bench.senders import SenderGroup
from monitor_app.core.net import free_port

SETTLE_S = 2.0
PHASES = ("plain", "recording", "plain again")
KEYS = ("displayed_fps_total", "displayed_fps_per_tile", "latency_ms_p50", "latency_ms_p99", "cpu_cores")


def recording_command(endpoint: str, folder: Path, stats_path: Path, run_s: float) -> list[str]:
    return [*our_command(endpoint, stats_path, run_s), "--record", str(folder)]


def run_recording_bench(
    tiles: int,
    size: tuple[int, int],
    fps: float,
    seconds: float,
    quality: int,
    progress: Callable[[str], None],
) -> dict[str, Any]:
    endpoint = f"tcp://127.0.0.1:{free_port()}"
    folder = Path(tempfile.mkdtemp(prefix="bench-record-"))
    senders = SenderGroup(endpoint, tiles, size[0], size[1], fps, quality)
    run_s = 60 + SETTLE_S + seconds + 30
    plain = partial(our_command, endpoint, run_s=run_s)
    commands = {"plain": plain, "recording": partial(recording_command, endpoint, folder, run_s=run_s)}
    results: dict[str, PhaseResult] = {}
    try:
        progress(f"starting {tiles} senders ({size[0]}x{size[1]} q{quality} at {fps:g} fps)")
        senders.start()
        for label in PHASES:
            results[label] = run_phase(label, commands[label.split()[0]], senders, seconds, SETTLE_S, progress)
        written = sum(p.stat().st_size for p in folder.glob("*.mkv"))
        files = len(list(folder.glob("*.mkv")))
    finally:
        senders.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return _document(tiles, size, fps, seconds, quality, results, written, files)


def _document(
    tiles: int,
    size: tuple[int, int],
    fps: float,
    seconds: float,
    quality: int,
    results: dict[str, PhaseResult],
    written: int,
    files: int,
) -> dict[str, Any]:
    figures = {label: {k: r.figures.get(k) for k in KEYS} for label, r in results.items()}
    recording = results["recording"].figures
    figures["recording"]["frames_not_recorded"] = recording.get("frames_not_recorded")
    without = (
        results["plain"].figures["displayed_fps_total"] + results["plain again"].figures["displayed_fps_total"]
    ) / 2
    ratio = round(figures["recording"]["displayed_fps_total"] / without, 3) if without else None
    return {
        "config": {"tiles": tiles, "size": list(size), "fps": fps, "seconds": seconds, "quality": quality},
        "phases": figures,
        "displayed_fps_without_recording": round(without, 1),
        "displayed_fps_with_recording": figures["recording"]["displayed_fps_total"],
        "ratio_recording_to_plain": ratio,
        "recorded_mb": round(written / 1e6, 1),
        "recorded_files": files,
        "target": {
            "name": "displayed fps within 10 % of the run without recording",
            "met": bool(ratio and ratio >= 0.9),
        },
    }


def text_table(doc: dict[str, Any]) -> str:
    cfg = doc["config"]
    lines = [
        f"camera-monitor bench --record: {cfg['tiles']} tiles of {cfg['size'][0]}x{cfg['size'][1]} JPEG "
        f"q{cfg['quality']} at {cfg['fps']:g} fps, {cfg['seconds']:g} s measured per run",
        "",
        f"{'':28}" + "".join(f"{label:>14}" for label in doc["phases"]),
    ]
    for key in KEYS:
        cells = "".join(f"{_cell(p.get(key)):>14}" for p in doc["phases"].values())
        lines.append(f"{key:28}{cells}")
    lines += [
        "",
        f"displayed fps with / without recording: {doc['ratio_recording_to_plain']} "
        f"({doc['displayed_fps_with_recording']} / {doc['displayed_fps_without_recording']})",
        f"frames not recorded: {doc['phases']['recording'].get('frames_not_recorded')}; "
        f"written: {doc['recorded_mb']} MB in {doc['recorded_files']} files",
        f"target {doc['target']['name']}: {'met' if doc['target']['met'] else 'MISSED'}",
    ]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def main(
    tiles: int, size: tuple[int, int], fps: float, seconds: float, quality: int, progress: Callable[[str], None]
) -> dict[str, Any] | None:
    try:
        return run_recording_bench(tiles, size, fps, seconds, quality, progress)
    except BenchError as exc:
        print(f"camera-monitor bench --record: {exc}", file=sys.stderr)
        return None
