"""``camera-monitor bench --record``: the real window with every camera recording, against the same window not.

Two ``camera-monitor --hub`` windows run side by side, each fed by its own JPEG senders: one plain, one
with ``--record DIR`` (every camera writes its Matroska files). They take turns: while one runs, the
other and its senders are frozen (SIGSTOP), so each measured slice has the machine to itself, and the
two alternate every few seconds. The figure is the ratio of displayed frames per second, recording
over plain (the issue's target: within 10 %), with the frames not recorded and the megabytes written.

The hypervisor of a cloud machine takes CPU from it now and then (``steal_cores`` per slice, from
/proc/stat). The target is judged on the quiet rounds, where it took almost none in either slice, with
more rounds run (up to three times those asked for) until there are enough; the ratio over every round
is reported beside it.

Why turns and not one run after the other: identical runs on a shared machine differ by up to a third
as its load drifts over minutes (three runs in a row here gave 265, 366 and 476 fps); slices a few
seconds apart see the same machine. Both windows are started once, so no slice pays a start-up.
The recordings go to a temporary folder, removed at the end.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from monitor_app.bench.measure import BenchError, PhaseResult, WindowProcess, measure_window, our_command
from monitor_app.bench.paired import fps_ratio, quiet_rounds, quiet_rounds_needed, ratio_interval
from monitor_app.bench.senders import SenderGroup
from monitor_app.core.net import free_port

SETTLE_S = 2.0
"""After a window is thawed: its senders reconnect (their last request timed out while frozen)."""
SLICE_S = 8.0
EXTRA_ROUNDS = 2
"""Up to this many times the rounds asked for are run while fewer than ``paired.MIN_QUIET_ROUNDS`` were quiet."""
SIDES = ("plain", "recording")
SLICE_KEYS = (
    "displayed_fps_total", "cpu_cores", "cpu_ms_per_displayed_frame", "senders_cpu_cores",
    "other_processes_cpu_cores", "steal_cores", "frames_received", "frames_decoded",
    "cpu_ms_per_displayed_frame_by_thread",
)  # fmt: skip
"""Per slice in the JSON document: what the machine gave each window, for reading its spread."""
KEYS = ("displayed_fps_total", "displayed_fps_per_tile", "latency_ms_p50", "latency_ms_p99", "cpu_cores")


class _Side:
    """One window and its senders, which are frozen and thawed together."""

    def __init__(self, label: str, senders: SenderGroup, command: list[str], workdir: Path) -> None:
        self.label, self.senders = label, senders
        self.window = WindowProcess(label, command, workdir / "stats.json", workdir)
        self.slices: list[PhaseResult] = []

    def signal(self, signum: int) -> None:
        for pid in [self.window.proc.pid, *self.senders.pids()]:
            with contextlib.suppress(ProcessLookupError):  # it ended
                os.kill(pid, signum)


def run_recording_bench(
    tiles: int,
    size: tuple[int, int],
    fps: float,
    seconds: float,
    quality: int,
    progress: Callable[[str], None],
) -> dict[str, Any]:
    """``seconds`` of measured slices for each window."""
    rounds = max(1, math.ceil(seconds / SLICE_S))
    slice_s = seconds / rounds
    most_rounds = rounds * (1 + EXTRA_ROUNDS)
    run_s = 2 * 60 + most_rounds * 2 * (SETTLE_S + slice_s + 5)
    tmp = Path(tempfile.mkdtemp(prefix="bench-record-"))
    folder = tmp / "recordings"
    sides: list[_Side] = []
    try:
        for label in SIDES:
            endpoint = f"tcp://127.0.0.1:{free_port()}"
            senders = SenderGroup(endpoint, tiles, size[0], size[1], fps, quality)
            progress(f"{label}: starting {tiles} senders ({size[0]}x{size[1]} q{quality} at {fps:g} fps)")
            senders.start()
            workdir = tmp / label
            workdir.mkdir()
            command = our_command(endpoint, workdir / "stats.json", run_s)
            if label == "recording":
                command += ["--record", str(folder)]
            side = _Side(label, senders, command, workdir)
            sides.append(side)
            measure_window(side.window, senders, 0, 0, progress)  # warm: every tile showing frames
            side.signal(signal.SIGSTOP)
        while _more_rounds(sides[0].slices, sides[1].slices, rounds, most_rounds):
            for side in sides:
                side.signal(signal.SIGCONT)
                side.slices.append(measure_window(side.window, side.senders, slice_s, SETTLE_S, progress))
                side.signal(signal.SIGSTOP)
                _check_recording(side, tiles)
            quiet = len(quiet_rounds(sides[0].slices, sides[1].slices))
            progress(f"round {len(sides[0].slices)} done ({rounds} asked for), {quiet} quiet")
        for side in sides:
            side.signal(signal.SIGCONT)
            side.window.stop()
        written = sum(p.stat().st_size for p in folder.glob("*.mkv"))
        files = len(list(folder.glob("*.mkv")))
    finally:
        for side in sides:
            side.signal(signal.SIGCONT)  # a frozen process takes no SIGTERM, nor its senders their stop
            side.window.stop()
            side.senders.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    slices = {s.label: s.slices for s in sides}
    return _document(tiles, size, fps, slice_s, quality, slices, written, files, quiet_rounds_needed(rounds))


def _check_recording(side: _Side, tiles: int) -> None:
    """A recording window whose recordings stopped (a full disk) would be measured as a plain one."""
    if side.label == "recording" and (recording := side.slices[-1].figures["tiles_recording"]) < tiles:
        raise BenchError(f"only {recording} of {tiles} cameras are still recording:\n{side.window.log_tail()}")


def _more_rounds(plain: list[PhaseResult], recording: list[PhaseResult], asked: int, most: int) -> bool:
    done = len(plain)
    return done < asked or (done < most and len(quiet_rounds(plain, recording)) < quiet_rounds_needed(asked))


def _document(
    tiles: int,
    size: tuple[int, int],
    fps: float,
    slice_s: float,
    quality: int,
    slices: dict[str, list[PhaseResult]],
    written: int,
    files: int,
    quiet_needed: int,
) -> dict[str, Any]:
    plain, recording = slices["plain"], slices["recording"]
    figures = {label: _mean_figures(runs) for label, runs in slices.items()}
    figures["recording"]["frames_not_recorded"] = recording[-1].figures.get("frames_not_recorded")
    every_round = list(range(len(plain)))
    quiet = quiet_rounds(plain, recording)
    ratio = fps_ratio(plain, recording, every_round)
    quiet_ratio = fps_ratio(plain, recording, quiet) if len(quiet) >= quiet_needed else None
    interval = ratio_interval(plain, recording, quiet) if quiet_ratio is not None else None
    return {
        "config": {
            "tiles": tiles,
            "size": list(size),
            "fps": fps,
            "seconds": round(slice_s * len(plain), 1),
            "slice_s": round(slice_s, 2),
            "quality": quality,
        },
        "phases": figures,
        "slices_fps": {label: [r.figures["displayed_fps_total"] for r in runs] for label, runs in slices.items()},
        "slices": {label: [{k: r.figures.get(k) for k in SLICE_KEYS} for r in runs] for label, runs in slices.items()},
        "ratio_per_round": [fps_ratio(plain, recording, [i]) for i in every_round],
        "steal_cores_per_round": [
            [s.figures["steal_cores"] for s in pair] for pair in zip(plain, recording, strict=True)
        ],
        "displayed_fps_without_recording": figures["plain"]["displayed_fps_total"],
        "displayed_fps_with_recording": figures["recording"]["displayed_fps_total"],
        "ratio_recording_to_plain": ratio,
        "quiet_rounds": quiet,
        "quiet_rounds_needed": quiet_needed,
        "ratio_in_quiet_rounds": quiet_ratio,
        "ratio_in_quiet_rounds_95ci": list(interval) if interval else None,
        "frames_not_recorded": figures["recording"]["frames_not_recorded"],
        "recorded_mb": round(written / 1e6, 1),
        "recorded_files": files,
        "target": {
            "name": "displayed fps within 10 % of the run without recording, in quiet rounds",
            "met": None if quiet_ratio is None else quiet_ratio >= 0.9,
        },
    }


def _mean_figures(runs: list[PhaseResult]) -> dict[str, Any]:
    """Each figure's mean over the slices (all slices are equally long)."""
    means: dict[str, Any] = {}
    for key in KEYS:
        values = [r.figures[key] for r in runs if r.figures.get(key) is not None]
        means[key] = round(sum(values) / len(values), 3) if values else None
    return means


def text_table(doc: dict[str, Any]) -> str:
    cfg = doc["config"]
    lines = [
        f"camera-monitor bench --record: {cfg['tiles']} tiles of {cfg['size'][0]}x{cfg['size'][1]} JPEG "
        f"q{cfg['quality']} at {cfg['fps']:g} fps, {cfg['seconds']:g} s measured per window, in turns",
        "",
        f"{'':24}" + "".join(f"{label:>13}" for label in doc["phases"]),
    ]
    for key in KEYS:
        cells = "".join(f"{_cell(p.get(key)):>13}" for p in doc["phases"].values())
        lines.append(f"{key:24}{cells}")
    lines += [
        "",
        f"fps per slice: plain {doc['slices_fps']['plain']}, recording {doc['slices_fps']['recording']}",
        f"CPU the hypervisor took per round (plain, recording): {doc['steal_cores_per_round']}",
        f"displayed fps with / without recording: {doc['ratio_recording_to_plain']} "
        f"({doc['displayed_fps_with_recording']} / {doc['displayed_fps_without_recording']}), every round",
        f"in the {len(doc['quiet_rounds'])} quiet rounds {doc['quiet_rounds']}: {doc['ratio_in_quiet_rounds']} "
        f"(95 % interval over rounds: {doc['ratio_in_quiet_rounds_95ci']})",
        f"frames not recorded: {doc['frames_not_recorded']}; "
        f"written: {doc['recorded_mb']} MB in {doc['recorded_files']} files",
        f"target {doc['target']['name']}: {_verdict(doc)}",
    ]
    return "\n".join(lines)


def _verdict(doc: dict[str, Any]) -> str:
    met = doc["target"]["met"]
    if met is None:
        needed = doc["quiet_rounds_needed"]
        return f"NOT MEASURED (fewer than {needed} quiet rounds: the hypervisor took CPU; run again)"
    return "met" if met else "MISSED"


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
