"""The main window: menus, the camera grid, timers that repaint and refresh health."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox, QWidget

from monitor_app import __version__
from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.layouts.adhoc import add_discovered_camera
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.files import read_layout
from monitor_app.core.layouts.model import Layout
from monitor_app.core.pipeline.stats import TileReport, stats_document
from monitor_app.receivers.layout_saver import LayoutSaver
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.receivers.stats_writer import StatsWriter
from monitor_app.ui.camera_grid import CameraGrid
from monitor_app.ui.layout_editing import LayoutEditing
from monitor_app.ui.settings import AppSettings

log = logging.getLogger(__name__)

REPAINT_INTERVAL_MS = 16  # at most one repaint per display refresh (~60 Hz)
HEALTH_INTERVAL_MS = 250
STATS_INTERVAL_MS = 1000
SAVE_WAIT_S = 10.0  # closing with Save waits this long for the disk


class MainWindow(QMainWindow):
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
        self.layout_model = layout
        self.layout_path = layout_path
        self.modified = False
        # Repaints are paced, not polled: the first frame after a repaint schedules the next
        # one at most REPAINT_INTERVAL_MS after the last, so a wall with nothing new wakes nobody.
        self._repaint_timer = QTimer(self)
        self._repaint_timer.setSingleShot(True)
        self._repaint_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._repaint_timer.timeout.connect(self._repaint_ready_tiles)
        self._last_repaint = 0.0
        self._saver = LayoutSaver(self)
        self._saver.finished.connect(self._on_saved)
        self._saves: dict[int, int] = {}  # save ticket -> the edit count it saved
        self._edits = 0
        self._shut_down = False
        self.pipeline = CameraPipeline(parent=self)
        self.pipeline.frames_ready.connect(self._on_frames_ready)
        self.pipeline.camera_discovered.connect(self._on_camera_discovered)
        self.grid = CameraGrid(self.busy, self)
        self.setCentralWidget(self.grid)
        self.editing = LayoutEditing(self)
        self.grid.tile_menu_requested.connect(self._show_tile_menu)
        self._build_menus()
        self._stats_writer = StatsWriter(stats_path) if stats_path else None
        self._start_layout(layout)
        self._timers = [self._repaint_timer, self._timer(HEALTH_INTERVAL_MS, self._refresh_health)]
        if self._stats_writer is not None:
            self._timers.append(self._timer(STATS_INTERVAL_MS, self._submit_stats))
        geometry = self.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 760)
        self._update_title()

    def _timer(self, interval_ms: int, slot: object, kind: Qt.TimerType = Qt.TimerType.CoarseTimer) -> QTimer:
        timer = QTimer(self)
        timer.setTimerType(kind)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        timer.start()
        return timer

    # Layout --------------------------------------------------------------------------------
    def _start_layout(self, layout: Layout) -> None:
        self.layout_model = layout
        self.pipeline.apply_layout(layout)
        self.grid.rebuild(layout, self.pipeline)

    def replace_layout(self, layout: Layout, modified: bool = True) -> None:
        """Switch to an edited layout, restarting only the connections that changed."""
        old = {c.id: c for c in self.layout_model.connections}
        new = {c.id: c for c in layout.connections}
        restarted = {cid for cid, spec in old.items() if new.get(cid) != spec}
        for cid in restarted:
            self.pipeline.stop_connection(cid)
        # Unchanged cameras on unchanged connections keep their feed (and counters), even when moved.
        same_stream = {(c.id, c.connection, c.name) for c in self.layout_model.cameras}
        kept = {
            c.id
            for c in layout.cameras
            if (c.id, c.connection, c.name) in same_stream and c.connection not in restarted
        }
        for cam in self.layout_model.cameras:
            if cam.id not in kept:
                self.pipeline.remove_camera(cam.id)
        for cid, spec in new.items():
            if cid in restarted or cid not in old:
                self.pipeline.start_connection(spec, [c for c in layout.cameras if c.connection == cid])
        for cam in layout.cameras:
            if cam.id not in kept:
                self.pipeline.add_camera(cam)
        self.layout_model = layout
        self.grid.rebuild(layout, self.pipeline)
        self.modified = self.modified or modified
        self._edits += 1
        self._update_title()

    def open_layout_file(self, path: str) -> bool:
        try:
            layout = read_layout(path)
        except LayoutError as exc:
            self.show_error("Cannot open layout", f"{path} was not opened:\n\n" + "\n".join(map(str, exc.problems)))
            return False
        if not self._confirm_discard():
            return False
        self._restart_with(layout)
        self.layout_path = path
        self.modified = False
        self.settings.add_recent_layout(path)
        self._rebuild_recent_menu()
        self._update_title()
        return True

    def _restart_with(self, layout: Layout) -> None:
        self.pipeline.stop()
        self.pipeline.deleteLater()
        self.pipeline = CameraPipeline(parent=self)
        self.pipeline.frames_ready.connect(self._on_frames_ready)
        self.pipeline.camera_discovered.connect(self._on_camera_discovered)
        self._start_layout(layout)

    def save_layout(self, path: str | None = None, wait: bool = False) -> bool:
        """Save in the background (the wall keeps painting while the disk syncs); True once started.

        ``wait``: block until the file is written (closing the window) and say whether it was.
        """
        target = path or self.layout_path
        if not target:
            return self.save_layout_as(wait)
        ticket = self._saver.save(self.layout_model, target)
        self._saves[ticket] = self._edits
        if not wait:
            return True
        error = self._saver.wait(ticket, SAVE_WAIT_S)
        if error is None:
            error = f"the disk did not finish writing within {SAVE_WAIT_S:.0f} s"
        self._on_saved(ticket, target, error)
        return not error

    def save_layout_as(self, wait: bool = False) -> bool:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save layout", self.layout_path or "layout.json", "Layouts (*.json)"
        )
        return bool(path) and self.save_layout(path if path.endswith(".json") else path + ".json", wait)

    @Slot(int, str, str)
    def _on_saved(self, ticket: int, path: str, error: str) -> None:
        edits_saved = self._saves.pop(ticket, None)
        if edits_saved is None:  # already handled by a waiting save
            return
        if error:
            self.show_error("Cannot save layout", f"{path} was not saved (the previous file is unchanged):\n\n{error}")
            return
        self.layout_path = path
        self.modified = self.modified and edits_saved != self._edits  # edited again while it was saving
        self.settings.add_recent_layout(path)
        self._rebuild_recent_menu()
        self._update_title()

    def _open_layout_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open layout", str(Path(self.layout_path or ".").parent), "Layouts (*.json)"
        )
        if path:
            self.open_layout_file(path)

    # Menus ---------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&Open Layout…", self._open_layout_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self._action(file_menu, "&Save Layout", lambda: self.save_layout(), QKeySequence.StandardKey.Save)
        self._action(file_menu, "Save Layout &As…", self.save_layout_as, QKeySequence.StandardKey.SaveAs)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        edit_menu = self.menuBar().addMenu("&Layout")
        self._action(edit_menu, "&Add Camera…", self.editing.add_camera, QKeySequence("Ctrl+N"))
        self._action(edit_menu, "&Edit Camera…", self.editing.edit_selected_camera, QKeySequence("Ctrl+E"))
        self._action(edit_menu, "&Remove Camera", self.editing.remove_selected_camera, QKeySequence.StandardKey.Delete)
        edit_menu.addSeparator()
        self._action(edit_menu, "&Grid Size…", self.editing.choose_grid_size, QKeySequence("Ctrl+G"))
        view_menu = self.menuBar().addMenu("&View")
        self._action(view_menu, "&Full Screen", self.toggle_full_screen, QKeySequence.StandardKey.FullScreen)
        self._action(view_menu, "Show &Grid", self._leave_full_window, QKeySequence(Qt.Key.Key_Escape))
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About", self._about)
        self._rebuild_recent_menu()

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_layouts()
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_layout_file(p))
        self.recent_menu.setEnabled(bool(recent))

    @Slot(str, QPoint)
    def _show_tile_menu(self, key: str, position: QPoint) -> None:
        menu = QMenu(self)
        alone = "Back to Grid" if self.grid.full_window_key == key else "Show Alone"
        menu.addAction(alone).triggered.connect(lambda: self.grid.toggle_full_window(key))
        feed = self.pipeline.feed(key)
        if feed is not None and feed.health.connection.retry_at is not None:
            menu.addAction("Reconnect Now").triggered.connect(feed.health.connection.retry_now)
        menu.addSeparator()
        menu.addAction("Edit Camera…").triggered.connect(self.editing.edit_selected_camera)
        menu.addAction("Remove Camera").triggered.connect(self.editing.remove_selected_camera)
        menu.popup(position)

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def _leave_full_window(self) -> None:
        if self.grid.full_window_key:
            self.grid.toggle_full_window(self.grid.full_window_key)
        elif self.isFullScreen():
            self.showNormal()

    def _about(self) -> None:
        QMessageBox.about(
            self, "About Camera Monitor", f"Camera Monitor {__version__}\nA desktop wall of live cameras."
        )

    # Timers and pipeline signals -----------------------------------------------------------
    @Slot()
    def _on_frames_ready(self) -> None:
        if self._repaint_timer.isActive() or self._shut_down:
            return
        since_ms = (time.monotonic() - self._last_repaint) * 1000.0
        self._repaint_timer.start(max(0, round(REPAINT_INTERVAL_MS - since_ms)))

    def _repaint_ready_tiles(self) -> None:
        with self.busy.measure():
            self._last_repaint = time.monotonic()
            for key in self.pipeline.take_ready():
                tile = self.grid.tiles.get(key)
                if tile is not None:
                    tile.take_new_frame()

    def _refresh_health(self) -> None:
        with self.busy.measure():
            for tile in self.grid.tiles.values():
                if tile.isVisible():
                    tile.set_health(tile.feed.health.snapshot())

    @Slot(str, str)
    def _on_camera_discovered(self, connection_id: str, name: str) -> None:
        with self.busy.measure():
            cam = add_discovered_camera(self.layout_model, connection_id, name)
            if cam is None:
                log.warning("no free cell for new camera %r on %s: the grid is full", name, connection_id)
                return
            self.pipeline.add_camera(cam)
            self.grid.rebuild(self.layout_model, self.pipeline)
            log.info("new camera %r on %s", name, connection_id)

    def tile_reports(self) -> list[TileReport]:
        reports = []
        for cam in self.layout_model.cameras:
            feed = self.pipeline.feed(cam.id)
            if feed is not None:
                source = self.pipeline.source_description(cam.connection)
                reports.append(TileReport(cam.label, source, cam.connection, cam.name, feed.health.snapshot()))
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
        for timer in self._timers:
            timer.stop()
        final = self.stats() if self._stats_writer is not None else None
        started = time.monotonic()
        self.pipeline.stop()
        if self._stats_writer is not None:
            self._stats_writer.close(final)
        self._saver.stop()
        log.info("all threads stopped in %.2f s", time.monotonic() - started)

    def _confirm_discard(self) -> bool:
        if not self.modified or self.scripted:
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

    def _update_title(self) -> None:
        name = Path(self.layout_path).name if self.layout_path else (self.layout_model.title or "Untitled")
        self.setWindowTitle(f"{'*' if self.modified else ''}{name} — Camera Monitor")
