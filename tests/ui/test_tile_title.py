"""Fitting a tile's title to its width: the name always shows, the status parts give way by rank."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontMetricsF
from pytestqt.qtbot import QtBot

from monitor_app.core.pipeline.health import CameraState, HealthSnapshot
from monitor_app.ui.tile_title import (
    ELLIPSIS,
    MAX_POINTS,
    MIN_POINTS,
    NAME_SHARE,
    Rank,
    StatusPart,
    elide,
    fit_title,
    status_parts,
    title_points,
)


def monospace(text: str) -> float:
    """A font where every character is 6 pixels wide: widths are easy to reason about."""
    return 6.0 * len(text)


LIVE = [StatusPart("30 fps", Rank.FPS), StatusPart("12 ms", Rank.LATENCY), StatusPart("1280x720", Rank.RESOLUTION)]
STALLED = [
    StatusPart("Stalled", Rank.STATE),
    StatusPart("320x180", Rank.RESOLUTION),
    StatusPart("last 4 s ago", Rank.AGE),
]


def health(state: CameraState, **fields: object) -> HealthSnapshot:
    values: dict[str, object] = dict(
        state=state,
        error="",
        frames_received=1,
        frames_decoded=1,
        frames_displayed=1,
        frames_dropped=0,
        bad_messages=0,
        reconnects=0,
        fps=30.0,
        last_frame_age_s=0.1,
        latency_ms_p50=None,
        latency_ms_p99=None,
        retry_in_s=None,
    )
    values.update(fields)
    return HealthSnapshot(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("available", "name", "status", "ranks"),
    [
        (480, "cam-0", "30 fps  ·  12 ms  ·  1280x720", (Rank.FPS, Rank.LATENCY, Rank.RESOLUTION)),
        (214, "cam-0", "30 fps  ·  12 ms  ·  1280x720", (Rank.FPS, Rank.LATENCY, Rank.RESOLUTION)),
        (213, "cam-0", "30 fps  ·  12 ms", (Rank.FPS, Rank.LATENCY)),  # the resolution goes first
        (100, "cam-0", "30 fps", (Rank.FPS,)),  # then the latency
        (60, "cam-0", "", ()),  # then the frame rate: the name stays
        (20, "ca…", "", ()),  # and is elided when even it does not fit
        (14, "c…", "", ()),
    ],
)
def test_live_figures_drop_resolution_first_then_latency_then_fps(
    available: float, name: str, status: str, ranks: tuple[Rank, ...]
) -> None:
    fitted = fit_title(monospace, available, "cam-0", LIVE)
    assert (fitted.name, fitted.status, fitted.shown) == (name, status, ranks)


def test_a_stalled_tile_keeps_its_state_word_longest_and_its_age_over_its_resolution() -> None:
    assert fit_title(monospace, 300, "cam-0", STALLED).status == "Stalled  ·  320x180  ·  last 4 s ago"
    assert fit_title(monospace, 200, "cam-0", STALLED).status == "Stalled  ·  last 4 s ago"
    assert fit_title(monospace, 90, "cam-0", STALLED).status == "Stalled"
    assert fit_title(monospace, 60, "cam-0", STALLED) == fit_title(monospace, 60, "cam-0", [])


def test_figures_never_shorten_the_name_but_the_state_word_does_down_to_its_share() -> None:
    name = "Warehouse loading bay camera"  # 168 px
    live = fit_title(monospace, 200, name, LIVE)
    assert live.name == name and live.status == ""  # no figure fits beside the whole name
    stalled = fit_title(monospace, 200, name, STALLED)
    assert stalled.status == "Stalled" and stalled.name.endswith(ELLIPSIS)
    assert monospace(stalled.name) >= NAME_SHARE * 200  # the name keeps its share
    assert monospace(stalled.name) + 10 + monospace("Stalled") <= 200
    assert stalled.name == "Warehouse loading bay c…"
    narrow = fit_title(monospace, 100, name, STALLED)
    assert narrow.status == "" and narrow.name == "Warehouse loadi…"  # below its share: the name wins


def test_an_event_badge_outranks_the_figures() -> None:
    parts = [StatusPart("motion: moving", Rank.EVENT), *LIVE]
    assert fit_title(monospace, 360, "cam-0", parts).status == "motion: moving  ·  30 fps  ·  12 ms  ·  1280x720"
    assert fit_title(monospace, 300, "cam-0", parts).status == "motion: moving  ·  30 fps  ·  12 ms"
    assert fit_title(monospace, 160, "cam-0", parts).status == "motion: moving"
    assert fit_title(monospace, 200, "cam-0", parts).status == "motion: moving  ·  30 fps"


def test_status_parts_of_live_and_failing_tiles_in_display_order() -> None:
    live = health(CameraState.LIVE, latency_ms_p50=12.0, event="motion: moving")
    assert [(p.text, p.rank) for p in status_parts(live, "Live", (1280, 720))] == [
        ("motion: moving", Rank.EVENT),
        ("30 fps", Rank.FPS),
        ("12 ms", Rank.LATENCY),
        ("1280x720", Rank.RESOLUTION),
    ]
    stalled = health(CameraState.STALLED, latency_ms_p50=12.0, last_frame_age_s=4.2)
    assert [(p.text, p.rank) for p in status_parts(stalled, "Stalled", (320, 180))] == [
        ("Stalled", Rank.STATE),
        ("320x180", Rank.RESOLUTION),
        ("last 4 s ago", Rank.AGE),
    ]
    assert [p.text for p in status_parts(None, "Connecting…", None)] == ["Connecting…"]


@pytest.mark.parametrize("available", [480, 320, 200, 120, 60, 30])
def test_with_a_real_font_the_name_is_always_there_and_everything_fits(qtbot: QtBot, available: float) -> None:
    bold = QFont()
    bold.setPointSizeF(8)
    bold.setBold(True)
    metrics = QFontMetricsF(bold)
    for name in ("cam-0", "Warehouse loading bay camera"):
        for parts in (LIVE, STALLED):
            fitted = fit_title(metrics.horizontalAdvance, available, name, parts)
            assert fitted.name == name or (fitted.name.endswith(ELLIPSIS) and name.startswith(fitted.name[:-1]))
            used = metrics.horizontalAdvance(fitted.name) + (metrics.horizontalAdvance(fitted.status) + 10) * bool(
                fitted.status
            )
            assert used <= available or fitted.name == name[0] + ELLIPSIS


def test_elide_keeps_the_longest_prefix_that_fits() -> None:
    assert elide(monospace, "Garage", 36) == "Garage"
    assert elide(monospace, "Garage", 35) == "Gara…"
    assert elide(monospace, "Front door", 40) == "Front…"  # no space before the ellipsis
    assert elide(monospace, "Garage", 1) == "G…"  # never less than one character


@pytest.mark.parametrize(
    ("size", "points"), [((1280, 720), MAX_POINTS), ((480, 270), 13), ((320, 180), 10), ((120, 68), MIN_POINTS)]
)
def test_the_title_font_follows_the_tile_within_limits(size: tuple[int, int], points: float) -> None:
    assert title_points(*size) == points
