"""Back-off delays with a fake clock and a fake random source: the cap, growth on failures, resets."""

from __future__ import annotations

import random

import pytest

from monitor_app.core.pipeline.backoff import Backoff


class EdgeRandom(random.Random):
    """Jitter always at one edge of its range: the extremes are what a cap must hold against."""

    def __init__(self, high: bool) -> None:
        super().__init__(0)
        self.high = high

    def uniform(self, a: float, b: float) -> float:
        return b if self.high else a


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# Each step: "F<delay>" a failed try and the delay it must get, "OK" a connection that delivered,
# "W<s>" time passing.
CASES = {
    "failures double to the cap, jitter up never past it": (True, "F0.6 F1.2 F2.4 F4.8 F9.6 F19.2 F30 F30"),
    "jitter down spreads the cap below it": (False, "F0.4 F0.8 F1.6 F3.2 F6.4 F12.8 F24 F24"),
    "a connection that delivered: its drop at once, then quickly again": (True, "F0.6 F1.2 F2.4 F4.8 OK F0 F0.6 F1.2"),
    "every drop of a flapping camera starts over, the tenth as the first": (
        True,
        "OK F0 F0.6" + " W45 OK F0 F0.6 F1.2" * 9,
    ),
    "at once at most every 10 s; a source that drops right away retries from the initial delay": (
        True,
        "OK F0 W1 OK F0.6 W1 OK F0.6 W10 OK F0",
    ),
    "only consecutive failures grow it: time passing does not": (True, "F0.6 W120 F1.2 W120 F2.4"),
}


@pytest.mark.parametrize(("high", "steps"), list(CASES.values()), ids=list(CASES))
def test_backoff_table(high: bool, steps: str) -> None:
    clock = FakeClock()
    backoff = Backoff(rng=EdgeRandom(high), clock=clock)
    for n, step in enumerate(steps.split()):
        if step == "OK":
            backoff.succeeded()
        elif step[0] == "W":
            clock.now += float(step[1:])
        else:
            delay = backoff.next_delay()
            assert delay == pytest.approx(float(step[1:])), f"step {n} ({step}): got {delay}"
            assert 0.0 <= delay <= backoff.maximum_s


@pytest.mark.parametrize("seed", range(20))
def test_no_delay_exceeds_the_cap_even_after_a_night_of_failures(seed: int) -> None:
    backoff = Backoff(rng=random.Random(seed))
    delays = [backoff.next_delay() for _ in range(2000)]  # ~17 h of a dead camera at 30 s a try
    assert max(delays) <= backoff.maximum_s
    assert min(delays[10:]) >= backoff.maximum_s * (1 - backoff.jitter)
    assert len({round(d, 3) for d in delays[10:]}) > 100  # still spread, not all at the cap


def test_what_retrying_cannot_fix_waits_minutes_not_the_cap() -> None:
    assert Backoff().permanent_s >= 5 * 60 > Backoff().maximum_s


def test_a_failures_hint_caps_one_delay_without_forgetting_the_failures() -> None:
    backoff = Backoff(initial_s=1, maximum_s=30, jitter=0.2, rng=random.Random(3))
    capped = [backoff.next_delay(5.0) for _ in range(8)]
    assert max(capped) <= 5.0 and capped[-1] >= 4.0  # doubled to the hint, jitter inside it
    assert backoff.next_delay() >= 24  # the count went on: an unhinted failure is at the normal cap
