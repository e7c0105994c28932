"""Reconnect delays: grow with consecutive failed tries, start over after a connection that delivered."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

MAX_DOUBLINGS = 32
"""The failure count stops here: ``initial_s * 2**n`` stays a float (it overflowed after ~1000 failures)."""


class Backoff:
    """0.5 s doubling to 30 s by default, jitter included in the cap; a connection that delivered starts over.

    Only consecutive *failed* tries grow the delay: a connection that opened and delivered
    frames (``succeeded``) resets it, and its drop is retried at once (at most once every
    ``at_once_every_s``, so a source that delivers one frame and drops does not spin), then
    from ``initial_s`` again. Jitter spreads reconnects of many cameras that dropped together
    (a restarted NVR) so they do not hammer the server in lock-step; it never takes a delay
    past ``maximum_s``. What retrying cannot fix waits ``permanent_s`` (or for the user).
    """

    def __init__(
        self,
        initial_s: float = 0.5,
        maximum_s: float = 30.0,
        jitter: float = 0.2,
        reset_after_s: float = 60.0,
        rng: random.Random | None = None,
        permanent_s: float = 300.0,
        at_once_every_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.initial_s = initial_s
        self.maximum_s = maximum_s
        self.jitter = jitter
        self.reset_after_s = reset_after_s
        self.permanent_s = permanent_s
        self.at_once_every_s = at_once_every_s
        self._rng = rng or random.Random()
        self._clock = clock
        self._failures = 0
        self._at_once = False  # the next failure follows a connection that delivered
        self._last_at_once: float | None = None

    def next_delay(self, cap_s: float | None = None) -> float:
        """The delay before the next try after a failure; consecutive failures double it up to the maximum.

        ``cap_s`` lowers the maximum for this one delay (the failure's ``SourceError.retry_within_s``).
        """
        maximum = self.maximum_s if cap_s is None else min(self.maximum_s, cap_s)
        if self._at_once:
            self._at_once = False
            now = self._clock()
            if self._last_at_once is None or now - self._last_at_once >= self.at_once_every_s:
                self._last_at_once = now
                return 0.0
        base = min(maximum, self.initial_s * (2 ** min(self._failures, MAX_DOUBLINGS)))
        self._failures += 1
        spread = base * self.jitter
        return self._rng.uniform(max(0.0, base - spread), min(maximum, base + spread))

    def succeeded(self) -> None:
        """The connection opened and delivered: forget the failures; its drop is retried at once."""
        self._failures = 0
        self._at_once = True

    def connected_for(self, healthy_s: float) -> None:
        """A connection healthy for ``reset_after_s`` starts over (``succeeded`` says so sooner)."""
        if healthy_s >= self.reset_after_s:
            self._failures = 0
