"""Repaints paced to the display: at most one per refresh, and none while nothing is new."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Slot

REPAINT_INTERVAL_MS = 16  # at most one repaint per display refresh (~60 Hz)


class RepaintPacer(QObject):
    """Turns "some camera has a new frame" into one repaint at most ``interval_ms`` after the last.

    Paced, not polled: the first frame after a repaint schedules the next one, so a wall with
    nothing new wakes nobody, and a busy wall repaints once per refresh however many cameras send.
    """

    def __init__(
        self, repaint: Callable[[], None], interval_ms: int = REPAINT_INTERVAL_MS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._repaint = repaint
        self._interval_ms = interval_ms
        self._last = 0.0
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._fire)

    @Slot()
    def frames_ready(self) -> None:
        if self._timer.isActive() or self._stopped:
            return
        since_ms = (time.monotonic() - self._last) * 1000.0
        self._timer.start(max(0, round(self._interval_ms - since_ms)))

    def stop(self) -> None:
        self._stopped = True
        self._timer.stop()

    def _fire(self) -> None:
        self._last = time.monotonic()
        self._repaint()


def repeating_timer(parent: QObject, interval_ms: int, slot: Callable[[], object]) -> QTimer:
    """A started timer calling ``slot`` every ``interval_ms`` (stopped with its parent, or by ``stop``)."""
    timer = QTimer(parent)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    timer.start()
    return timer
