"""Snapshots and Copy Frame in the real window (offscreen): files at the source's resolution, a JPEG
camera's bytes as the sender sent them, the clipboard, and what the status bar says."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout
from monitor_app.core.net import free_port
from monitor_app.core.paths import snapshots_dir
from monitor_app.ui.main_window import MainWindow
from tests.app_process import PEERS
from tests.ui.test_main_window import all_live, pattern_layout


def open_window(qtbot: QtBot, layout: Layout) -> MainWindow:
    win = MainWindow(layout, scripted=True)
    qtbot.addWidget(win)
    win.resize(900, 600)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    win = open_window(qtbot, pattern_layout())
    qtbot.waitUntil(lambda: all_live(win, frames=3), timeout=15000)
    yield win
    win.close()


def snapshots() -> list[Path]:
    folder = snapshots_dir()
    return sorted(folder.glob("*.jpg")) if folder.exists() else []


def test_the_selected_camera_is_saved_at_its_source_resolution_and_the_status_bar_names_the_file(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.grid.select("cam2")
    window.snapshots.save_action.trigger()
    qtbot.waitUntil(lambda: len(snapshots()) == 1, timeout=5000)
    (path,) = snapshots()
    assert path.name.startswith("Camera 2_") and path.name.endswith(".jpg")
    image = cv2.imread(str(path))
    assert image is not None and image.shape[:2] == (180, 320)  # the pattern's own size, not the tile's
    qtbot.waitUntil(lambda: path.name in window.statusBar().currentMessage(), timeout=5000)


def test_with_no_tile_selected_every_camera_on_the_wall_is_saved(window: MainWindow, qtbot: QtBot) -> None:
    window.grid.setFocus()  # no tile has the focus
    window.snapshots.save_all_action.trigger()
    qtbot.waitUntil(lambda: len(snapshots()) == 4, timeout=5000)
    assert sorted(p.name.split("_")[0] for p in snapshots()) == [f"Camera {n}" for n in range(4)]
    qtbot.waitUntil(lambda: "4 snapshots" in window.statusBar().currentMessage(), timeout=5000)


def test_the_tile_menu_copies_a_frame_to_the_clipboard(window: MainWindow, qtbot: QtBot) -> None:
    menu = QMenu()
    window.snapshots.add_to_tile_menu(menu, "cam1")
    copy = next(a for a in menu.actions() if a.text() == "Copy Frame")
    QGuiApplication.clipboard().clear()
    copy.trigger()
    qtbot.waitUntil(lambda: not QGuiApplication.clipboard().image().isNull(), timeout=5000)
    image = QGuiApplication.clipboard().image()
    assert (image.width(), image.height()) == (320, 180)
    assert "Camera 1" in window.statusBar().currentMessage()


def test_a_jpeg_camera_is_saved_byte_for_byte_as_the_sender_sent_it(qtbot: QtBot, tmp_path: Path) -> None:
    files = []
    for n in range(3):
        ok, data = cv2.imencode(".jpg", np.full((360, 640, 3), 60 * n, np.uint8))
        assert ok
        files.append(tmp_path / f"{n}.jpg")
        files[-1].write_bytes(data.tobytes())
    hub = f"tcp://127.0.0.1:{free_port()}"
    layout = Layout(rows=1, columns=1, title="hub")
    layout.connections.append(ConnectionSpec("hub", "hub", {"endpoint": hub}))
    layout.cameras.append(CameraSpec("porch", "hub", name="porch", title="Porch", row=0, column=0))
    win = open_window(qtbot, layout)
    sender = subprocess.Popen(
        [sys.executable, str(PEERS / "fixed_jpeg_sender.py"), "--connect", hub, "--name", "porch", *map(str, files)],
        stdout=subprocess.DEVNULL,
    )
    try:
        qtbot.waitUntil(lambda: all_live(win, frames=3), timeout=20000)
        win.snapshots.save(["porch"])
        qtbot.waitUntil(lambda: len(snapshots()) == 1, timeout=5000)
        assert snapshots()[0].read_bytes() in {f.read_bytes() for f in files}
    finally:
        sender.kill()
        sender.wait(10)
        win.close()


def test_a_folder_that_cannot_be_written_is_named_in_the_status_bar(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    blocked = tmp_path / "not a folder"
    blocked.write_text("a file where the folder should be")
    window.snapshots.folder = lambda: blocked
    window.snapshots.save(["cam0"])
    qtbot.waitUntil(lambda: "Could not save the snapshot in" in window.statusBar().currentMessage(), timeout=5000)
    assert str(blocked) in window.statusBar().currentMessage()
    assert all_live(window, frames=3)  # the wall goes on


def test_ctrl_shift_s_takes_a_snapshot_and_no_two_actions_share_a_key(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction

    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            text = key.toString()
            assert seen.setdefault(text, action.text()) == action.text(), f"{text}: {seen[text]} and {action.text()}"
    window.grid.select("cam3")
    qtbot.keyClick(
        window.grid.tiles["cam3"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: len(snapshots()) == 1, timeout=5000)
    assert snapshots()[0].name.startswith("Camera 3_")
