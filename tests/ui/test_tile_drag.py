"""Arranging the wall with the mouse: real presses and moves on real tiles of a real window.

The press-and-move that starts a drag is real; the drag itself (a QDrag runs its own loop, which has
no pointer offscreen) is ``DragTo``, delivering the data the gesture made as the drag events Qt sends.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QDragLeaveEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from monitor_app.core.layouts.presets import TIMES
from monitor_app.ui.camera_dialog import CameraDialog
from monitor_app.ui.camera_grid import CameraGrid
from monitor_app.ui.camera_tile import CameraTile
from monitor_app.ui.drop_indicator import DropLook
from monitor_app.ui.main_window import MainWindow
from monitor_app.ui.tile_drag import CAMERA_MIME, CORNER_PX, camera_mime, dragged_camera
from tests.ui.drag_helpers import LEFT, NO_KEYS, DragTo, drag_over, drop_on, pattern_wall, show_wall
from tests.ui.test_arranging import when_dialog_opens

THREE_OF_FOUR = [(0, 0, 1, 1), (0, 1, 1, 1), (1, 0, 1, 1)]  # cell (1, 1) is free


def press_and_drag(qtbot: QtBot, tile: CameraTile) -> None:
    start, by = tile.rect().center(), QPoint(40, 10)
    qtbot.mousePress(tile, LEFT, pos=start)
    qtbot.mouseMove(tile, start + by)
    qtbot.mouseRelease(tile, LEFT, pos=start + by)


def centre(grid: CameraGrid, row: int, column: int) -> QPoint:
    return grid.cell_rect(row, column).center()


def test_a_press_and_a_move_past_the_drag_distance_starts_a_drag_of_that_camera(qtbot: QtBot) -> None:
    grid = show_wall(qtbot, pattern_wall(2, 2, THREE_OF_FOUR))
    drag = DragTo(grid, centre(grid, 1, 1), release=False)
    grid.arranging.gestures.exec_drag = drag
    tile = grid.tiles["cam1"]
    start = tile.rect().center()
    qtbot.mousePress(tile, LEFT, pos=start)
    qtbot.mouseMove(tile, start + QPoint(QApplication.startDragDistance() - 2, 0))
    assert drag.started == []  # a click that wobbles is still a click
    qtbot.mouseMove(tile, start + QPoint(QApplication.startDragDistance() + 5, 0))
    qtbot.mouseRelease(tile, LEFT, pos=start)
    assert len(drag.started) == 1
    source, mime = drag.started[0]
    assert source is grid and mime.formats() == [CAMERA_MIME] and dragged_camera(mime) == "cam1"
    assert grid.window().focusWidget() is tile  # the press still selects the tile
    assert not tile.acceptDrops() and grid.acceptDrops()  # drags over tiles reach the grid


def test_dragging_a_tile_onto_an_empty_cell_asks_to_move_it_there(qtbot: QtBot) -> None:
    layout = pattern_wall(2, 2, THREE_OF_FOUR)
    grid = show_wall(qtbot, layout)
    drag = grid.arranging.gestures.exec_drag = DragTo(grid, centre(grid, 1, 1), enter_at=centre(grid, 0, 0))
    with qtbot.waitSignal(grid.move_requested, timeout=2000) as moved:
        press_and_drag(qtbot, grid.tiles["cam0"])
    assert moved.args == ["cam0", 1, 1]
    assert drag.shown is not None and drag.shown.visible and drag.shown.look is DropLook.MOVE
    assert drag.shown.area == grid.cell_rect(1, 1) and "Move" in drag.shown.text
    assert not grid.arranging.indicator.isVisible()  # gone with the drop
    window = grid.window()
    assert isinstance(window, MainWindow)  # the window makes the edit (the grid only asks), undoably
    moved_cam = next(c for c in window.layout_model.cameras if c.id == "cam0")
    assert (moved_cam.row, moved_cam.column) == (1, 1) and window.grid.tiles["cam0"] is not None
    window.history.stack.undo()
    assert window.layout_model == layout


def test_dropping_onto_a_tile_asks_for_that_tiles_first_cell_shown_as_a_swap(qtbot: QtBot) -> None:
    grid = show_wall(qtbot, pattern_wall(2, 3, [(0, 0, 1, 1), (0, 1, 2, 2), (1, 0, 1, 1)]))
    drag = grid.arranging.gestures.exec_drag = DragTo(grid, centre(grid, 1, 2))  # the lower right of cam1
    with qtbot.waitSignal(grid.move_requested, timeout=2000) as moved:
        press_and_drag(qtbot, grid.tiles["cam2"])
    assert moved.args == ["cam2", 0, 1]
    assert drag.shown is not None and drag.shown.visible and drag.shown.look is DropLook.SWAP
    assert drag.shown.area == grid.cell_rect(0, 1, 2, 2) and drag.shown.text == "Swap with Camera 1"


def test_the_indicator_follows_the_drag_and_goes_when_it_leaves_or_lands_nowhere(qtbot: QtBot) -> None:
    grid = show_wall(qtbot, pattern_wall(2, 2, THREE_OF_FOUR))
    indicator, mime = grid.arranging.indicator, camera_mime("cam0")
    assert not indicator.isVisible()
    assert drag_over(grid, mime, centre(grid, 1, 1))
    assert indicator.isVisible() and indicator.geometry() == grid.cell_rect(1, 1)
    tile = grid.tiles["cam1"]
    assert indicator.geometry().intersects(tile.geometry()) is False
    assert drag_over(grid, mime, centre(grid, 0, 1))
    assert indicator.geometry() == grid.cell_rect(0, 1) and indicator.look is DropLook.SWAP
    assert grid.children().index(indicator) > grid.children().index(tile)  # raised above the tiles
    assert not drag_over(grid, mime, centre(grid, 0, 0))  # on itself: nothing to do, nothing shown
    assert not indicator.isVisible()
    assert drag_over(grid, mime, centre(grid, 1, 1))
    QApplication.sendEvent(grid, QDragLeaveEvent())
    assert not indicator.isVisible()
    assert not drag_over(grid, camera_mime("no-such-camera"), centre(grid, 1, 1))
    assert not drop_on(grid, mime, centre(grid, 0, 0))


def test_dragging_the_bottom_right_corner_asks_for_the_span_shown_while_dragging(qtbot: QtBot) -> None:
    grid = show_wall(qtbot, pattern_wall(3, 3, [(0, 0, 1, 1), (2, 2, 1, 1)]))
    tile, indicator = grid.tiles["cam0"], grid.arranging.indicator
    corner = QPoint(tile.width() - CORNER_PX // 2, tile.height() - CORNER_PX // 2)
    qtbot.mouseMove(tile, tile.rect().center())
    assert tile.cursor().shape() != Qt.CursorShape.SizeFDiagCursor
    qtbot.mouseMove(tile, corner)
    assert tile.cursor().shape() == Qt.CursorShape.SizeFDiagCursor  # hovering the corner says "resize"
    spans: list[list[object]] = []
    grid.span_requested.connect(lambda *args: spans.append(list(args)))
    qtbot.mousePress(tile, LEFT, pos=corner)
    target = tile.mapFrom(grid, centre(grid, 1, 1))
    qtbot.mouseMove(tile, target)
    assert indicator.isVisible() and indicator.look is DropLook.SPAN
    assert indicator.geometry() == grid.cell_rect(0, 0, 2, 2) and indicator.text == f"2 {TIMES} 2"
    qtbot.mouseRelease(tile, LEFT, pos=target)
    assert not indicator.isVisible()
    qtbot.waitUntil(lambda: spans == [["cam0", 2, 2]], timeout=2000)


def test_a_span_drag_past_the_grid_is_clipped_and_escape_or_no_change_asks_nothing(qtbot: QtBot) -> None:
    grid = show_wall(qtbot, pattern_wall(2, 3, [(0, 1, 1, 1)]))
    tile = grid.tiles["cam0"]
    spans: list[list[object]] = []
    grid.span_requested.connect(lambda *args: spans.append(list(args)))
    corner = QPoint(tile.width() - 3, tile.height() - 3)
    far = tile.mapFrom(grid, QPoint(grid.width() + 300, grid.height() + 300))
    qtbot.mousePress(tile, LEFT, pos=corner)
    qtbot.mouseMove(tile, far)
    assert grid.arranging.indicator.geometry() == grid.cell_rect(0, 1, 2, 2)
    qtbot.keyClick(tile, Qt.Key.Key_Escape)  # cancelled
    assert not grid.arranging.indicator.isVisible()
    qtbot.mouseRelease(tile, LEFT, pos=far)
    qtbot.mousePress(tile, LEFT, pos=corner)
    qtbot.mouseMove(tile, corner - QPoint(20, 20))
    qtbot.mouseRelease(tile, LEFT, pos=corner - QPoint(20, 20))  # still 1x1
    qtbot.mousePress(tile, LEFT, pos=corner)
    qtbot.mouseMove(tile, far)
    qtbot.mouseRelease(tile, LEFT, pos=far)
    qtbot.waitUntil(lambda: spans == [["cam0", 2, 2]], timeout=2000)  # the grid is 2x3: 2 rows, 2 columns left


def test_empty_cells_answer_double_and_right_clicks_and_tiles_keep_theirs(qtbot: QtBot) -> None:
    grid = show_wall(qtbot, pattern_wall(2, 2, THREE_OF_FOUR))
    cells: list[list[object]] = []
    grid.empty_cell_activated.connect(lambda *args: cells.append(list(args)))
    proposed: list[tuple[int, int]] = []

    def cancel(dialog: CameraDialog) -> None:  # the window opens Add Camera on that cell
        proposed.append((dialog.row.value(), dialog.column.value()))
        dialog.reject()

    when_dialog_opens(qtbot, cancel)
    qtbot.mouseDClick(grid, LEFT, pos=centre(grid, 1, 1))
    assert cells == [[1, 1]] and proposed == [(1, 1)]
    spot = centre(grid, 1, 1) + QPoint(10, -10)
    when_dialog_opens(qtbot, cancel)
    QApplication.sendEvent(
        grid, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, spot, grid.mapToGlobal(spot), NO_KEYS)
    )
    assert cells == [[1, 1], [1, 1]] and proposed == [(1, 1), (1, 1)]
    tile = grid.tiles["cam1"]
    qtbot.mouseDClick(tile, LEFT, pos=tile.rect().center())  # a tile's double-click shows it alone
    assert cells == [[1, 1], [1, 1]] and grid.full_window_key == "cam1"
    assert grid.cell_at(QPoint(-5, 5)) is None and grid.cell_at(centre(grid, 1, 0)) == (1, 0)
