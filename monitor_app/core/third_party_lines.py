"""How many lines third-party code printed, by origin (``qt``, ``stderr``): logged at exit and in ``--stats-json``.

Qt's messages and what C libraries write to file descriptor 2 are routed into our logging at DEBUG
(``monitor_app.qt_messages``, ``monitor_app.third_party_output``); these counts say how much of it there was.
"""

from __future__ import annotations

import threading
from collections import Counter

_lock = threading.Lock()
_counts: Counter[str] = Counter()


def count_line(origin: str) -> None:
    """Count one line from ``origin``; safe from any thread."""
    with _lock:
        _counts[origin] += 1


def line_counts() -> dict[str, int]:
    """The counts so far, by origin, in name order."""
    with _lock:
        return dict(sorted(_counts.items()))
