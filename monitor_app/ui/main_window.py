"""The main window: composes the document, the pipeline, the grid, the menus and the timers."""

from __future__ import annotations

import logging
import time
from functools import partial

from PySide6.QtCore import QEvent, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.layouts.diff import LayoutDiff, diff_layouts
from monitor_app.core.layouts.model import Layout
from monitor_app.core.pipeline.stats import stats_document
from monitor_app.logging_setup import CONSOLE
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.receivers.stats_writer import StatsWriter
from monitor_app.ui.camera_grid import CameraGrid
from monitor_app.ui.discovered_tiles import DiscoveredTiles
from monitor_app.ui.full_screen import leave_full_window, toggle_full_screen, window_state_changed
from monitor_app.ui.grid_presets import add_preset_toolbar, preset_actions
from monitor_app.ui.layout_document import LayoutDocument
from monitor_app.ui.layout_editing import LayoutEditing
from monitor_app.ui.layout_history import LayoutHistory
from monitor_app.ui.recording_controls import RecordingControls
from monitor_app.ui.recovery_copy import RecoveryCopy
from monitor_app.ui.repaint_pacer import RepaintPacer, repeating_timer
from monitor_app.ui.settings import AppSettings
from monitor_app.ui.shortcuts_sheet import ShortcutsSheet
from monitor_app.ui.snapshot_controls import SnapshotControls
from monitor_app.ui.tile_selection import TileSelection
from monitor_app.ui.wall_arranging_controls import ArrangingControls
from monitor_app.ui.web_view import WebView
from monitor_app.ui.window_files import WindowFiles
from monitor_app.ui.window_menus import MenuHandlers, WindowMenus, show_about
from monitor_app.ui.window_views import WindowViews

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
        self._unattended = False  # told to quit (SIGTERM): nobody may be asked anything
        self.document = LayoutDocument(layout, layout_path, self.show_error)
        self.document.changed.connect(self._update_title)
        self.document.saved.connect(self._remember_recent)
        self.history = LayoutHistory(self._show_edited, self)
        self.history.stack.cleanChanged.connect(lambda clean: self.document.set_modified(not clean))
        self.files = WindowFiles(self, self.document, self._show_opened, self.show_error, scripted)
        self.recovery = RecoveryCopy(self.document)
        self._pacer = RepaintPacer(self._repaint_ready_tiles, parent=self)
        self.pipeline = CameraPipeline(parent=self)
        self.pipeline.frames_ready.connect(self._pacer.frames_ready)
        self.grid = CameraGrid(self.busy, self)
        quietly = partial(self.replace_layout, modified=False)  # the app's own change: not undoable, not unsaved
        self.discovered = DiscoveredTiles(
            lambda: self.document.layout, self.pipeline, self._present, quietly, self.busy, self
        )
        self.setCentralWidget(self.grid)
        self.selection = TileSelection(self.grid)
        self.editing = LayoutEditing(
            self, lambda: self.document.layout, self.selected_camera, self.edit_layout, self._tell_briefly
        )
        self.arranging = ArrangingControls(self, self.grid, self.pipeline, self.editing, self.document)
        self.menus = WindowMenus(self, self._menu_handlers())
        self.arranging.camera_list.visibilityChanged.connect(self.menus.camera_list_action.setChecked)
        self.presets = add_preset_toolbar(
            self, self.menus.presets_menu, preset_actions(self, self.editing.apply_preset)
        )
        self.views = WindowViews(self, self, self.menus.view_menu, self._tell_briefly)
        self.menus.show_recent(self.settings.recent_layouts())
        self.snapshots = SnapshotControls(self, self.pipeline, self.document, self.selection, self.menus.camera_menu)
        self.snapshots.folder = self.settings.snapshots_folder  # Edit ▸ Preferences chooses it
        self.arranging.tile_menu_extras.append(self.snapshots.add_to_tile_menu)
        self.recording = RecordingControls(self, self.menus.camera_menu)  # R, Record All, the tiles' red dot
        self.web = WebView(self.document, self.pipeline, self.stats, self.menus.open_in_browser_action, self)
        self._stats_writer = StatsWriter(stats_path) if stats_path else None
        self._show(diff_layouts(None, layout))
        self._timers = [
            repeating_timer(self, HEALTH_INTERVAL_MS, self._refresh_health),
            repeating_timer(self, FORGET_INTERVAL_MS, self.discovered.forget_silent),
            *([repeating_timer(self, STATS_INTERVAL_MS, self._submit_stats)] if self._stats_writer else []),
        ]
        if (geometry := self.settings.geometry()) is None or not self.restoreGeometry(geometry):
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
    def edit_layout(self, layout: Layout, text: str = "Edit Layout") -> None:
        """The user's edit: shown, restarting only what changed, and undoable (Edit ▸ Undo)."""
        self.history.record(self.document.layout, layout, text)

    def replace_layout(self, layout: Layout, modified: bool = True) -> None:
        """Switch to ``layout``: the user's (undoable) edit, or with ``modified`` False a change the app
        made itself (a camera that appeared or left), which is neither undoable nor unsaved."""
        if modified:
            self.edit_layout(layout)
            return
        diff = diff_layouts(self.document.layout, layout)
        self.document.edited(layout, modified=False)
        self._show(diff)

    def _show_edited(self, layout: Layout) -> None:
        """An edit, its undo or its redo, on the wall."""
        diff = diff_layouts(self.document.layout, layout)
        self.discovered.edited(self.document.layout, layout)
        self.document.edited(layout)
        self._show(diff)
        self.selection.restore()

    def selected_camera(self) -> str | None:
        return self.selection.current()

    def open_layout_file(self, path: str) -> bool:
        return self.files.open_file(path)

    def _show_opened(self, layout: Layout, path: str | None, recovered: bool = False) -> None:
        diff = diff_layouts(self.document.layout, layout, fresh=True)
        self.document.opened(layout, path)
        self.history.forget()
        if recovered:  # unsaved changes brought back: no undo step leads to what the file holds
            self.document.set_modified(True)
            self.history.stack.resetClean()
        self.discovered.reset()
        self._show(diff)
        if path and not recovered:
            self._remember_recent(path)

    def restore_session(self, tour_seconds: float | None = None) -> bool:
        """Before showing: the windows, views, screens and tours the last run on this layout left; True when
        this window was full screen. ``tour_seconds`` (``--tour``) tours the views whatever it says."""
        return self.views.restore(self, self.settings.session(self.document.path), tour_seconds)

    def offer_recovery(self) -> bool:
        """After a crash: offer the unsaved changes the last run left (called once the window shows)."""
        return self.recovery.offer(self, lambda layout, path: self._show_opened(layout, path, recovered=True))

    def _show(self, diff: LayoutDiff) -> None:
        self.pipeline.apply(diff)
        self._present(self.document.layout)

    def _present(self, layout: Layout) -> None:
        """The wall and the camera list show ``layout`` (its feeds are in the pipeline already)."""
        self.grid.rebuild(layout, self.pipeline)
        self.arranging.show_layout(layout)
        self.views.present(layout)

    def save_layout(self, path: str | None = None, wait: bool = False) -> bool:
        """Save in the background; ``wait``: block until written and say whether it was (see WindowFiles)."""
        return self.files.save(path, wait)

    @Slot(str)
    def _remember_recent(self, path: str) -> None:
        if not self.document.modified:  # the file holds what the wall shows: undo's clean point
            self.history.saved()
        self.settings.add_recent_layout(path)
        self.menus.show_recent(self.settings.recent_layouts())

    # Menus ---------------------------------------------------------------------------------
    def _menu_handlers(self) -> MenuHandlers:
        return MenuHandlers(
            open_layout=self.files.open_dialog,
            save_layout=lambda: self.save_layout(),
            save_layout_as=self.files.save_as,
            undo_stack=self.history.stack,
            quit=self.close,
            add_camera=self.editing.add_camera,
            edit_camera=self.editing.edit_selected_camera,
            remove_camera=self.editing.remove_selected_camera,
            grid_size=self.editing.choose_grid_size,
            full_screen=lambda: toggle_full_screen(self),
            show_grid=lambda: leave_full_window(self, self.grid),
            camera_list=lambda: self.arranging.toggle_camera_list(),
            shortcuts=lambda: ShortcutsSheet(self).exec(),
            about=lambda: show_about(self),
            open_recent=self.open_layout_file,
            settings=self.settings,
        )

    def _tell_briefly(self, text: str) -> None:
        """A passing note in the status bar (what an edit did, how to undo it)."""
        self.statusBar().showMessage(text, 6000)

    # Timers and pipeline signals -----------------------------------------------------------
    def _repaint_ready_tiles(self) -> None:
        with self.busy.measure():
            self.views.windows.take_new_frames(self.pipeline.take_ready())

    def _refresh_health(self) -> None:
        with self.busy.measure():
            connections = self.pipeline.connection_health()
            self.grid.refresh_health(connections)
            self.arranging.refresh_health()
            self.views.tick(connections)

    def stats(self) -> dict[str, object]:
        shown = self.views.windows.shown_cameras()  # on a wall of some window; the others are not decoded
        return stats_document(
            self.pipeline.tile_reports(c for c in self.document.layout.cameras if c.id in shown),
            self.pipeline.connection_stats(),
            time.monotonic() - self.started,
            self.busy.fraction(),
            windows=self.views.windows.stats(),
            hidden=self.pipeline.tile_reports(c for c in self.document.layout.cameras if c.id not in shown),
        )

    def _submit_stats(self) -> None:
        if self._stats_writer is not None:
            self._stats_writer.submit(self.stats())

    # Window events -------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.WindowStateChange:
            window_state_changed(self, self.grid, (self.menuBar(), self.presets, self.views.toolbar))
        super().changeEvent(event)

    def close_unattended(self) -> None:
        """SIGTERM (logging out, ``kill``): close without a question; unsaved changes stay in the recovery
        copy, offered at the next start."""
        self._unattended = True
        self.recovery.save_now()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._unattended:
            if not self.files.confirm_discard():
                event.ignore()
                return
            self.recovery.discard()  # saved or given up: nothing to recover
        self.settings.set_geometry(self.saveGeometry())
        self.settings.set_session(self.document.path, self.views.session())
        self.settings.sync()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """The one shutdown path: stop timers, join every thread, write the last stats."""
        if self._shut_down:
            return
        self._shut_down = True
        self._pacer.stop()
        self.recovery.stop()
        for timer in self._timers:
            timer.stop()
        final = self.stats() if self._stats_writer is not None else None
        started = time.monotonic()
        self.views.close()
        self.web.stop()  # before the feeds its clients read from go
        self.snapshots.stop()
        if not self.pipeline.stop():
            log.error("threads still running after shutdown: %s", ", ".join(self.pipeline.stragglers()))
        if self._stats_writer is not None:
            self._stats_writer.close(final)
        self.document.close()
        log.info("all threads stopped in %.2f s", time.monotonic() - started, extra=CONSOLE)

    def show_error(self, title: str, text: str) -> None:
        """Log a problem and, unless the run is scripted, tell the user in a dialog."""
        log.warning("%s: %s", title, text)
        if not self.scripted:
            QMessageBox.warning(self, title, text)

    @Slot()
    def _update_title(self) -> None:
        self.setWindowTitle(self.document.window_title())
