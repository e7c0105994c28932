"""The main window: composes the document, the pipeline, the grid, the menus and the timers."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from monitor_app import __version__
from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.identity import DISPLAY_NAME
from monitor_app.core.layouts.adhoc import DiscoveredCameras, add_discovered_camera, without_cameras
from monitor_app.core.layouts.diff import LayoutDiff, diff_layouts
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.files import read_layout
from monitor_app.core.layouts.model import Layout
from monitor_app.core.paths import new_layout_path
from monitor_app.core.pipeline.stats import TileReport, stats_document
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.logging_setup import CONSOLE
from monitor_app.receivers.stats_writer import StatsWriter
from monitor_app.ui.camera_grid import CameraGrid
from monitor_app.ui.layout_document import LayoutDocument
from monitor_app.ui.layout_editing import LayoutEditing
from monitor_app.ui.repaint_pacer import RepaintPacer
from monitor_app.ui.settings import AppSettings
from monitor_app.ui.tile_menu import tile_menu
from monitor_app.ui.window_menus import MenuHandlers, WindowMenus

log = logging.getLogger(__name__)

HEALTH_INTERVAL_MS = 250
STATS_INTERVAL_MS = 1000
FORGET_INTERVAL_MS = 1000  # how often cameras that appeared by themselves are checked for silence


class MainWindow(QMainWindow):
    """One wall of cameras: the layout document shown by a grid of tiles fed by a pipeline."""

    def __init__(
        self,
        layout: Layout,
        layout_path: str | None = None,
        settings: AppSettings | None = None,
        stats_path: str | None = None,
        scripted: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings or AppSettings()
        self.scripted = scripted
        self.busy = BusyMeter()
        self.started = time.monotonic()
        self._shut_down = False
        self.document = LayoutDocument(layout, layout_path, self.show_error)
        self.document.changed.connect(self._update_title)
        self.document.saved.connect(self._remember_recent)
        self._discovered = DiscoveredCameras()  # cameras that appeared by themselves, not placed by the user
        self._pacer = RepaintPacer(self._repaint_ready_tiles, parent=self)
        self.pipeline = CameraPipeline(parent=self)
        self.pipeline.frames_ready.connect(self._pacer.frames_ready)
        self.pipeline.camera_discovered.connect(self._on_camera_discovered)
        self.grid = CameraGrid(self.busy, self)
        self.setCentralWidget(self.grid)
        self.grid.tile_menu_requested.connect(self._show_tile_menu)
        self.editing = LayoutEditing(self, lambda: self.document.layout, self.grid.selected_key, self.replace_layout)
        self.menus = WindowMenus(self, self._menu_handlers())
        self.menus.show_recent(self.settings.recent_layouts())
        self._stats_writer = StatsWriter(stats_path) if stats_path else None
        self._show(diff_layouts(None, layout))
        self._timers = [
            self._timer(HEALTH_INTERVAL_MS, self._refresh_health),
            self._timer(FORGET_INTERVAL_MS, self._forget_silent_cameras),
        ]
        if self._stats_writer is not None:
            self._timers.append(self._timer(STATS_INTERVAL_MS, self._submit_stats))
        geometry = self.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 760)
        self._update_title()

    # The document, for callers and tests --------------------------------------------------
    @property
    def layout_model(self) -> Layout:
        return self.document.layout

    @property
    def layout_path(self) -> str | None:
        return self.document.path

    @property
    def modified(self) -> bool:
        return self.document.modified

    # Layout --------------------------------------------------------------------------------
    def replace_layout(self, layout: Layout, modified: bool = True) -> None:
        """Switch to an edited layout, restarting only what changed; ``modified``: the user's edit."""
        diff = diff_layouts(self.document.layout, layout)
        if modified:
            self._discovered.edited(self.document.layout, layout)
        self.document.edited(layout, modified)
        self._show(diff)

    def open_layout_file(self, path: str) -> bool:
        try:
            layout = read_layout(path)
        except LayoutError as exc:
            self.show_error("Cannot open layout", f"{path} was not opened:\n\n" + "\n".join(map(str, exc.problems)))
            return False
        if not self._confirm_discard():
            return False
        diff = diff_layouts(self.document.layout, layout, fresh=True)
        self.document.opened(layout, path)
        self._discovered = DiscoveredCameras()  # every camera of an opened file is placed
        self._show(diff)
        self._remember_recent(path)
        return True

    def _show(self, diff: LayoutDiff) -> None:
        self.pipeline.apply(diff)
        self.grid.rebuild(self.document.layout, self.pipeline)

    def save_layout(self, path: str | None = None, wait: bool = False) -> bool:
        """Save in the background (the wall keeps painting while the disk syncs); True once started.

        ``wait``: block until the file is written (closing the window) and say whether it was.
        """
        target = path or self.document.path
        if not target:
            return self.save_layout_as(wait)
        return self.document.save(target, wait)

    def save_layout_as(self, wait: bool = False) -> bool:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save layout", self.document.path or str(new_layout_path()), "Layouts (*.json)"
        )
        return bool(path) and self.save_layout(path if path.endswith(".json") else path + ".json", wait)

    def _open_layout_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open layout", str(Path(self.document.path or new_layout_path()).parent), "Layouts (*.json)"
        )
        if path:
            self.open_layout_file(path)

    @Slot(str)
    def _remember_recent(self, path: str) -> None:
        self.settings.add_recent_layout(path)
        self.menus.show_recent(self.settings.recent_layouts())

    # Menus ---------------------------------------------------------------------------------
    def _menu_handlers(self) -> MenuHandlers:
        return MenuHandlers(
            open_layout=self._open_layout_dialog,
            save_layout=lambda: self.save_layout(),
            save_layout_as=self.save_layout_as,
            quit=self.close,
            add_camera=self.editing.add_camera,
            edit_camera=self.editing.edit_selected_camera,
            remove_camera=self.editing.remove_selected_camera,
            grid_size=self.editing.choose_grid_size,
            full_screen=self.toggle_full_screen,
            show_grid=self._leave_full_window,
            about=self._about,
            open_recent=self.open_layout_file,
        )

    @Slot(str, QPoint)
    def _show_tile_menu(self, key: str, position: QPoint) -> None:
        tile_menu(self, key, self.grid, self.pipeline, self.editing).popup(position)

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def _leave_full_window(self) -> None:
        if self.grid.full_window_key:
            self.grid.toggle_full_window(self.grid.full_window_key)
        elif self.isFullScreen():
            self.showNormal()

    def _about(self) -> None:
        QMessageBox.about(
            self, f"About {DISPLAY_NAME}", f"{DISPLAY_NAME} {__version__}\nA desktop wall of live cameras."
        )

    # Timers and pipeline signals -----------------------------------------------------------
    def _timer(self, interval_ms: int, slot: object) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        timer.start()
        return timer

    def _repaint_ready_tiles(self) -> None:
        with self.busy.measure():
            self.grid.take_new_frames(self.pipeline.take_ready())

    def _refresh_health(self) -> None:
        with self.busy.measure():
            self.grid.refresh_health(self.pipeline.connection_health())

    @Slot(str, str)
    def _on_camera_discovered(self, connection_id: str, name: str) -> None:
        """A new name's first frame decoded: its tile shows that frame (not marked as a user edit)."""
        with self.busy.measure():
            layout = self.document.layout
            cam = add_discovered_camera(layout, connection_id, name)
            if cam is None:
                log.warning("no tile for new camera %r on %s: the grid is full", name, connection_id)
                self.pipeline.decline_camera(connection_id, name)
                return
            self.pipeline.add_camera(cam)
            self._discovered.added(cam.id, time.monotonic())
            self.grid.rebuild(layout, self.pipeline)
            log.info("new camera %r on %s", name, connection_id)

    def _forget_silent_cameras(self) -> None:
        """Cameras that appeared by themselves and stopped for good leave the wall (not a user edit)."""
        gone = self._discovered.take_silent(self.pipeline.frame_age, time.monotonic())
        if gone:
            log.info("camera(s) %s silent for too long: removed from the wall", ", ".join(gone))
            self.replace_layout(without_cameras(self.document.layout, gone), modified=False)

    def tile_reports(self) -> list[TileReport]:
        reports = []
        for cam in self.document.layout.cameras:
            health = self.pipeline.health(cam.id)
            if health is not None:
                source = self.pipeline.source_description(cam.connection)
                reports.append(TileReport(cam.label, source, cam.connection, cam.name, health))
        return reports

    def stats(self) -> dict[str, object]:
        return stats_document(
            self.tile_reports(), self.pipeline.connection_stats(), time.monotonic() - self.started, self.busy.fraction()
        )

    def _submit_stats(self) -> None:
        if self._stats_writer is not None:
            self._stats_writer.submit(self.stats())

    # Window events -------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.WindowStateChange:
            self.grid.set_window_visible(not self.isMinimized())
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._confirm_discard():
            event.ignore()
            return
        self.settings.set_geometry(self.saveGeometry())
        self.settings.sync()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """The one shutdown path: stop timers, join every thread, write the last stats."""
        if self._shut_down:
            return
        self._shut_down = True
        self._pacer.stop()
        for timer in self._timers:
            timer.stop()
        final = self.stats() if self._stats_writer is not None else None
        started = time.monotonic()
        if not self.pipeline.stop():
            log.error("threads still running after shutdown: %s", ", ".join(self.pipeline.stragglers()))
        if self._stats_writer is not None:
            self._stats_writer.close(final)
        self.document.close()
        log.info("all threads stopped in %.2f s", time.monotonic() - started, extra=CONSOLE)

    def _confirm_discard(self) -> bool:
        if not self.document.modified or self.scripted:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved layout",
            "The layout has unsaved changes. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save_layout(wait=True)
        return answer == QMessageBox.StandardButton.Discard

    def show_error(self, title: str, text: str) -> None:
        """Log a problem and, unless the run is scripted, tell the user in a dialog."""
        log.warning("%s: %s", title, text)
        if not self.scripted:
            QMessageBox.warning(self, title, text)

    @Slot()
    def _update_title(self) -> None:
        self.setWindowTitle(self.document.window_title())
