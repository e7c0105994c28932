"""Recording in the real window (offscreen): R on the selected tile starts and stops it, the tile shows
the red dot and the elapsed time, the tile menu offers it, and the file holds the camera's frames."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from monitor_app.ui.main_window import MainWindow
from tests.ui.test_snapshots import window  # noqa: F401  (the fixture: a live 2x2 pattern wall)


def test_r_toggles_the_selected_tiles_recording_and_the_tile_shows_it(window: MainWindow, qtbot: QtBot) -> None:  # noqa: F811
    tile = window.grid.tiles["cam2"]
    window.grid.select("cam2")
    qtbot.waitUntil(tile.hasFocus, timeout=3000)
    qtbot.keyClick(tile, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: tile.recording_badge.recording, timeout=3000)
    assert window.pipeline.recordings.recording("cam2") and not window.pipeline.recordings.recording("cam1")
    assert not window.grid.tiles["cam1"].recording_badge.text
    qtbot.waitUntil(lambda: tile.recording_badge.text == "REC 0:01", timeout=4000)
    image = tile.grab().toImage()  # the red dot, top left under the title bar (the bottom left: the zoom inset)
    row = round(tile._fonts.bar_height * 1.5) + 4
    under_title = [image.pixelColor(x, y) for x in range(4, 30) for y in (row - 3, row, row + 3)]
    assert any(c.red() > 200 and c.green() < 80 and c.blue() < 80 for c in under_title)
    menu = QMenu()
    window.recording.add_to_tile_menu(menu, "cam2")
    assert [a.text() for a in menu.actions()] == ["Stop Recording"]
    qtbot.keyClick(tile, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: not tile.recording_badge.text, timeout=3000)
    assert not window.pipeline.recordings.recording("cam2")
    (path,) = window.pipeline.recordings.settings.folder.glob("Camera 2_*.mkv")
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-show_entries", "stream=codec_name,width,height,nb_read_frames",
         "-of", "csv=p=0", str(path)], capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert probe.returncode == 0 and not probe.stderr, probe.stderr
    codec, width, height, frames = probe.stdout.strip().split(",")
    assert (codec, width, height) == ("mjpeg", "320", "180") and int(frames) > 10  # the pre-roll and after


def test_record_all_and_stop_all(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:  # noqa: F811
    window.recording.record_all(tmp_path)
    keys = list(window.grid.tiles)
    qtbot.waitUntil(lambda: all(window.grid.tiles[k].recording_badge.recording for k in keys), timeout=3000)
    stats = window.stats()
    assert all(t["recording"] is not None and t["frames_not_recorded"] == 0 for t in stats["tiles"])  # type: ignore[index, union-attr]
    window.recording.stop_all_action.trigger()
    assert not any(window.pipeline.recordings.recording(k) for k in keys)
    assert len(list(tmp_path.glob("*.mkv"))) == len(keys)
