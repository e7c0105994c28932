"""A real tile's title bar at small sizes, its failure border and its selection frame."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.pipeline.health import CameraState, ConnectionStatus, HealthSnapshot
from monitor_app.core.pipeline.routing import CameraFeed
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.receivers.display_frame import to_display_frame
from monitor_app.ui.camera_tile import CameraTile
from monitor_app.ui.state_style import SELECTION_COLOUR, STATE_COLOURS
from monitor_app.ui.tile_title import ELLIPSIS, Rank

MakeTile = Callable[[str, tuple[int, int]], CameraTile]


@pytest.fixture
def make_tile(qtbot: QtBot) -> MakeTile:
    def make(title: str, size: tuple[int, int]) -> CameraTile:
        feed = CameraFeed("cam", "conn", "", ConnectionStatus())
        tile = CameraTile("cam", title, "rtsp://camera/stream", feed, BusyMeter(), lambda *_args: None)
        qtbot.addWidget(tile)
        tile.resize(*size)
        return tile

    return make


def snapshot(state: CameraState, age_s: float = 0.05) -> HealthSnapshot:
    live = state is CameraState.LIVE
    return HealthSnapshot(
        state=state,
        error="" if live else "connection refused",
        frames_received=100,
        frames_decoded=100,
        frames_displayed=100,
        frames_dropped=0,
        bad_messages=0,
        reconnects=0,
        fps=30.0 if live else 0.0,
        last_frame_age_s=age_s,
        latency_ms_p50=12.0 if live else None,
        latency_ms_p99=20.0 if live else None,
        retry_in_s=None,
    )


def show_frame(tile: CameraTile, source_size: tuple[int, int]) -> None:
    """A decoded frame of a ``source_size`` stream, scaled to the tile as the pipeline hands it over."""
    pixels = np.full((tile.height(), tile.width(), 4), 90, np.uint8)
    tile.feed.display.put(to_display_frame(pixels, EncodedFrame("", pixels=pixels), source_size))
    assert tile.take_new_frame()


def painted(tile: CameraTile) -> QImage:
    return tile.grab().toImage()


def ranks_by_importance(ranks: tuple[Rank, ...], offered: list[Rank]) -> bool:
    """The shown parts are the most important of those offered: none is missing while a lesser one shows."""
    return all(r in ranks for r in offered if ranks and r < max(ranks))


@pytest.mark.parametrize("state", [CameraState.LIVE, CameraState.STALLED])
@pytest.mark.parametrize("title", ["cam-0", "Warehouse loading bay camera"])
def test_the_name_shows_at_every_size_and_the_figures_give_way_in_order(
    make_tile: MakeTile, state: CameraState, title: str
) -> None:
    shown = []
    for width in (480, 320, 200, 120):
        tile = make_tile(title, (width, width * 9 // 16))
        show_frame(tile, (1280, 720))
        tile.set_health(snapshot(state, age_s=0.05 if state is CameraState.LIVE else 4.2))
        painted(tile)
        fitted = tile.shown_title()
        assert fitted is not None
        assert fitted.name == title or (fitted.name.endswith(ELLIPSIS) and title.startswith(fitted.name[:-1]))
        assert len(fitted.name) >= 2 and title not in fitted.status
        offered = [p.rank for p in tile._status_parts(tile._health, state)]
        assert ranks_by_importance(fitted.shown, offered)
        shown.append(len(fitted.shown))
    assert shown == sorted(shown, reverse=True) and shown[0] > shown[-1]  # fewer parts as the tile narrows


def test_a_stalled_tile_of_320_px_says_which_camera_and_that_it_stalled(make_tile: MakeTile) -> None:
    tile = make_tile("cam-0", (320, 180))
    show_frame(tile, (320, 180))
    tile.set_health(snapshot(CameraState.STALLED, age_s=4.2))
    painted(tile)
    fitted = tile.shown_title()
    assert fitted is not None and fitted.name == "cam-0"
    assert fitted.status.startswith("Stalled") and fitted.shown[0] is Rank.STATE


def test_the_title_font_follows_the_tile_size(make_tile: MakeTile) -> None:
    big, small = make_tile("cam-0", (640, 360)), make_tile("cam-0", (160, 90))
    for tile in (big, small):
        tile.set_health(snapshot(CameraState.LIVE))
        painted(tile)
    assert big._fonts.points == 13 and small._fonts.points == 8
    assert big._bar is not None and small._bar is not None and big._bar.height() > small._bar.height()


def test_the_title_bar_is_rendered_when_its_text_changes_not_on_every_frame(make_tile: MakeTile) -> None:
    tile = make_tile("cam-0", (320, 180))
    tile.set_health(snapshot(CameraState.LIVE))
    show_frame(tile, (1280, 720))
    painted(tile)
    bar = tile._bar
    for _ in range(3):
        show_frame(tile, (1280, 720))
        painted(tile)
    assert tile._bar is bar
    tile.resize(200, 112)
    painted(tile)
    assert tile._bar is not bar  # a new width: fitted again


def edge_colours(image: QImage, inset: int) -> set[tuple[int, int, int]]:
    w, h = image.width(), image.height()
    points = [(inset, h // 2), (w - 1 - inset, h // 2), (w // 2, h - 1 - inset), (w // 3, h - 1 - inset)]
    return {rgb(image.pixelColor(QPoint(x, y))) for x, y in points}


def rgb(colour: QColor) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


@pytest.mark.parametrize("state", [CameraState.STALLED, CameraState.RECONNECTING, CameraState.ERROR])
def test_a_failing_tile_has_a_border_in_its_state_colour(make_tile: MakeTile, state: CameraState) -> None:
    tile = make_tile("cam-0", (200, 112))
    show_frame(tile, (1280, 720))
    tile.set_health(snapshot(state, age_s=4.2))
    image = painted(tile)
    assert edge_colours(image, 0) == edge_colours(image, 1) == {rgb(STATE_COLOURS[state])}
    assert rgb(STATE_COLOURS[state]) not in edge_colours(image, 4)  # two pixels, not a wide band


def test_a_live_tile_has_no_border(make_tile: MakeTile) -> None:
    tile = make_tile("cam-0", (200, 112))
    show_frame(tile, (1280, 720))
    tile.set_health(snapshot(CameraState.LIVE))
    assert edge_colours(painted(tile), 0) == {(90, 90, 90)}  # the frame itself


def test_the_selected_tile_has_a_frame_inside_its_failure_border(make_tile: MakeTile, qtbot: QtBot) -> None:
    tile = make_tile("cam-0", (200, 112))
    show_frame(tile, (1280, 720))
    tile.set_health(snapshot(CameraState.STALLED, age_s=4.2))
    tile.show()
    tile.activateWindow()
    tile.setFocus()
    qtbot.waitUntil(tile.hasFocus)
    image = painted(tile)
    assert edge_colours(image, 0) == {rgb(STATE_COLOURS[CameraState.STALLED])}
    assert edge_colours(image, 2) == edge_colours(image, 4) == {rgb(SELECTION_COLOUR)}  # 3 px inside it
    tile.clearFocus()
    qtbot.waitUntil(lambda: not tile.hasFocus())
    tile.set_health(snapshot(CameraState.LIVE))
    assert edge_colours(painted(tile), 0) == {(90, 90, 90)}


def test_a_selected_live_tile_has_its_frame_at_the_edge(make_tile: MakeTile, qtbot: QtBot) -> None:
    tile = make_tile("cam-0", (200, 112))
    show_frame(tile, (1280, 720))
    tile.set_health(snapshot(CameraState.LIVE))
    tile.show()
    tile.activateWindow()
    tile.setFocus()
    qtbot.waitUntil(tile.hasFocus)
    image = painted(tile)
    assert edge_colours(image, 0) == edge_colours(image, 2) == {rgb(SELECTION_COLOUR)}
    assert edge_colours(image, 3) == {(90, 90, 90)}
