"""The camera list dock: rows by connection, the filter box, state dots, and dragging a row onto the wall."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from monitor_app.core.layouts.arrange import unplace_camera
from monitor_app.core.pipeline.health import CameraState, HealthSnapshot
from monitor_app.ui.camera_grid import CameraGrid
from monitor_app.ui.camera_list import DOT_PX, NOT_ON_WALL, CameraList
from monitor_app.ui.main_window import MainWindow
from monitor_app.ui.state_style import STATE_COLOURS
from tests.ui.drag_helpers import LEFT, DragTo, pattern_wall, show_wall

WALL = [(0, 0, 1, 1), (0, 1, 1, 1), (1, 0, 1, 1)]  # cam0-cam2 on the wall, (1, 1) free, cam3 in the list


def camera_list(qtbot: QtBot, grid: CameraGrid) -> tuple[CameraList, MainWindow]:
    window = grid.window()
    assert isinstance(window, MainWindow)
    dock = CameraList(window.pipeline.source_description)
    qtbot.addWidget(dock)
    dock.show_layout(window.layout_model)
    dock.resize(320, 400)
    dock.show()
    qtbot.waitExposed(dock)
    return dock, window


def shown_rows(dock: CameraList) -> list[str]:
    return [key for key in ("cam0", "cam1", "cam2", "cam3") if not _row(dock, key).isHidden()]


def _row(dock: CameraList, key: str) -> QTreeWidgetItem:
    row = dock.row(key)
    assert row is not None
    return row


def dot_colour(row: QTreeWidgetItem) -> tuple[int, int, int]:
    colour = row.icon(0).pixmap(DOT_PX, DOT_PX).toImage().pixelColor(DOT_PX // 2, DOT_PX // 2)
    return colour.red(), colour.green(), colour.blue()


def test_a_group_per_connection_and_a_row_per_camera_marking_the_ones_off_the_wall(qtbot: QtBot) -> None:
    dock, window = camera_list(qtbot, show_wall(qtbot, pattern_wall(2, 2, WALL, unplaced=1)))
    assert dock.windowTitle() == "Cameras"
    groups = [dock.tree.topLevelItem(n) for n in range(dock.tree.topLevelItemCount())]
    assert [g.text(0) for g in groups if g is not None] == [
        f"{window.pipeline.source_description(f'p{n}')} \u2014 pattern" for n in range(4)
    ]
    assert _row(dock, "cam0").text(0) == "Camera 0" and _row(dock, "cam0").parent() is groups[0]
    assert _row(dock, "cam3").text(0) == f"Camera 3  {NOT_ON_WALL}"


def test_dragging_a_row_onto_a_free_cell_asks_to_put_that_camera_there(qtbot: QtBot) -> None:
    grid = show_wall(qtbot, pattern_wall(2, 2, WALL, unplaced=1))
    dock, _ = camera_list(qtbot, grid)
    drag = dock.tree.exec_drag = DragTo(grid, grid.cell_rect(1, 1).center())
    start = dock.tree.visualItemRect(_row(dock, "cam3")).center()
    viewport = dock.tree.viewport()
    with qtbot.waitSignal(grid.move_requested, timeout=2000) as moved:
        qtbot.mousePress(viewport, LEFT, pos=start)
        qtbot.mouseMove(viewport, start + QPoint(30, 20))
        qtbot.mouseRelease(viewport, LEFT, pos=start + QPoint(30, 20))
    assert moved.args == ["cam3", 1, 1]
    window = grid.window()
    assert isinstance(window, MainWindow)
    placed = next(c for c in window.layout_model.cameras if c.id == "cam3")
    assert placed.placed and (placed.row, placed.column) == (1, 1) and "cam3" in grid.tiles  # on the wall now
    assert len(drag.started) == 1 and drag.started[0][0] is dock.tree
    assert drag.shown is not None and drag.shown.text == "Place Camera 3 here"
    assert dock.row("cam3") is not None  # a drag from the list never removes its row


def test_double_clicking_a_row_asks_to_show_that_camera_alone(qtbot: QtBot) -> None:
    dock, _ = camera_list(qtbot, show_wall(qtbot, pattern_wall(2, 2, WALL, unplaced=1)))
    viewport, spot = dock.tree.viewport(), dock.tree.visualItemRect(_row(dock, "cam1")).center()
    with qtbot.waitSignal(dock.show_alone_requested, timeout=1000) as alone:
        qtbot.mouseClick(viewport, LEFT, pos=spot)  # a double-click's first press: the view wants it
        qtbot.mouseDClick(viewport, LEFT, pos=spot)
    assert alone.args == ["cam1"]


def test_the_filter_box_matches_title_name_and_connection_ignoring_case(qtbot: QtBot) -> None:
    dock, _ = camera_list(qtbot, show_wall(qtbot, pattern_wall(2, 2, WALL, unplaced=1)))
    qtbot.keyClicks(dock.filter_box, "CAMERA 2")
    assert shown_rows(dock) == ["cam2"]
    groups = [dock.tree.topLevelItem(n) for n in range(4)]
    assert [g.isHidden() for g in groups if g is not None] == [True, True, False, True]
    dock.filter_box.setText("p3")  # the connection's id
    assert shown_rows(dock) == ["cam3"]
    dock.filter_box.setText("test pattern")  # its description
    assert shown_rows(dock) == ["cam0", "cam1", "cam2", "cam3"]
    dock.filter_box.setText("nothing like it")
    assert shown_rows(dock) == []
    dock.filter_box.clear()
    assert shown_rows(dock) == ["cam0", "cam1", "cam2", "cam3"]
    assert all(g is not None and not g.isHidden() for g in groups)


def test_a_new_layout_keeps_the_filter_the_selection_and_the_collapsed_groups(qtbot: QtBot) -> None:
    dock, window = camera_list(qtbot, show_wall(qtbot, pattern_wall(2, 2, WALL, unplaced=1)))
    group = dock.tree.topLevelItem(1)
    assert group is not None
    group.setExpanded(False)
    dock.tree.setCurrentItem(_row(dock, "cam2"))
    dock.filter_box.setText("camera")
    dock.show_layout(unplace_camera(window.layout_model, "cam0"))
    assert _row(dock, "cam0").text(0) == f"Camera 0  {NOT_ON_WALL}"
    assert dock.tree.currentItem() is _row(dock, "cam2")
    assert dock.filter_box.text() == "camera" and shown_rows(dock) == ["cam0", "cam1", "cam2", "cam3"]
    dock.filter_box.setText("camera 1")
    dock.show_layout(window.layout_model)
    assert shown_rows(dock) == ["cam1"]  # the filter applies to the new rows
    expanded = [g.isExpanded() for n in range(4) if (g := dock.tree.topLevelItem(n)) is not None]
    assert expanded == [True, False, True, True]


def test_the_state_dots_follow_each_cameras_health(qtbot: QtBot) -> None:
    dock, window = camera_list(qtbot, show_wall(qtbot, pattern_wall(2, 2, WALL, unplaced=1)))
    grey = dot_colour(_row(dock, "cam0"))
    qtbot.waitUntil(lambda: window.pipeline.health("cam0").state is CameraState.LIVE, timeout=15000)  # type: ignore[union-attr]
    dock.refresh_health(window.pipeline.health)
    live = STATE_COLOURS[CameraState.LIVE]
    assert dot_colour(_row(dock, "cam0")) == (live.red(), live.green(), live.blue()) != grey
    assert dock.shown_state("cam0") is CameraState.LIVE

    def failing(key: str) -> HealthSnapshot | None:
        snapshot = window.pipeline.health(key)
        if key != "cam1" or snapshot is None:
            return snapshot
        return dataclasses.replace(snapshot, state=CameraState.ERROR, error="gone")

    dock.refresh_health(failing)
    error = STATE_COLOURS[CameraState.ERROR]
    assert dot_colour(_row(dock, "cam1")) == (error.red(), error.green(), error.blue())
    assert dock.shown_state("cam1") is CameraState.ERROR and dock.shown_state("cam0") is CameraState.LIVE
    dock.refresh_health(lambda key: None)
    assert dot_colour(_row(dock, "cam1")) == grey and dock.shown_state("cam1") is None
