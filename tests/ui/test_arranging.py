"""Arranging the wall in the real window, offscreen, with real key presses: selection that survives
edits, undo and redo, presets, arrow keys, full screen, and the camera dialog that keeps what was typed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from monitor_app.core.layouts.files import read_layout, write_layout
from monitor_app.core.layouts.model import Layout
from monitor_app.core.paths import layouts_dir
from monitor_app.ui.camera_dialog import CameraDialog
from monitor_app.ui.main_window import MainWindow
from tests.ui.test_main_window import pattern_layout


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    win = MainWindow(pattern_layout(), scripted=True)
    qtbot.addWidget(win)
    win.resize(900, 600)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    yield win
    win.close()


def cells(layout: Layout) -> dict[str, tuple[int, int] | None]:
    return {cam.id: (cam.row, cam.column) if cam.placed else None for cam in layout.cameras}


def when_dialog_opens(qtbot: QtBot, act: Callable[[CameraDialog], None]) -> list[str]:
    """Run ``act`` on the camera dialog once it is open (its exec() blocks the test's thread)."""
    seen: list[str] = []
    tries = iter(range(250))  # 5 s, then it stops looking

    def poke() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CameraDialog):
            if next(tries, None) is not None:
                QTimer.singleShot(20, poke)
            return
        seen.append(dialog.windowTitle())
        act(dialog)

    QTimer.singleShot(20, poke)
    return seen


def test_edit_then_delete_acts_on_the_camera_that_was_edited(window: MainWindow, qtbot: QtBot) -> None:
    tile_b = window.grid.tiles["cam1"]
    qtbot.mouseClick(tile_b, Qt.MouseButton.LeftButton)
    assert window.grid.selected_key() == "cam1"

    def rename(dialog: CameraDialog) -> None:
        dialog.title.setText("Porch")
        dialog.accept()

    seen = when_dialog_opens(qtbot, rename)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["Edit camera"]
    assert next(c for c in window.layout_model.cameras if c.id == "cam1").title == "Porch"
    assert window.selected_camera() == "cam1"  # the edit rebuilt that tile; the selection stayed
    window.activateWindow()  # the window manager's part, once the dialog is gone
    qtbot.waitUntil(lambda: window.grid.selected_key() == "cam1")  # the focus is back on the edited tile
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Delete)
    assert sorted(c.id for c in window.layout_model.cameras) == ["cam0", "cam2", "cam3"]  # B went, not the first
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sorted(c.id for c in window.layout_model.cameras) == ["cam0", "cam1", "cam2", "cam3"]
    assert cells(window.layout_model)["cam1"] == (0, 1)


def test_a_move_then_undo_saves_the_file_unchanged_and_redo_moves_it_again(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "wall.json"
    write_layout(window.layout_model, path)
    original = path.read_bytes()
    assert window.open_layout_file(str(path))
    kept = window.grid.tiles["cam1"]
    window.editing.move("cam0", 1, 1)  # onto D's tile: A and D trade cells
    assert cells(window.layout_model)["cam0"] == (1, 1) and cells(window.layout_model)["cam3"] == (0, 0)
    assert window.modified and window.windowTitle().startswith("*")
    assert window.grid.tiles["cam1"] is kept  # an edit rebuilds no tile that did not change
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert cells(window.layout_model)["cam0"] == (0, 0)
    assert not window.modified  # back where the file is
    assert window.save_layout(wait=True)
    assert path.read_bytes() == original
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert cells(window.layout_model)["cam0"] == (1, 1) and window.modified


def test_presets_by_alt_number_never_lose_a_camera(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # 1x1: one tile, three in the list
    layout = window.layout_model
    assert (layout.rows, layout.columns) == (1, 1)
    assert [c.id for c in layout.placed_cameras()] == ["cam0"] and len(layout.unplaced_cameras()) == 3
    assert list(window.grid.tiles) == ["cam0"]
    unplaced_feed = window.pipeline.feed("cam1")
    assert unplaced_feed is not None and not unplaced_feed.visible  # in the list: not decoded
    assert "camera list" in window.statusBar().currentMessage()
    qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.AltModifier)  # 1 + 5 leaves them unplaced ...
    assert (window.layout_model.rows, len(window.layout_model.placed_cameras())) == (3, 1)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert cells(window.layout_model) == {"cam0": (0, 0), "cam1": (0, 1), "cam2": (1, 0), "cam3": (1, 1)}
    big = window.findChild(type(window.presets.actions()[0]), "preset-1+5")
    assert big is not None and big.shortcut().toString() == "Alt+8"


def test_arrow_keys_move_the_selection_and_page_down_steps_through_cameras_alone(
    window: MainWindow, qtbot: QtBot
) -> None:
    grid = window.grid
    qtbot.mouseClick(grid.tiles["cam0"], Qt.MouseButton.LeftButton)
    qtbot.keyClick(grid.tiles["cam0"], Qt.Key.Key_Right)
    assert grid.selected_key() == "cam1"
    qtbot.keyClick(grid.tiles["cam1"], Qt.Key.Key_Down)
    assert grid.selected_key() == "cam3"
    qtbot.keyClick(grid.tiles["cam3"], Qt.Key.Key_Right)  # the edge: stays
    assert grid.selected_key() == "cam3"
    qtbot.keyClick(grid.tiles["cam3"], Qt.Key.Key_Return)
    assert grid.full_window_key == "cam3"
    qtbot.keyClick(grid.tiles["cam3"], Qt.Key.Key_PageDown)  # wraps to the first
    assert grid.full_window_key == "cam0" and not grid.tiles["cam3"].isVisible()
    qtbot.keyClick(grid.tiles["cam0"], Qt.Key.Key_PageUp)
    assert grid.full_window_key == "cam3"


def test_f11_is_full_screen_without_the_menu_bar_and_esc_leaves_it(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    assert not window.menuBar().isVisible() and not window.presets.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # the menu bar is hidden: its shortcuts must still work
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert window.menuBar().isVisible()


def test_add_camera_on_a_full_grid_grows_it_and_a_taken_cell_keeps_the_dialog_open(
    window: MainWindow, qtbot: QtBot
) -> None:
    problems: list[str] = []

    def fill_in(dialog: CameraDialog) -> None:
        dialog.kind.setCurrentIndex(dialog.kind.findData("url"))
        dialog.address.setText("rtsp://10.0.0.9/stream")
        dialog.row.setValue(1)
        dialog.column.setValue(1)  # chosen by hand, and taken
        dialog.accept()
        problems.append(dialog.error_text("cell"))
        assert dialog.isVisible() and dialog.address.text() == "rtsp://10.0.0.9/stream"  # nothing lost
        dialog.row.setValue(0)
        dialog.column.setValue(0)  # the cell it proposed on a full grid: placed where there is room
        dialog.accept()

    seen = when_dialog_opens(qtbot, fill_in)
    window.editing.add_camera()
    assert seen == ["Add camera"]
    assert problems == ["cell 1,1 holds Camera 3"]  # in words, not $.cameras[4].cell
    layout = window.layout_model
    assert len(layout.cameras) == 5 and layout.rows * layout.columns > 4  # the grid grew
    added = layout.cameras[-1]
    assert added.placed and (added.row, added.column) not in {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert set(window.grid.tiles) == {c.id for c in layout.cameras}


def test_the_ingest_token_and_every_field_keep_their_text_when_ok_is_refused(qtbot: QtBot) -> None:
    from monitor_app.core.layouts.edits import CameraForm

    form = CameraForm(title="Yard", kind="http_ingest", address="nonsense", settings={"token": "t0k"})
    dialog = CameraDialog(form, "Add camera", validate=lambda _f: {"address": "must look like host:port"})
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()
    assert dialog.isVisible() and dialog.error_text("address") == "must look like host:port"
    token = dialog.field("http_ingest", "token")
    assert isinstance(token, QLineEdit) and token.text() == "t0k"


def test_save_as_starts_in_the_users_layouts_folder(window: MainWindow, tmp_path: Path) -> None:
    assert window.files.proposed_path().parent == layouts_dir()  # the demo-like untitled layout
    elsewhere = tmp_path / "site" / "north.json"
    elsewhere.parent.mkdir()
    elsewhere.write_text(json.dumps({"schema_version": 1}))  # any file the user opened from elsewhere
    write_layout(window.layout_model, elsewhere)
    assert window.open_layout_file(str(elsewhere))
    assert window.files.proposed_path() == layouts_dir() / "north.json"
    assert read_layout(elsewhere) == window.layout_model


def test_f2_shows_the_camera_list_and_a_camera_off_the_wall_can_be_shown_alone(
    window: MainWindow, qtbot: QtBot
) -> None:
    dock = window.arranging.camera_list
    assert not dock.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.waitUntil(dock.isVisible)
    assert window.menus.camera_list_action.isChecked()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # one tile; three in the list
    row = dock.row("cam2")
    assert row is not None and "not on the wall" in row.text(0)
    dock.show_alone_requested.emit("cam2")  # what a double-click on its row sends
    assert window.grid.full_window_key == "cam2"
    assert next(c for c in window.layout_model.cameras if c.id == "cam2").placed  # placed (undoably) to show it
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: not dock.isVisible())


def test_shrinking_the_grid_names_the_cameras_that_would_not_fit_and_keeps_them(
    window: MainWindow, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from monitor_app.ui.grid_dialog import GridSizeDialog

    asked: list[str] = []
    tries = iter(range(250))

    def answer() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, GridSizeDialog):
            modal.rows.setValue(1)
            modal.columns.setValue(2)
            modal.accept()
        elif isinstance(modal, QMessageBox):
            asked.append(modal.text())
            modal.button(QMessageBox.StandardButton.Yes).click()
            return
        if next(tries, None) is not None:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)
    window.editing.choose_grid_size()
    assert asked == ["Camera 2, Camera 3 would not fit in a 1x2 grid. Move them to the camera list?"]
    layout = window.layout_model
    assert (layout.rows, layout.columns) == (1, 2) and len(layout.cameras) == 4  # none deleted
    assert sorted(c.id for c in layout.unplaced_cameras()) == ["cam2", "cam3"]
    assert set(window.grid.tiles) == {"cam0", "cam1"}
