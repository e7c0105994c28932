"""Edit ▸ Preferences in the real window (offscreen): values persist in the settings, Cancel keeps the old
ones, a folder that cannot be written is refused in the dialog, and snapshots go where it says."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from monitor_app.core.paths import recordings_dir, settings_file, snapshots_dir
from monitor_app.core.recording_preferences import MB, RecordingPreferences
from monitor_app.ui.main_window import MainWindow
from monitor_app.ui.preferences_dialog import PreferencesDialog
from monitor_app.ui.settings import AppSettings
from tests.ui.test_main_window import all_live, pattern_layout


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    win = MainWindow(pattern_layout(count=1), scripted=True)
    qtbot.addWidget(win)
    win.resize(700, 500)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def open_dialog(win: MainWindow, qtbot: QtBot) -> PreferencesDialog:
    win.menus.preferences_action.trigger()
    # The open one: a dialog closed before may wait for its deleteLater.
    (dialog,) = [d for d in win.findChildren(PreferencesDialog) if d.isVisible()]
    return dialog


def press(dialog: PreferencesDialog, button: QDialogButtonBox.StandardButton) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    box.button(button).click()


def stored() -> AppSettings:
    """A second reader of the settings file: what a later run of the app would see."""
    path = settings_file()
    assert path is not None  # the tests' CAMERA_MONITOR_CONFIG_DIR
    return AppSettings(QSettings(str(path), QSettings.Format.IniFormat))


def unwritable(tmp_path: Path) -> Path:
    if os.geteuid() == 0:  # root writes through any mode bits, not into sysfs
        return Path("/sys/camera-monitor-recordings")
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o500)
    return folder / "recordings"


def test_the_defaults_are_the_pictures_and_videos_folders_and_the_issue_s_numbers(
    window: MainWindow, qtbot: QtBot
) -> None:
    dialog = open_dialog(window, qtbot)
    assert Path(dialog.snapshots_folder.text()) == snapshots_dir()
    assert Path(dialog.recordings_folder.text()) == recordings_dir()
    assert (dialog.preroll_seconds.value(), dialog.preroll_mb.value(), dialog.split_minutes.value()) == (10, 64, 15)
    assert stored().recording_preferences() == RecordingPreferences(recordings_dir(), 10.0, 64 * MB, 15.0)
    press(dialog, QDialogButtonBox.StandardButton.Cancel)


def test_ok_saves_every_value_and_the_next_snapshot_goes_to_the_new_folder(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = open_dialog(window, qtbot)
    dialog.snapshots_folder.setText(str(tmp_path / "shots"))  # not there yet: made when first needed
    dialog.recordings_folder.setText(str(tmp_path / "video"))
    dialog.preroll_seconds.setValue(25)
    dialog.preroll_mb.setValue(128)
    dialog.split_minutes.setValue(30)
    press(dialog, QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    again = stored()
    assert again.snapshots_folder() == tmp_path / "shots"
    assert again.recording_preferences() == RecordingPreferences(tmp_path / "video", 25.0, 128 * MB, 30.0)
    applied = window.pipeline.recordings.settings  # told when saved, not read on a timer
    assert (applied.folder, applied.preroll_s, applied.split_s) == (tmp_path / "video", 25.0, 30 * 60)
    assert not (tmp_path / "shots").exists()  # checking it left nothing behind
    qtbot.waitUntil(lambda: all_live(window, frames=2), timeout=15000)
    window.snapshots.save(["cam0"])
    qtbot.waitUntil(lambda: len(list((tmp_path / "shots").glob("*.jpg"))) == 1, timeout=5000)


def test_cancel_keeps_the_old_values(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    before = stored().recording_preferences()
    dialog = open_dialog(window, qtbot)
    dialog.snapshots_folder.setText(str(tmp_path))
    dialog.recordings_folder.setText(str(tmp_path))
    dialog.split_minutes.setValue(200)
    press(dialog, QDialogButtonBox.StandardButton.Cancel)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert stored().recording_preferences() == before
    assert stored().snapshots_folder() == snapshots_dir()
    reopened = open_dialog(window, qtbot)  # shows what is stored, not what was typed
    assert reopened.split_minutes.value() == 15 and Path(reopened.snapshots_folder.text()) == snapshots_dir()
    press(reopened, QDialogButtonBox.StandardButton.Cancel)


@pytest.mark.parametrize("problem", ["unwritable", "a file"])
def test_a_folder_that_cannot_be_written_is_refused_with_a_message_and_nothing_is_saved(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, problem: str
) -> None:
    if problem == "a file":
        (tmp_path / "taken").write_text("a file where the folder would go")
        bad = tmp_path / "taken" / "recordings"
    else:
        bad = unwritable(tmp_path)
    dialog = open_dialog(window, qtbot)
    dialog.recordings_folder.setText(str(bad))
    dialog.preroll_seconds.setValue(5)
    press(dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.isVisible() and dialog.error.isVisible()
    text = dialog.error.text()
    assert text.startswith("Recordings: ") and ("cannot be written" in text or "not a folder" in text), text
    assert stored().recording_preferences() == RecordingPreferences.default()
    dialog.recordings_folder.clear()
    press(dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.isVisible() and "Recordings: choose a folder" in dialog.error.text()
    press(dialog, QDialogButtonBox.StandardButton.Cancel)


def test_ctrl_comma_opens_it_once(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(PreferencesDialog)), timeout=5000)
    window.menus.preferences_action.trigger()  # asked again: the open one comes forward
    assert len([d for d in window.findChildren(PreferencesDialog) if d.isVisible()]) == 1
    assert "Ctrl+," in [key.toString() for key in window.menus.preferences_action.shortcuts()]


def test_stored_values_out_of_range_or_not_numbers_are_read_as_the_nearest_allowed_or_the_default() -> None:
    path = settings_file()
    assert path is not None
    raw = QSettings(str(path), QSettings.Format.IniFormat)
    raw.setValue("recordings/preroll_seconds", "900")
    raw.setValue("recordings/preroll_mb", "lots")
    raw.setValue("recordings/split_minutes", "0")
    raw.sync()
    assert stored().recording_preferences() == RecordingPreferences(recordings_dir(), 60.0, 64 * MB, 1.0)
