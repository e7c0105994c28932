"""Runs one window process (ours or the naive one) against the senders and measures a steady window.

Both processes write the same ``--stats-json`` document every second. The bench waits until every
tile shows frames, lets the pipeline settle, then takes two samples ``seconds`` apart; each sample
is taken the moment the process rewrites its stats file, together with the process's CPU time
(``/proc/PID/stat``), its resident memory and the senders' counters, so all figures cover the same
span. Start-up work (imports, building the window) is outside the window.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor_app.bench import NAIVE_COMMAND
from monitor_app.bench.machine import MachineCpu, process_cpu_s, process_rss_mb, thread_cpu_s
from monitor_app.bench.senders import SenderGroup
from monitor_app.core.identity import CONFIG_DIR_ENV, LOG_LEVEL_ENV

WARM_TIMEOUT_S = 60.0


class BenchError(RuntimeError):
    """The bench cannot go on (a window exited, wrote no stats, or its tiles showed no frames)."""


@dataclass
class Sample:
    """One moment of a window process: its stats document and the counters read with it."""

    doc: dict[str, Any]
    cpu_s: float
    rss_mb: float
    sent: list[int]
    skipped: list[int]
    threads: dict[str, float]
    senders_cpu_s: float
    machine: MachineCpu  # every process, and what the hypervisor gave other guests

    @property
    def uptime(self) -> float:
        return float(self.doc["app"]["uptime_s"])

    def tiles(self) -> dict[str, dict[str, Any]]:
        return {str(t["camera"]): t for t in self.doc.get("tiles", [])}


@dataclass
class PhaseResult:
    """What one pipeline's run measured: the figures over the window and a per-step timeline."""

    figures: dict[str, Any]
    timeline: list[dict[str, float]] = field(default_factory=list)


class WindowProcess:
    """A window process writing --stats-json; stopped with SIGTERM (the app closes cleanly on it)."""

    def __init__(self, label: str, command: list[str], stats_path: Path, workdir: Path) -> None:
        self.label = label
        self.stats_path = stats_path
        self.log_path = workdir / f"{label}.log"
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env[CONFIG_DIR_ENV] = str(workdir / "config")  # default geometry, no user settings touched
        env.setdefault(LOG_LEVEL_ENV, "WARNING")
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        self._last_mtime = 0

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def next_sample(self, senders: SenderGroup, timeout_s: float = 5.0) -> Sample:
        """Wait for the next stats write, then read it with the CPU time and sender counters."""
        deadline = time.monotonic() + timeout_s
        while True:
            if self.proc.poll() is not None:
                raise BenchError(f"{self.label} exited early ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                mtime = self.stats_path.stat().st_mtime_ns
            except FileNotFoundError:
                mtime = 0
            if mtime and mtime != self._last_mtime:
                pid = self.proc.pid
                cpu, rss, threads = process_cpu_s(pid), process_rss_mb(pid), thread_cpu_s(pid)
                sent, skipped = senders.counts()
                senders_cpu = sum(process_cpu_s(p) for p in senders.pids())
                self._last_mtime = mtime
                doc = json.loads(self.stats_path.read_text())
                return Sample(doc, cpu, rss, sent, skipped, threads, senders_cpu, MachineCpu.now())
            if time.monotonic() > deadline:
                raise BenchError(f"{self.label} wrote no stats for {timeout_s:.0f} s:\n{self.log_tail()}")
            time.sleep(0.01)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def this_program() -> list[str]:
    """How to start camera-monitor again: the frozen executable itself, or this Python with -m."""
    return [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "monitor_app"]


def our_command(endpoint: str, stats_path: Path, run_s: float) -> list[str]:
    return [
        *this_program(), "--hub", endpoint,
        "--exit-after", f"{run_s:.0f}", "--stats-json", str(stats_path),
    ]  # fmt: skip


def naive_command(endpoint: str, tiles: int, stats_path: Path, run_s: float) -> list[str]:
    return [
        *this_program(), NAIVE_COMMAND, "--endpoint", endpoint, "--tiles", str(tiles),
        "--exit-after", f"{run_s:.0f}", "--stats-json", str(stats_path),
    ]  # fmt: skip


def run_phase(
    label: str,
    command: Callable[[Path], list[str]],
    senders: SenderGroup,
    seconds: float,
    settle_s: float,
    progress: Callable[[str], None],
) -> PhaseResult:
    with tempfile.TemporaryDirectory(prefix=f"bench-{label}-") as tmp:
        workdir = Path(tmp)
        stats_path = workdir / "stats.json"
        window = WindowProcess(label, command(stats_path), stats_path, workdir)
        try:
            return measure_window(window, senders, seconds, settle_s, progress)
        finally:
            window.stop()


def measure_window(
    window: WindowProcess, senders: SenderGroup, seconds: float, settle_s: float, progress: Callable[[str], None]
) -> PhaseResult:
    """Once every tile shows frames and ``settle_s`` passed: the figures over the next ``seconds``."""
    names = set(senders.names)
    deadline = time.monotonic() + WARM_TIMEOUT_S
    while True:  # every tile on screen and showing frames
        sample = window.next_sample(senders, timeout_s=WARM_TIMEOUT_S)
        tiles = sample.tiles()
        shown = sum(1 for n in names if tiles.get(n, {}).get("frames_displayed", 0) > 0)
        progress(f"{window.label}: warming up, {shown}/{len(names)} tiles showing frames")
        if shown == len(names):
            break
        if time.monotonic() > deadline:
            raise BenchError(f"{window.label}: only {shown} of {len(names)} tiles showed frames:\n{window.log_tail()}")
    settle_end = time.monotonic() + settle_s
    while time.monotonic() < settle_end:
        window.next_sample(senders)
    first = previous = window.next_sample(senders)
    timeline = []
    while True:
        current = window.next_sample(senders)
        span = current.uptime - previous.uptime
        step = _figures(previous, current, names)
        timeline.append(
            {
                "t_s": round(current.uptime - first.uptime, 2),
                "displayed_fps_total": step["displayed_fps_total"],
                "latency_ms_p50": step["latency_ms_p50"],
                "cpu_cores": round((current.cpu_s - previous.cpu_s) / span, 3) if span > 0 else 0.0,
                "rss_mb": round(current.rss_mb, 1),
            }
        )
        progress(
            f"{window.label}: {current.uptime - first.uptime:4.0f}/{seconds:.0f} s  "
            f"{step['displayed_fps_total']:6.0f} fps shown  {step['displayed_fps_per_tile']:5.1f}/tile  "
            f"p50 {_ms(step['latency_ms_p50'])}  cpu {timeline[-1]['cpu_cores']:.2f} cores  "
            f"stolen {step['steal_cores']:.2f}"
        )
        previous = current
        if current.uptime - first.uptime >= seconds - 0.05:
            break
    return PhaseResult(_figures(first, current, names), timeline)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def _figures(a: Sample, b: Sample, names: set[str]) -> dict[str, Any]:
    span = b.uptime - a.uptime
    ta, tb = a.tiles(), b.tiles()
    per_tile_fps, displayed, received, decoded = [], 0, 0, 0
    p50s, p99s = [], []
    for name in sorted(names):
        start, end = ta.get(name, {}), tb.get(name, {})
        shown = end.get("frames_displayed", 0) - start.get("frames_displayed", 0)
        displayed += shown
        received += end.get("frames_received", 0) - start.get("frames_received", 0)
        decoded += end.get("frames_decoded", 0) - start.get("frames_decoded", 0)
        per_tile_fps.append(shown / span if span > 0 else 0.0)
        if end.get("latency_ms_p50") is not None:
            p50s.append(float(end["latency_ms_p50"]))
            p99s.append(float(end["latency_ms_p99"]))
    skipped = sum(b.skipped) - sum(a.skipped)  # the receiver had not answered the previous frame in time
    generated = sum(b.sent) - sum(a.sent) + skipped
    busy_a = a.doc["app"]["gui_busy_fraction"] * a.uptime
    busy_b = b.doc["app"]["gui_busy_fraction"] * b.uptime
    cpu_s = b.cpu_s - a.cpu_s
    by_thread = {
        name: round((seconds - a.threads.get(name, 0.0)) * 1000 / displayed, 3)
        for name, seconds in sorted(b.threads.items())
        if displayed and seconds - a.threads.get(name, 0.0) > 0
    }
    return {
        "window_s": round(span, 3),
        "displayed_fps_total": round(displayed / span, 1) if span > 0 else 0.0,
        "displayed_fps_per_tile": round(statistics.median(per_tile_fps), 2) if per_tile_fps else 0.0,
        "displayed_fps_tile_min": round(min(per_tile_fps), 2) if per_tile_fps else 0.0,
        "displayed_fps_tile_max": round(max(per_tile_fps), 2) if per_tile_fps else 0.0,
        "latency_ms_p50": round(statistics.median(p50s), 1) if p50s else None,
        "latency_ms_p99": round(statistics.median(p99s), 1) if p99s else None,
        "latency_ms_p99_worst_tile": round(max(p99s), 1) if p99s else None,
        "cpu_ms_per_displayed_frame": round(cpu_s * 1000 / displayed, 3) if displayed else None,
        "cpu_cores": round(cpu_s / span, 3) if span > 0 else 0.0,
        "cpu_ms_per_displayed_frame_by_thread": by_thread,
        # Context for a shared machine: what the senders and everything else used meanwhile.
        "senders_cpu_cores": round((b.senders_cpu_s - a.senders_cpu_s) / span, 3) if span > 0 else 0.0,
        "other_processes_cpu_cores": round(
            max(0.0, (b.machine.busy_s - a.machine.busy_s) - cpu_s - (b.senders_cpu_s - a.senders_cpu_s)) / span, 3
        )
        if span > 0
        else 0.0,
        "steal_cores": round((b.machine.steal_s - a.machine.steal_s) / span, 3) if span > 0 else 0.0,
        "gui_busy_fraction": round((busy_b - busy_a) / span, 4) if span > 0 else 0.0,
        "frames_generated": generated,
        "frames_skipped_by_senders": skipped,
        "frames_received": received,
        "frames_decoded": decoded,
        "frames_displayed": displayed,
        "dropped_fraction": round(max(0.0, 1 - displayed / generated), 4) if generated > 0 else None,
        "rss_mb_start": round(a.rss_mb, 1),
        "rss_mb_end": round(b.rss_mb, 1),
        "tile_size": next((t["tile_size"] for t in tb.values() if "tile_size" in t), None),
        "frames_not_recorded": sum(t.get("frames_not_recorded", 0) for t in tb.values()),  # --record: since start
        "tiles_recording": sum(1 for t in tb.values() if t.get("recording")),
    }
