"""Writes ``--stats-json`` snapshots off the GUI thread (the GUI never waits on a disk)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from monitor_app.core.pipeline.mailbox import LatestSlot
from monitor_app.core.pipeline.stats import write_json_atomic
from monitor_app.receivers.threads import LoopThread

log = logging.getLogger(__name__)


class StatsWriter:
    """Writes the newest ``--stats-json`` document on its own thread; older unwritten ones are skipped."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self._slot: LatestSlot[dict[str, Any]] = LatestSlot()
        self._wake = threading.Event()
        self.thread = LoopThread("stats-writer", self._run)
        self.thread.start()

    def submit(self, document: dict[str, Any]) -> None:
        self._slot.put(document)
        self._wake.set()

    def close(self, final: dict[str, Any] | None = None) -> None:
        """Stop the thread, then write ``final`` (at exit, when nothing else is running)."""
        self.thread.join()
        if final is not None:
            self._write(final)

    def _run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            if self._wake.wait(0.1):
                self._wake.clear()
                document = self._slot.take()
                if document is not None:
                    self._write(document)

    def _write(self, document: dict[str, Any]) -> None:
        try:
            write_json_atomic(self.path, document)
        except OSError as exc:
            log.warning("cannot write stats to %s: %s", self.path, exc)
