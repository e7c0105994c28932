"""A tour's clock: when to show the next view (or camera), and pausing while someone uses the window.

Qt-free, driven by the window's health tick with ``time.monotonic()``, so the rules are tested
with a fake clock: a step every ``seconds``; any input pauses it, and it resumes ``quiet_s`` after
the last input with a full interval to go (the wall does not jump the moment the user lets go).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

QUIET_S = 15.0
"""Seconds without mouse or key input before a paused tour resumes."""


class TourMode(Enum):
    VIEWS = "views"
    """The window shows the layout's views in turn."""
    CAMERAS = "cameras"
    """The window shows its view's unpinned cameras one at a time, its pinned tiles beside them."""


@dataclass
class Tour:
    mode: TourMode
    seconds: float
    next_at: float
    """When the next step is due (monotonic seconds); pushed on by a pause."""
    step: int = 0
    """Steps taken: a camera tour shows camera ``step`` of its cycle."""
    paused_until: float | None = None
    quiet_s: float = QUIET_S

    @classmethod
    def start(cls, mode: TourMode, seconds: float, now: float, quiet_s: float = QUIET_S) -> Tour:
        return cls(mode, seconds, now + seconds, quiet_s=quiet_s)

    def input_seen(self, now: float) -> None:
        """Someone used the window: wait until they have left it alone for ``quiet_s``."""
        self.paused_until = now + self.quiet_s
        self.next_at = self.paused_until + self.seconds

    def paused(self, now: float) -> bool:
        return self.paused_until is not None and now < self.paused_until

    def due(self, now: float) -> bool:
        """Time for the next step; taking it is ``advance``."""
        return not self.paused(now) and now >= self.next_at

    def advance(self, now: float) -> None:
        self.step += 1
        self.paused_until = None
        # From the step's due time, not from now: a late tick does not stretch the cycle.
        self.next_at = max(self.next_at + self.seconds, now + self.seconds / 2)

    def remaining(self, now: float) -> float:
        """Seconds to the next step (to resuming, while paused)."""
        if self.paused(now):
            assert self.paused_until is not None
            return self.paused_until - now
        return max(0.0, self.next_at - now)

    def describe(self, now: float) -> str:
        """The indicator's words: "Tour · views · 4 s", "Tour paused · resumes in 12 s"."""
        if self.paused(now):
            return f"Tour paused · resumes in {self.remaining(now):.0f} s"
        return f"Tour · {self.mode.value} · {self.remaining(now):.0f} s"
