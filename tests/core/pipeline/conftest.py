"""A fake monotonic clock for the health tests (``clock.now`` is what ``time.monotonic`` returns)."""

from __future__ import annotations

import pytest

from monitor_app.core.pipeline import health


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(health.time, "monotonic", fake)
    return fake
