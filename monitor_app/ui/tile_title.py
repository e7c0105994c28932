"""What a tile's title bar says, fitted to its width: the camera's name first, then its status parts.

The name always shows, elided with "…" when it must be. The status parts give way in a fixed order
as the tile narrows; most important first (``Rank``):

1. the state word of a tile that is not live ("Stalled", "Reconnecting", "Error", "Connecting…"),
2. the latest event ("motion: moving"),
3. the frame rate, 4. the age of the last frame ("last 4 s ago"), 5. the latency, 6. the resolution.

So the resolution goes first, then the latency, the age, the frame rate. Figures (3-6) show only
beside the whole name; the state word and the event may shorten the name, as long as it keeps
``NAME_SHARE`` of the bar (the tile's dot, border and banner say its state too).

Qt-free and pure: the width of a text comes from the caller (``QFontMetricsF.horizontalAdvance``),
so the fitting is tested without painting; the tile calls it only when its text or size changes.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from monitor_app.core.pipeline.health import CameraState, HealthSnapshot

ELLIPSIS = "…"
SEPARATOR = "  ·  "
GAP = 10.0
"""Pixels between the name and the status."""
NAME_SHARE = 0.6
"""The part of the bar's width the name keeps (or its whole width, if less) beside a state word or an event."""

MIN_POINTS, MAX_POINTS = 8.0, 13.0
"""The title font's size follows the tile's, within these limits (points)."""

TextWidth = Callable[[str], float]
"""The width of a text in the bar's font, in the bar's pixels."""


class Rank(enum.IntEnum):
    """How much a status part matters: lower values stay longer as the tile narrows."""

    STATE = 0
    EVENT = 1
    FPS = 2
    AGE = 3
    LATENCY = 4
    RESOLUTION = 5

    @property
    def may_shorten_name(self) -> bool:
        return self <= Rank.EVENT


@dataclass(frozen=True, slots=True)
class StatusPart:
    """One piece of a tile's status text, in display order, with its rank."""

    text: str
    rank: Rank


@dataclass(frozen=True, slots=True)
class FittedTitle:
    """What to draw: the name (elided if needed) on the left, the status on the right."""

    name: str
    status: str
    shown: tuple[Rank, ...]
    """The ranks of the parts in ``status``, in display order."""


def fit_title(
    width_of: TextWidth,
    available: float,
    name: str,
    parts: Sequence[StatusPart],
    status_width_of: TextWidth | None = None,
) -> FittedTitle:
    """Fit ``name`` and as many of ``parts`` as their ranks allow in ``available`` pixels.

    ``width_of`` measures the name; ``status_width_of`` the status, when its font differs.
    """
    status_width = status_width_of or width_of
    name_width = width_of(name)
    by_rank = sorted(range(len(parts)), key=lambda i: parts[i].rank)  # stable: equal ranks keep their order
    for keep in range(len(parts), 0, -1):
        kept = set(by_rank[:keep])
        shown = [part for i, part in enumerate(parts) if i in kept]  # the chosen parts, in display order
        status = SEPARATOR.join(part.text for part in shown)
        room = available - status_width(status) - GAP
        shortens = all(part.rank.may_shorten_name for part in shown)
        needed = min(name_width, NAME_SHARE * available) if shortens else name_width
        if room >= needed:
            return FittedTitle(elide(width_of, name, room), status, tuple(part.rank for part in shown))
    return FittedTitle(elide(width_of, name, available), "", ())


def status_parts(
    health: HealthSnapshot | None, state_label: str, source_size: tuple[int, int] | None
) -> list[StatusPart]:
    """A tile's status parts in display order: event, state word or frame rate, latency, resolution, age."""
    if health is None:
        return [StatusPart(state_label, Rank.STATE)]
    live = health.state is CameraState.LIVE
    parts = [StatusPart(f"{health.fps:.0f} fps", Rank.FPS) if live else StatusPart(state_label, Rank.STATE)]
    if health.event:
        parts.insert(0, StatusPart(health.event, Rank.EVENT))  # the latest event as a badge: "motion: moving"
    if health.latency_ms_p50 is not None and live:
        parts.append(StatusPart(f"{health.latency_ms_p50:.0f} ms", Rank.LATENCY))
    if source_size:
        parts.append(StatusPart("{}x{}".format(*source_size), Rank.RESOLUTION))
    if health.last_frame_age_s is not None and health.last_frame_age_s >= 1.0:
        parts.append(StatusPart(f"last {age_text(health.last_frame_age_s)} ago", Rank.AGE))
    return parts


def age_text(seconds: float) -> str:
    """A duration as a tile shows it: "4 s", "3 min", "1.5 h"."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def elide(width_of: TextWidth, text: str, available: float) -> str:
    """``text`` if it fits, else its longest prefix that fits with "…" (at least the first character and "…")."""
    if width_of(text) <= available:
        return text
    low, high = 1, len(text) - 1  # the longest prefix in [low, high] that fits; low is the floor
    while low < high:
        mid = (low + high + 1) // 2
        if width_of(text[:mid].rstrip() + ELLIPSIS) <= available:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS


def title_points(width: int, height: int) -> float:
    """The title font's size for a tile of ``width`` x ``height`` pixels: a 480x270 tile gets the largest."""
    return max(MIN_POINTS, min(MAX_POINTS, round(min(height / 18, width / 32))))
