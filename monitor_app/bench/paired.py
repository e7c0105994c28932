"""Figures of paired rounds: two windows measured in turns (``bench --record``), one slice each per round.

Which rounds count, the ratio of their frames, and how sure that ratio is. On the cloud machines
this runs on, two things move a slice's frame rate that are not the code's doing: the hypervisor
taking CPU for other guests (``steal``, up to 55 % of both cores for a minute at a time, measured),
and slower drifts it does not report (quiet slices of one window differ by a fifth). The first is
left out by judging on quiet rounds; the second is why the ratio comes with an interval: a bootstrap
over the rounds, so a reader sees whether more rounds are needed before believing the figure.
"""

from __future__ import annotations

import random

from monitor_app.bench.measure import PhaseResult

QUIET_STEAL_CORES = 0.1
"""A round is quiet when the hypervisor took at most this much CPU (5 % of two cores) in both its slices."""
MIN_QUIET_ROUNDS = 3
RESAMPLES = 2000


def quiet_rounds_needed(asked: int) -> int:
    return min(MIN_QUIET_ROUNDS, asked)


def quiet_rounds(first: list[PhaseResult], second: list[PhaseResult]) -> list[int]:
    """The rounds in which the hypervisor left this machine alone, in both slices."""
    return [
        i
        for i, pair in enumerate(zip(first, second, strict=False))
        if all(s.figures["steal_cores"] <= QUIET_STEAL_CORES for s in pair)
    ]


def fps_ratio(first: list[PhaseResult], second: list[PhaseResult], rounds: list[int]) -> float | None:
    """Frames shown by ``second`` over frames shown by ``first``, summed over ``rounds`` (equally long slices)."""
    base = sum(first[i].figures["displayed_fps_total"] for i in rounds)
    other = sum(second[i].figures["displayed_fps_total"] for i in rounds)
    return round(other / base, 3) if base else None


def ratio_interval(
    first: list[PhaseResult], second: list[PhaseResult], rounds: list[int], level: float = 0.95
) -> tuple[float, float] | None:
    """A ``level`` confidence interval of ``fps_ratio`` over ``rounds``: rounds drawn again with replacement
    (seeded, so the same slices give the same interval). None for fewer than two rounds."""
    if len(rounds) < 2:
        return None
    draw = random.Random(0)
    ratios = sorted(
        ratio
        for _ in range(RESAMPLES)
        if (ratio := fps_ratio(first, second, draw.choices(rounds, k=len(rounds)))) is not None
    )
    if not ratios:
        return None
    tail = (1 - level) / 2
    return ratios[int(tail * (len(ratios) - 1))], ratios[round((1 - tail) * (len(ratios) - 1))]
