"""A QThread that runs a plain Python loop, and a registry to prove every thread stopped.

The registry holds each thread strongly until it has finished: a thread that did not stop in
time is never released (Qt aborts when a running QThread is destroyed) and stays reported.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QThread

log = logging.getLogger(__name__)

_live: set[LoopThread] = set()
_live_lock = threading.Lock()

JOIN_TIMEOUT_MS = 2000


class LoopThread(QThread):
    """Runs ``target(stop_event)``; ``join`` sets the event and waits for the loop to return.

    The loop blocks in I/O with short timeouts, so queued slots would never reach it: the
    ``threading.Event`` is how it learns to stop.
    """

    def __init__(self, name: str, target: Callable[[threading.Event], None]) -> None:
        super().__init__()
        self.setObjectName(name)
        self.stop_event = threading.Event()
        self._target = target
        with _live_lock:
            _live.difference_update([t for t in _live if t.isFinished()])
            _live.add(self)

    def run(self) -> None:
        try:
            self._target(self.stop_event)
        except Exception:  # the loop should never raise; log rather than lose the thread silently
            log.exception("thread %s ended with an error", self.objectName())

    def request_stop(self) -> None:
        self.stop_event.set()

    def join(self, timeout_ms: int = JOIN_TIMEOUT_MS) -> bool:
        self.stop_event.set()
        finished = self.wait(timeout_ms)
        if not finished:
            log.error("thread %s did not stop within %d ms", self.objectName(), timeout_ms)
        return bool(finished)


def running_threads() -> list[str]:
    """Names of LoopThreads still running (tests fail when this is not empty)."""
    with _live_lock:
        _live.difference_update([t for t in _live if t.isFinished()])
        return [t.objectName() for t in _live if t.isRunning()]


def stop_all(threads: list[LoopThread], timeout_ms: int = JOIN_TIMEOUT_MS) -> bool:
    """Signal every thread first, then join each: the waits overlap instead of adding up."""
    for thread in threads:
        thread.request_stop()
    return all([thread.join(timeout_ms) for thread in threads])
