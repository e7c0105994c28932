"""Digital zoom on the wall, in a real window offscreen with real decoding: the wheel, the drag, Ctrl+0,
the layout keeping it, and the decoded frame covering only the region at the tile's device size."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.layouts.diff import diff_layouts
from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout
from monitor_app.core.layouts.zoom import Zoom
from monitor_app.core.sources.region import FULL, Region
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.ui.camera_tile import CameraTile
from monitor_app.ui.main_window import MainWindow
from monitor_app.ui.tile_menu import tile_menu
from monitor_app.ui.tile_zoom import ZOOM_STEP, frame_box, place_frame
from monitor_app.ui.zoom_keeper import COMMIT_AFTER_MS
from tests.ui.drag_helpers import pattern_wall, show_wall

LEFT = Qt.MouseButton.LeftButton
NO_KEYS = Qt.KeyboardModifier.NoModifier


def wheel(tile: CameraTile, at: QPointF, notches: float) -> None:
    """A mouse wheel turned ``notches`` notches over ``at`` (tile coordinates), as Qt delivers it."""
    delta = QPoint(0, round(120 * notches))
    event = QWheelEvent(
        at, tile.mapToGlobal(at), QPoint(), delta, Qt.MouseButton.NoButton, NO_KEYS, Qt.ScrollPhase.NoScrollPhase, False
    )
    QApplication.sendEvent(tile, event)


def notches_for(factor: float) -> float:
    return math.log(factor) / math.log(ZOOM_STEP)


@pytest.fixture
def pipeline(qtbot: QtBot) -> Iterator[CameraPipeline]:
    pipe = CameraPipeline(decode_threads=1)
    yield pipe
    assert pipe.stop()


def test_a_zoomed_tiles_decoded_frame_covers_the_region_at_the_tiles_device_size(
    pipeline: CameraPipeline, qtbot: QtBot
) -> None:
    """Issue 13's Done-when: a 1280x720 JPEG camera on a 320x180 tile, zoomed 4x."""
    layout = Layout(rows=1, columns=1)
    options = {"width": 1280, "height": 720, "fps": 20, "jpeg_quality": 85}
    layout.connections.append(ConnectionSpec("hd", "pattern", options))
    layout.cameras.append(CameraSpec("hd", "hd", title="HD"))
    pipeline.apply(diff_layouts(None, layout))
    feed = pipeline.feed("hd")
    assert feed is not None
    tile = CameraTile("hd", "HD", "pattern", feed, BusyMeter(), pipeline.set_view)
    qtbot.addWidget(tile)
    tile.resize(320, 180)
    tile.show()
    qtbot.waitExposed(tile)
    ratio = tile.devicePixelRatioF()
    device = (round(320 * ratio), round(180 * ratio))

    def shown(region: Region):  # type: ignore[no-untyped-def]
        def check() -> bool:
            tile.take_new_frame()
            return tile._frame is not None and tile._frame.region == region

        qtbot.waitUntil(check, timeout=10000)
        assert tile._frame is not None
        return tile._frame

    whole = shown(FULL)
    assert whole.size == device and whole.detail == device  # the whole frame at about the tile's size
    wheel(tile, QPointF(160, 90), notches_for(4.0))
    assert tile.zoom is not None and tile.zoom.factor == pytest.approx(4.0, rel=0.01)
    zoomed = shown(tile.zoom.region())
    assert zoomed.region.width == pytest.approx(0.25, rel=0.01)
    assert zoomed.detail is not None and zoomed.detail[0] >= device[0] and zoomed.detail[1] >= device[1]
    assert zoomed.size == device and zoomed.source_size == (1280, 720)


@pytest.fixture
def wall(qtbot: QtBot) -> Iterator[MainWindow]:
    grid = show_wall(qtbot, pattern_wall(2, 2, [(0, 0, 1, 1), (0, 1, 1, 1), (1, 0, 1, 1)]))
    window = grid.window()
    assert isinstance(window, MainWindow)
    qtbot.waitUntil(lambda: all(t._frame is not None for t in (window.grid.tiles[k] for k in ("cam0", "cam1"))))
    for tile in window.grid.tiles.values():
        tile.take_new_frame()
    yield window


def picture_point(tile: CameraTile, at: QPointF) -> tuple[float, float]:
    u, v = tile.view_point(at)
    view = tile.zoom.region() if tile.zoom is not None else FULL
    return view.x + u * view.width, view.y + v * view.height


def test_the_wheel_zooms_around_the_cursor_the_layout_keeps_it_and_ctrl0_resets(wall: MainWindow, qtbot: QtBot) -> None:
    tile = wall.grid.tiles["cam1"]
    at = QPointF(tile.width() * 0.3, tile.height() * 0.6)
    before = picture_point(tile, at)
    undo_steps = wall.history.stack.count()
    wheel(tile, at, 3)
    assert tile.zoom is not None and tile.zoom.factor == pytest.approx(ZOOM_STEP**3)
    assert picture_point(tile, at) == pytest.approx(before, abs=0.01)  # what was under the cursor stays
    assert tile.feed.region == tile.zoom.region()  # the decoder was told at once
    cam = lambda: next(c for c in wall.document.layout.cameras if c.id == "cam1")  # noqa: E731
    qtbot.waitUntil(lambda: cam().zoom == tile.zoom, timeout=COMMIT_AFTER_MS * 10)
    assert wall.modified and wall.history.stack.count() == undo_steps  # kept, marked unsaved, not an undo step
    wheel(tile, at, 40)
    assert tile.zoom is not None and tile.zoom.factor == 8.0  # no further than 8x
    tile.setFocus()
    qtbot.keyClick(tile, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert tile.zoom is None and tile.feed.region == FULL
    qtbot.waitUntil(lambda: cam().zoom is None, timeout=COMMIT_AFTER_MS * 10)


def test_an_edit_keeps_a_tiles_zoom_and_the_tile_menu_resets_it(wall: MainWindow, qtbot: QtBot) -> None:
    tile = wall.grid.tiles["cam0"]
    tile.set_zoom(Zoom(2.0, 0.3, 0.3))
    wall.arranging.zoom.commit()
    wall.editing.move("cam1", 1, 1)  # an undoable edit of another tile
    cam0 = lambda: next(c for c in wall.document.layout.cameras if c.id == "cam0")  # noqa: E731
    qtbot.waitUntil(lambda: cam0().zoom == Zoom(2.0, 0.3, 0.3), timeout=COMMIT_AFTER_MS * 10)
    assert wall.grid.tiles["cam0"] is tile and tile.zoom == Zoom(2.0, 0.3, 0.3)
    wall.history.stack.undo()  # the move, not the zoom
    assert tile.zoom == Zoom(2.0, 0.3, 0.3)
    menu = tile_menu(wall, "cam0", (1, 1), wall.grid, wall.pipeline, wall.editing)
    reset = next(a for a in menu.actions() if a.text() == "Reset Zoom")
    assert reset.isEnabled()
    reset.trigger()
    assert tile.zoom is None


def test_a_drag_pans_a_zoomed_tile_and_its_title_bar_still_moves_it(wall: MainWindow, qtbot: QtBot) -> None:
    grid = wall.grid
    dragged: list[str] = []
    grid.arranging.gestures.exec_drag = lambda _source, _mime, _pixmap: dragged.append("drag")
    tile = grid.tiles["cam0"]
    middle = QPoint(tile.width() // 2, tile.height() // 2)
    tile.set_zoom(Zoom(4.0, 0.5, 0.5))
    qtbot.mousePress(tile, LEFT, NO_KEYS, middle)
    for step in range(1, 6):
        qtbot.mouseMove(tile, middle + QPoint(10 * step, 0))
    qtbot.mouseRelease(tile, LEFT, NO_KEYS, middle + QPoint(50, 0))
    assert not dragged  # panned, not moved
    assert tile.zoom is not None and tile.zoom.center_x < 0.5 and tile.zoom.center_y == 0.5  # the picture followed
    on_title = QPoint(tile.width() // 2, 4)
    qtbot.mousePress(tile, LEFT, NO_KEYS, on_title)
    qtbot.mouseMove(tile, on_title + QPoint(40, 30))
    qtbot.mouseRelease(tile, LEFT, NO_KEYS, on_title + QPoint(40, 30))
    assert dragged == ["drag"]  # the title bar still drags the tile
    tile.set_zoom(None)
    qtbot.mousePress(tile, LEFT, NO_KEYS, middle)
    qtbot.mouseMove(tile, middle + QPoint(40, 30))
    qtbot.mouseRelease(tile, LEFT, NO_KEYS, middle + QPoint(40, 30))
    assert dragged == ["drag", "drag"]  # unzoomed, a drag anywhere moves the tile, as before


def test_the_camera_shown_alone_zooms_too(wall: MainWindow, qtbot: QtBot) -> None:
    tile = wall.grid.tiles["cam1"]
    small = tile.width()
    qtbot.mouseDClick(tile, LEFT)
    qtbot.waitUntil(lambda: tile.width() > small * 1.5)
    wheel(tile, QPointF(tile.width() / 2, tile.height() / 2), 4)
    zoom = tile.zoom
    assert zoom is not None
    qtbot.waitUntil(lambda: tile.feed.target_size[0] > small and tile.feed.region == zoom.region())


def test_a_frame_of_the_old_region_is_painted_where_that_region_now_lies() -> None:
    view = Region(0.25, 0.25, 0.5, 0.5)
    assert frame_box(FULL, view, (0, 0, 400, 200)) == (-200, -100, 800, 400)  # the whole frame, enlarged 2x
    assert frame_box(view, view, (10, 0, 400, 200)) == (10, 0, 400, 200)
    _, scaled, bands, clip = place_frame((400, 225), FULL, view, (400, 225), 1.0)
    assert clip is not None and (clip.width(), clip.height()) == (400, 225)
    assert scaled is not None and (scaled.x(), scaled.width()) == (-200, 800) and bands
    _, scaled, bands, clip = place_frame((400, 225), view, view, (400, 225), 1.0)
    assert clip is None and scaled is None and not bands  # decoded for this view: a plain blit
