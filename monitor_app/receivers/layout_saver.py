"""Saves layouts off the GUI thread: an atomic save fsyncs, and a busy or network disk can take
seconds over that, while the wall must keep painting."""

from __future__ import annotations

import copy
import itertools
import logging
import queue
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.files import write_layout
from monitor_app.core.layouts.model import Layout
from monitor_app.core.redact import mask_text
from monitor_app.receivers.threads import LoopThread

log = logging.getLogger(__name__)

KEPT_RESULTS = 32


class LayoutSaver(QObject):
    """Writes layouts one at a time, in the order asked, and reports each result."""

    finished = Signal(int, str, str)
    """(ticket, path, error): error is empty when the file was written."""

    def __init__(self, parent: QObject | None = None, write: Callable[[Layout, str], None] = write_layout) -> None:
        super().__init__(parent)
        self._write = write  # write_layout, or the window's autosave of unsaved changes
        self._jobs: queue.Queue[tuple[int, Layout, str]] = queue.Queue()
        self._tickets = itertools.count(1)
        self._done = threading.Condition()
        self._results: dict[int, str] = {}
        self._thread = LoopThread("layout-saver" if write is write_layout else "layout-autosave", self._run)
        self._thread.start()

    def save(self, layout: Layout, path: str) -> int:
        """Queue a save of a copy of ``layout`` (the window goes on editing its own); returns a ticket."""
        ticket = next(self._tickets)
        self._jobs.put((ticket, copy.deepcopy(layout), path))
        return ticket

    def wait(self, ticket: int, timeout_s: float) -> str | None:
        """The error of a save ("" when written), once it has run; None if it is still running."""
        with self._done:
            self._done.wait_for(lambda: ticket in self._results, timeout_s)
            return self._results.get(ticket)

    def stop(self) -> None:
        """Let the thread write the saves already queued and end; wait at most ``threads.JOIN_TIMEOUT_MS``.

        The thread ends only once the queue is empty, so no queued save is skipped. But the wait
        is bounded (2 s): on a slower disk this returns with the thread still writing (an error
        is logged), and a process that exits then may cut those saves short.
        """
        self._thread.join()

    def _run(self, stop: threading.Event) -> None:
        while True:
            try:
                ticket, layout, path = self._jobs.get(timeout=0.1)
            except queue.Empty:
                if stop.is_set():
                    return
                continue
            try:
                self._write(layout, path)
                error = ""
            except (OSError, LayoutError) as exc:
                error = mask_text(str(exc))
                log.warning("layout %s not saved: %s", path, error)
            with self._done:
                self._results[ticket] = error
                while len(self._results) > KEPT_RESULTS:  # only a late waiter needs an old one
                    del self._results[next(iter(self._results))]
                self._done.notify_all()
            self.finished.emit(ticket, path, error)
