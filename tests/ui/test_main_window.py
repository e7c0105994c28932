"""The real window, offscreen: live tiles, full-window toggling, editing, saving, clean shutdown."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from monitor_app.core.layouts.edits import CameraForm, apply_camera_form, remove_camera, resize_grid
from monitor_app.core.layouts.files import read_layout
from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout
from monitor_app.core.pipeline.health import CameraState
from monitor_app.receivers.threads import running_threads
from monitor_app.ui.main_window import MainWindow
from monitor_app.ui.settings import AppSettings


def pattern_layout(count: int = 4, fps: float = 30) -> Layout:
    layout = Layout(rows=2, columns=2, title="test")
    for n in range(count):
        layout.connections.append(ConnectionSpec(f"p{n}", "pattern", {"width": 320, "height": 180, "fps": fps}))
        layout.cameras.append(CameraSpec(f"cam{n}", f"p{n}", title=f"Camera {n}", row=n // 2, column=n % 2))
    return layout


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    win = MainWindow(pattern_layout(), scripted=True)
    qtbot.addWidget(win)
    win.resize(900, 600)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def all_live(win: MainWindow, frames: int = 10) -> bool:
    return all(
        t.feed.health.frames_displayed >= frames and t.feed.health.snapshot().state is CameraState.LIVE
        for t in win.grid.tiles.values()
    )


def test_every_tile_goes_live_and_paints_frames_pre_scaled_to_its_size(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: all_live(window), timeout=15000)
    for tile in window.grid.tiles.values():
        size = tile.current_image_size()
        assert size is not None
        # Decoded to fit the tile exactly on one side: the GUI only blits.
        assert size[0] == tile.feed.target_size[0] or size[1] == tile.feed.target_size[1]
    picture = window.grab().toImage()
    assert picture.pixelColor(QPoint(picture.width() // 4, picture.height() // 3)).value() > 20


def test_double_click_and_enter_toggle_one_tile_full_window(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: all_live(window, 2), timeout=15000)
    tile = window.grid.tiles["cam1"]
    small = tile.size()
    qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tile.width() > small.width() * 1.5)
    others = [t for k, t in window.grid.tiles.items() if k != "cam1"]
    assert all(not t.isVisible() and not t.feed.visible for t in others)
    decoded_before = [t.feed.health.frames_decoded for t in others]
    displayed = tile.feed.health.frames_displayed
    qtbot.waitUntil(lambda: tile.feed.health.frames_displayed > displayed + 10, timeout=10000)
    assert [t.feed.health.frames_decoded for t in others] == decoded_before  # hidden tiles are not decoded
    qtbot.waitUntil(
        lambda: (
            tile.current_image_size() == tile.feed.target_size
            or tile.current_image_size()[0] == tile.feed.target_size[0]
        )
    )
    tile.setFocus()
    qtbot.keyClick(tile, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: all(t.isVisible() and t.feed.visible for t in window.grid.tiles.values()))


def test_a_minimised_window_drains_but_does_not_decode(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: all_live(window, 2), timeout=15000)
    window.grid.set_window_visible(False)
    feed = window.grid.tiles["cam0"].feed
    time.sleep(0.2)
    decoded, received = feed.health.frames_decoded, feed.health.frames_received
    qtbot.wait(600)
    assert feed.health.frames_decoded <= decoded + 1
    window.grid.set_window_visible(True)
    qtbot.waitUntil(lambda: feed.health.frames_decoded > decoded + 5, timeout=10000)
    assert received >= 0


def test_editing_adds_and_removes_tiles_and_their_threads(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: all_live(window, 2), timeout=15000)
    grown = resize_grid(window.layout_model, 2, 3)
    window.replace_layout(apply_camera_form(grown, CameraForm(title="Extra", kind="pattern", row=0, column=2)))
    assert window.modified and window.windowTitle().startswith("*")
    qtbot.waitUntil(
        lambda: "extra" in window.grid.tiles and window.grid.tiles["extra"].feed.health.frames_displayed > 3,
        timeout=15000,
    )
    threads_with_extra = len(running_threads())
    window.replace_layout(remove_camera(window.layout_model, "extra"))
    assert "extra" not in window.grid.tiles
    qtbot.waitUntil(lambda: len(running_threads()) == threads_with_extra - 1)
    assert all_live(window, 2)


def test_save_and_open_round_trip_through_the_window(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    window.replace_layout(resize_grid(window.layout_model, 2, 2))
    assert window.modified
    assert window.save_layout(str(path))  # started; written by the saver thread
    qtbot.waitUntil(lambda: not window.modified, timeout=10000)
    assert read_layout(path) == window.layout_model and window.layout_path == str(path)
    assert AppSettings().recent_layouts()[0] == str(path.resolve())
    assert not window.windowTitle().startswith("*")
    window.replace_layout(resize_grid(window.layout_model, 2, 3))
    (tmp_path / "a-file").write_text("")
    unwritable = tmp_path / "a-file" / "mine.json"  # its folder is a file: the save fails
    assert window.save_layout(str(unwritable), wait=True) is False
    assert window.modified and window.layout_path == str(path)  # still unsaved, still the old file
    path.write_text('{"schema_version": 1, "grid": {"rows": "two"}}')
    before = window.layout_model
    assert window.open_layout_file(str(path)) is False  # refused, and the wall keeps running
    assert window.layout_model is before
    qtbot.waitUntil(lambda: all_live(window, 2), timeout=15000)


def test_closing_the_window_stops_every_thread_within_about_a_second(qtbot: QtBot) -> None:
    win = MainWindow(pattern_layout(4), scripted=True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: all_live(win, 2), timeout=15000)
    assert len(running_threads()) >= 5
    began = time.monotonic()
    win.close()
    elapsed = time.monotonic() - began
    assert running_threads() == []
    assert elapsed < 1.5, elapsed


def test_none_refcount_stays_flat_across_many_paint_and_update_calls(window: MainWindow, qtbot: QtBot) -> None:
    """PySide6 6.12.0 on Python 3.11 decrements None on every call that returns nothing and aborts."""
    qtbot.waitUntil(lambda: all_live(window, 2), timeout=15000)
    tile = next(iter(window.grid.tiles.values()))
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    before = sys.getrefcount(None)
    for _ in range(3000):
        tile.update()
        tile.repaint()
        image.fill(0)
        window.pipeline.frames_ready.emit()
    drift = sys.getrefcount(None) - before
    assert abs(drift) < 500, f"None's refcount drifted by {drift}"


def test_an_empty_wall_says_what_it_waits_for_and_geometry_is_remembered(qtbot: QtBot) -> None:
    layout = Layout(rows=1, columns=1, connections=[ConnectionSpec("idle", "pattern", {"fps": 1})])
    win = MainWindow(layout, scripted=True)
    qtbot.addWidget(win)
    win.show()
    assert win.grid.empty_hint.isVisible() and "Waiting for cameras on test pattern" in win.grid.empty_hint.text()
    win.resize(700, 500)
    win.move(40, 30)
    win.close()
    again = MainWindow(Layout(rows=1, columns=1), scripted=True)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 500)
    again.close()


def test_the_camera_dialog_shows_the_fields_of_each_kind(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QComboBox, QLineEdit

    from monitor_app.ui.camera_dialog import CameraDialog

    dialog = CameraDialog(CameraForm(title="Gate", kind="hub", address="tcp://*:5555", name="gate"), "Edit camera")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.name.isVisible() and dialog.address.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData("pattern"))
    assert not dialog.address.isVisible() and not dialog.name.isVisible()
    sub_url, transport = dialog.field("url", "sub_url"), dialog.field("url", "transport")
    assert isinstance(sub_url, QLineEdit) and isinstance(transport, QComboBox)
    assert not sub_url.isVisible() and not transport.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData("url"))
    assert sub_url.isVisible() and transport.isVisible() and not dialog.name.isVisible()
    dialog.address.setText("rtsp://cam/1")
    sub_url.setText("rtsp://cam/2")
    transport.setCurrentIndex(transport.findData("udp"))
    dialog.column.setValue(1)
    form = dialog.form()
    assert (form.kind, form.address, form.title, form.column) == ("url", "rtsp://cam/1", "Gate", 1)
    assert (form.settings["sub_url"], form.settings["transport"]) == ("rtsp://cam/2", "udp")
