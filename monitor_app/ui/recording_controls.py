"""Recording from the window: R on the selected tile, the tile menu, a toolbar button, "Record All Cameras".

The pipeline's ``Recordings`` (``core/recording``) do the work on their own threads; this only starts and
stops them and, twice a second, shows each recording tile's red dot and elapsed time, or why its recording
stopped (a full disk, a folder it may not write), in the tile's badge and once in the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from monitor_app.core.recording.recorder import RecordingSettings
from monitor_app.core.recording.recordings import Recordings
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.ui.camera_grid import CameraGrid
from monitor_app.ui.layout_document import LayoutDocument
from monitor_app.ui.recording_badge import elapsed_text
from monitor_app.ui.settings import AppSettings
from monitor_app.ui.tile_selection import TileSelection
from monitor_app.ui.wall_arranging_controls import ArrangingControls

REFRESH_MS = 500


class RecordingWindow(Protocol):
    """What of the main window the controls use (its parts, named as it names them)."""

    pipeline: CameraPipeline
    document: LayoutDocument
    selection: TileSelection
    grid: CameraGrid
    arranging: ArrangingControls
    settings: AppSettings


class RecordingControls(QObject):
    """The recording actions of one window, and the tiles' recording badges."""

    def __init__(self, window: QMainWindow, menu: QMenu) -> None:
        super().__init__(window)
        parts: RecordingWindow = window  # type: ignore[assignment]
        self._window, self._grid, self._selection, self._document = window, parts.grid, parts.selection, parts.document
        self.recordings: Recordings = parts.pipeline.recordings
        self._settings = parts.settings
        self._apply_preferences()
        self._settings.when_recording_preferences_saved(self._apply_preferences)
        self._told: dict[str, str] = {}  # the failure already said in the status bar, by camera
        menu.addSeparator()
        self.record_action = _action(window, menu, "Start/Stop &Recording", self.toggle_selected, "R")
        self.record_all_action = _action(window, menu, "Record All Ca&meras", self.record_all, "Ctrl+Alt+R")
        self.stop_all_action = _action(window, menu, "Stop All Recordings", self.stop_all, "Ctrl+Alt+Shift+R")
        menu.addAction("Open Recordings Folder").triggered.connect(self._open_folder)
        bar = QToolBar("Recording", window)
        bar.setObjectName("recording-toolbar")  # saveState/restoreState know it by this name
        bar.addAction(self.record_action)
        window.addToolBar(bar)
        self.toolbar = bar
        parts.arranging.tile_menu_extras.append(self.add_to_tile_menu)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(REFRESH_MS)

    def add_to_tile_menu(self, menu: QMenu, key: str) -> None:
        text = "Stop Recording" if self.recordings.recording(key) else "Start Recording"
        menu.addAction(text).triggered.connect(lambda: self.toggle(key))

    # Actions -----------------------------------------------------------------------------------
    @Slot()
    def toggle_selected(self) -> None:
        key = self._selection.current()
        if key is None:
            self._tell("Click a tile first: R starts or stops the selected camera's recording")
            return
        self.toggle(key)

    def toggle(self, key: str) -> None:
        if self.recordings.recording(key):
            self.recordings.stop(key)
            self._tell(f"Stopped recording {self._title(key)}")
        elif self.recordings.start(key):
            self._told.pop(key, None)
            self._tell(f"Recording {self._title(key)} into {self.recordings.settings.folder}")
        self.refresh()

    @Slot()
    def record_all(self, folder: Path | None = None) -> None:
        """Every camera; with ``folder`` (``--record DIR``) also every camera added later."""
        if folder is not None:
            self.recordings.settings.folder = folder
            self.recordings.record_new = folder
        keys = self.recordings.cameras()  # every camera of the layout, on the wall or in the camera list
        started = sum(1 for key in keys if not self.recordings.recording(key) and self.recordings.start(key))
        self._tell(f"Recording {started} more camera(s) into {self.recordings.settings.folder}")
        self.refresh()

    @Slot()
    def stop_all(self) -> None:
        self.recordings.record_new = None
        for key in self.recordings.cameras():
            self.recordings.stop(key)
        self._tell("Stopped every recording")
        self.refresh()

    @Slot()
    def _apply_preferences(self) -> None:
        """Edit ▸ Preferences' folder, pre-roll and split length, as saved (not polled: each read of QSettings
        from the GUI thread is a GIL hand-over, which the wall's decode threads pay for)."""
        chosen = RecordingSettings.from_preferences(self._settings.recording_preferences())
        if chosen != self.recordings.settings:
            self.recordings.apply(chosen)

    def refresh(self) -> None:
        """Each tile's badge: the red dot and elapsed time, or why its recording stopped."""
        for key, tile in self._grid.tiles.items():
            report = self.recordings.report(key)
            text, failed = "", False
            if report is not None and report.elapsed_s is not None:
                text = f"REC {elapsed_text(report.elapsed_s)}"
            elif report is not None and report.error:
                text, failed = report.error, True
                if self._told.get(key) != report.error:
                    self._told[key] = report.error
                    self._tell(f"{self._title(key)}: {report.error}")
            if tile.recording_badge.set(text, failed):
                tile.update()

    # Internals -------------------------------------------------------------------------------
    def _title(self, key: str) -> str:
        return next((c.label for c in self._document.layout.cameras if c.id == key), key)

    def _tell(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 6000)

    @Slot()
    def _open_folder(self) -> None:
        folder = self.recordings.settings.folder
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def _action(window: QMainWindow, menu: QMenu, text: str, slot: Callable[[], None], keys: str) -> QAction:
    action = menu.addAction(text)
    action.setShortcut(QKeySequence(keys))
    action.triggered.connect(lambda: slot())  # not the checked flag as an argument
    window.addAction(action)  # the shortcut works with the menu bar hidden (full screen)
    return action
