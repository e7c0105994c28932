"""The real app and its peers as processes, watched through ``--stats-json``: shared by the integration tests.

Every peer runs in its own process; the app runs as ``python -m monitor_app`` and is read through
its stats file (rewritten every second).
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers import ROOT

PEERS = ROOT / "tests" / "peers"
Stats = dict[str, Any]


def env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}


class Processes:
    """Starts peers and the app; whatever is still running at the end is stopped."""

    def __init__(self, log_dir: Path) -> None:
        self.running: list[subprocess.Popen[str]] = []
        self.log_dir = log_dir

    def start(
        self, args: list[str], ready: bool = False, extra_env: dict[str, str] | None = None
    ) -> subprocess.Popen[str]:
        # stderr goes to a file: a full pipe nobody reads would block a chatty process.
        log = open(self.log_dir / f"proc{len(self.running)}.log", "w")  # noqa: SIM115
        with log:
            proc = subprocess.Popen(
                args, cwd=ROOT, env={**env(), **(extra_env or {})}, stdout=subprocess.PIPE, stderr=log, text=True
            )
        proc.log_path = log.name  # type: ignore[attr-defined]
        self.running.append(proc)
        if ready:
            assert proc.stdout is not None
            readable, _, _ = select.select([proc.stdout], [], [], 30)
            assert readable and proc.stdout.readline().startswith("READY"), f"{args} did not start"
        return proc

    def peer(self, script: str, *args: str, ready: bool = False) -> subprocess.Popen[str]:
        return self.start([sys.executable, str(PEERS / script), *args], ready=ready)

    def send(self, *args: str) -> subprocess.Popen[str]:
        return self.start([sys.executable, "-m", "monitor_app", "send", *args])

    def stop_all(self) -> None:
        for proc in self.running:
            if proc.poll() is None:
                proc.kill()
        for proc in self.running:
            proc.communicate(timeout=10)


def log_tail(proc: subprocess.Popen[str]) -> str:
    return Path(proc.log_path).read_text()[-3000:]  # type: ignore[attr-defined]


class App:
    """``camera-monitor`` with a stats file, watched while it runs."""

    def __init__(
        self, procs: Processes, stats_path: Path, *args: str, exit_after: float = 90, env: dict[str, str] | None = None
    ) -> None:
        self.path = stats_path
        self.proc = procs.start(
            [
                sys.executable,
                "-m",
                "monitor_app",
                *args,
                "--exit-after",
                str(exit_after),
                "--stats-json",
                str(stats_path),
            ],
            extra_env=env,
        )

    def stats(self) -> Stats | None:
        try:
            return json.loads(self.path.read_text())
        except (FileNotFoundError, ValueError):
            return None

    def wait_for(self, what: str, condition: Callable[[Stats], bool], timeout_s: float = 40) -> Stats:
        deadline = time.monotonic() + timeout_s
        last: Stats | None = None
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"app exited early: {log_tail(self.proc)}"
            last = self.stats()
            if last is not None and condition(last):
                return last
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what}; last stats: {json.dumps(last, indent=1)[:6000]}")

    def finish(self, terminate: bool = True) -> Stats:
        if terminate:
            self.proc.send_signal(signal.SIGTERM)
        self.proc.communicate(timeout=60)
        assert self.proc.returncode == 0, log_tail(self.proc)
        stats = self.stats()
        assert stats is not None
        return stats


def tiles(stats: Stats) -> dict[str, Stats]:
    return {t["camera"]: t for t in stats["tiles"]}


def connection(stats: Stats, conn_id: str) -> Stats:
    return next(c for c in stats["connections"] if c["id"] == conn_id)


def endpoint(stats: Stats, conn_id: str, address: str) -> Stats:
    return next(e for e in connection(stats, conn_id)["endpoints"] if e["endpoint"] == address)


def live_with_frames(stats: Stats, names: list[str]) -> bool:
    by_name = tiles(stats)
    return all(n in by_name and by_name[n]["state"] == "live" and by_name[n]["frames_displayed"] > 0 for n in names)


def more_frames(stats: Stats, before: Stats, names: list[str], at_least: int = 5) -> bool:
    now, then = tiles(stats), tiles(before)
    return all(
        now[n]["state"] == "live" and now[n]["frames_received"] >= then[n]["frames_received"] + at_least for n in names
    )
