"""Measures the share of wall time a thread spends working (the GUI thread's load)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class BusyMeter:
    """Sums the wall time of measured sections; nested sections count once."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.busy_s = 0.0
        self._depth = 0

    @contextmanager
    def measure(self) -> Iterator[None]:
        self._depth += 1
        begin = time.perf_counter()
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self.busy_s += time.perf_counter() - begin

    def fraction(self) -> float:
        elapsed = time.perf_counter() - self.started
        return round(self.busy_s / elapsed, 4) if elapsed > 0 else 0.0
