"""Reconnect delays: exponential back-off with jitter, reset after a healthy spell."""

from __future__ import annotations

import random


class Backoff:
    """0.5 s doubling to 30 s by default; a connection healthy for a minute (``connected_for``) starts over.

    Jitter spreads reconnects of many cameras that dropped together (a restarted NVR) so
    they do not hammer the server in lock-step.
    """

    def __init__(
        self,
        initial_s: float = 0.5,
        maximum_s: float = 30.0,
        jitter: float = 0.2,
        reset_after_s: float = 60.0,
        rng: random.Random | None = None,
    ) -> None:
        self.initial_s = initial_s
        self.maximum_s = maximum_s
        self.jitter = jitter
        self.reset_after_s = reset_after_s
        self._rng = rng or random.Random()
        self._attempt = 0

    def next_delay(self) -> float:
        """The delay before the next try; each call doubles the base delay up to the maximum."""
        base = min(self.maximum_s, self.initial_s * (2**self._attempt))
        self._attempt += 1
        spread = base * self.jitter
        return max(0.0, base + self._rng.uniform(-spread, spread))

    def connected_for(self, healthy_s: float) -> None:
        """Report how long the current connection has been healthy; resets after a good spell."""
        if healthy_s >= self.reset_after_s:
            self._attempt = 0
