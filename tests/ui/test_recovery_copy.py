"""The autosaved copy of unsaved changes: written beside (never over) the user's file, offered back after
a crash, and gone once the changes are saved or undone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from monitor_app.core.layouts.files import read_layout, write_layout
from monitor_app.core.paths import recovery_dir
from monitor_app.ui.main_window import MainWindow
from monitor_app.ui.recovery_copy import COPY_NAME
from tests.ui.test_main_window import pattern_layout


@pytest.fixture
def saved_wall(tmp_path: Path) -> Path:
    path = tmp_path / "wall.json"
    write_layout(pattern_layout(), path)
    return path


def open_window(qtbot: QtBot, path: Path) -> MainWindow:
    win = MainWindow(read_layout(path), str(path), scripted=True)
    qtbot.addWidget(win)
    win.recovery._timer.setInterval(50)  # the 3 s burst delay, shortened
    win.show()
    return win


@pytest.fixture
def window(qtbot: QtBot, saved_wall: Path) -> Iterator[MainWindow]:
    win = open_window(qtbot, saved_wall)
    yield win
    win.shutdown()


def answer_next_question(button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []
    tries = iter(range(150))  # 3 s, then it stops looking (a test that expects no question ends)

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if next(tries, None) is not None:
                QTimer.singleShot(20, click)
            return
        asked.append(box.text())
        box.button(button).click()

    QTimer.singleShot(20, click)
    return asked


def test_unsaved_changes_survive_a_crash_and_come_back_unsaved(qtbot: QtBot, saved_wall: Path) -> None:
    original = saved_wall.read_bytes()
    crashed = open_window(qtbot, saved_wall)
    crashed.editing.move("cam0", 1, 1)
    copy = recovery_dir() / COPY_NAME
    qtbot.waitUntil(copy.exists, timeout=5000)
    assert read_layout(copy) == crashed.layout_model
    assert saved_wall.read_bytes() == original  # never over the user's file
    crashed.shutdown()  # threads stopped, but no closeEvent: what a crash leaves behind

    again = open_window(qtbot, saved_wall)
    try:
        asked = answer_next_question(QMessageBox.StandardButton.Yes)
        assert again.offer_recovery()
        assert str(saved_wall) in asked[0]
        moved = next(c for c in again.layout_model.cameras if c.id == "cam0")
        assert (moved.row, moved.column) == (1, 1)
        assert again.modified and again.layout_path == str(saved_wall)  # back, and still to be saved
        assert saved_wall.read_bytes() == original
        assert again.save_layout(wait=True)
        qtbot.waitUntil(lambda: not copy.exists(), timeout=5000)  # saved: nothing to recover any more
    finally:
        again.shutdown()


def test_declining_the_offer_discards_the_copy(qtbot: QtBot, saved_wall: Path) -> None:
    crashed = open_window(qtbot, saved_wall)
    crashed.editing.move("cam0", 1, 1)
    copy = recovery_dir() / COPY_NAME
    qtbot.waitUntil(copy.exists, timeout=5000)
    crashed.shutdown()
    again = open_window(qtbot, saved_wall)
    try:
        answer_next_question(QMessageBox.StandardButton.No)
        assert not again.offer_recovery()
        assert not copy.exists() and not again.modified
        assert not again.offer_recovery()  # asked once only
    finally:
        again.shutdown()


def test_undoing_back_to_the_saved_layout_removes_the_copy(window: MainWindow, qtbot: QtBot) -> None:
    window.editing.move("cam0", 1, 1)
    copy = recovery_dir() / COPY_NAME
    qtbot.waitUntil(copy.exists, timeout=5000)
    window.history.stack.undo()
    assert not window.modified
    qtbot.waitUntil(lambda: not copy.exists(), timeout=5000)
    qtbot.wait(200)
    assert not copy.exists()  # and no late autosave brings it back


def test_told_to_quit_it_asks_nothing_and_keeps_the_changes_for_the_next_start(qtbot: QtBot, saved_wall: Path) -> None:
    original = saved_wall.read_bytes()
    win = MainWindow(read_layout(saved_wall), str(saved_wall), scripted=False)  # a user's window: it would ask
    qtbot.addWidget(win)
    win.show()
    win.editing.move("cam0", 1, 1)
    asked = answer_next_question(QMessageBox.StandardButton.Cancel)  # a question would be cancelled: no close
    win.close_unattended()  # what SIGTERM does
    assert not win.isVisible() and asked == []
    copy = recovery_dir() / COPY_NAME
    assert copy.exists() and read_layout(copy) == win.layout_model  # written before it closed
    assert saved_wall.read_bytes() == original
