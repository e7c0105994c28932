"""A window of its own for one view (View ▸ Open View in New Window): for a second monitor, a kiosk.

It shows the main window's document and decodes through the main window's pipeline: a camera
shown in two windows is received once and decoded once (``CameraPipeline.set_view``). It is not
arranged (that is the main window's wall) but switches views, goes full screen on its own
screen and runs its own tour.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.identity import DISPLAY_NAME
from monitor_app.core.layouts.spec import Layout
from monitor_app.core.layouts.views import show_view, views_of
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.ui.camera_grid import CameraGrid
from monitor_app.ui.full_screen import leave_full_window, toggle_full_screen, window_state_changed
from monitor_app.ui.tour_controls import TourControls


class ViewWindow(QMainWindow):
    """Shows view ``view_title`` of ``document()``; ``present`` after every change of the document."""

    closed = Signal(object)
    """This window closed (itself)."""

    def __init__(
        self,
        number: int,
        document: Callable[[], Layout],
        view_index: int,
        pipeline: CameraPipeline,
        busy: BusyMeter,
    ) -> None:
        super().__init__()
        self.viewer = f"window-{number}"
        self.setObjectName(self.viewer)
        self._document, self._pipeline = document, pipeline
        self.view_index = view_index
        self.view_title = views_of(document())[view_index].title
        self.grid = CameraGrid(busy, self, viewer=self.viewer, arrangeable=False)
        self.setCentralWidget(self.grid)
        menu = self.menuBar().addMenu("&View")
        self._add(menu, "&Next View", lambda: self.step_view(1), "Ctrl+PgDown")
        self._add(menu, "&Previous View", lambda: self.step_view(-1), "Ctrl+PgUp")
        self._add(menu, "&Full Screen", lambda: toggle_full_screen(self), "F11")
        self._add(menu, "Show &Grid", lambda: leave_full_window(self, self.grid), "Esc")
        self.tour = TourControls(self, self.grid, self.shown_layout, self.step_view, self._show_wall, None, menu)
        menu.addSeparator()
        self._add(menu, "&Close Window", self.close, "Ctrl+W")
        self.resize(960, 600)
        self.present()

    def _add(self, menu: QMenu, text: str, slot: Callable[[], object], key: str) -> None:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)  # keys work in full screen, with the menu bar hidden

    def shown_layout(self) -> Layout:
        """The document showing this window's view (found by title: reordering views does not move it)."""
        document = self._document()
        titles = [view.title for view in views_of(document)]
        if self.view_title in titles:
            self.view_index = titles.index(self.view_title)
        else:  # renamed or deleted: the view now at its place
            self.view_index = min(self.view_index, len(titles) - 1)
            self.view_title = titles[self.view_index]
        return show_view(document, self.view_index)

    def present(self) -> None:
        layout = self.shown_layout()
        self.grid.rebuild(layout, self._pipeline)
        self.tour.refresh()
        self.setWindowTitle(f"{self.view_title} — {DISPLAY_NAME}")

    def step_view(self, offset: int) -> None:
        titles = [view.title for view in views_of(self._document())]
        self.view_index = (self.view_index + offset) % len(titles)
        self.view_title = titles[self.view_index]
        self.present()

    def _show_wall(self, wall: Layout | None) -> None:
        self.grid.rebuild(wall or self.shown_layout(), self._pipeline)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.WindowStateChange:
            window_state_changed(self, self.grid, (self.menuBar(),))
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.tour.stop()
        self._pipeline.forget_viewer(self.viewer)
        self.closed.emit(self)
        event.accept()
