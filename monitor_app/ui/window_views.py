"""The main window's views, composed: the tabs and view edits, its tour, and the views in other windows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.layouts.spec import Layout
from monitor_app.core.layouts.views import set_pinned
from monitor_app.core.tour import TourMode
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.ui.camera_grid import CameraGrid
from monitor_app.ui.tour_controls import TourControls
from monitor_app.ui.view_controls import ViewControls
from monitor_app.ui.wall_arranging_controls import ArrangingControls
from monitor_app.ui.wall_messages import ConnectionHealth
from monitor_app.ui.wall_windows import WallWindows, place_window, start_tour


class ViewsHost(Protocol):
    """What of the main window the views use."""

    grid: CameraGrid
    pipeline: CameraPipeline
    busy: BusyMeter
    arranging: ArrangingControls

    @property
    def layout_model(self) -> Layout: ...

    def edit_layout(self, layout: Layout, text: str = ...) -> None: ...

    def replace_layout(self, layout: Layout, modified: bool = ...) -> None: ...


class WindowViews:
    """Installed once by the main window; ``present`` after every change of what it shows."""

    def __init__(self, window: QMainWindow, host: ViewsHost, menu: QMenu, tell: Callable[[str], None]) -> None:
        self._host = host

        def layout() -> Layout:
            return host.layout_model

        self.controls = ViewControls(
            window, layout, lambda shown: host.replace_layout(shown, modified=False), host.edit_layout, menu, tell
        )
        self.tour = TourControls(window, host.grid, layout, self.controls.step, self._show_wall, host.edit_layout, menu)
        self.windows = WallWindows(window, host.grid, lambda: self.tour, layout, host.pipeline, host.busy)
        menu.addSeparator()
        action = QAction("Open View in New &Window", window)
        action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        action.triggered.connect(lambda: self.windows.open_view())
        menu.addAction(action)
        window.addAction(action)
        self.toolbar = self.controls.toolbar
        host.arranging.tile_menu_extras.append(self.add_to_tile_menu)

    def add_to_tile_menu(self, menu: QMenu, key: str) -> None:
        layout = self._host.layout_model
        cam = next((c for c in layout.cameras if c.id == key and c.placed), None)
        if cam is None:
            return
        pin = menu.addAction("Pin in This View")
        pin.setCheckable(True)
        pin.setChecked(cam.pinned)
        pin.setToolTip("Stays where it is while a tour of this view's cameras cycles the others")
        pin.triggered.connect(
            lambda on: self._host.edit_layout(set_pinned(layout, key, on), "Pin Tile" if on else "Unpin Tile")
        )

    def _show_wall(self, wall: Layout | None) -> None:
        self._host.grid.rebuild(wall or self._host.layout_model, self._host.pipeline)

    def present(self, layout: Layout) -> None:
        self.controls.show(layout)
        self.windows.present()
        self.tour.refresh()

    def tick(self, connections: list[ConnectionHealth]) -> None:
        self.tour.tick()
        self.windows.refresh_health(connections)

    def restore(self, window: QMainWindow, session: list[dict[str, Any]], tour_seconds: float | None) -> bool:
        """Before the main window shows: its view, screen, place and tour, and the other windows of ``session``;
        True when the main window was full screen."""
        self.windows.restore(session, self.controls.show_view)
        if session:
            place_window(window, session[0])
            start_tour(self.tour, session[0])
        if tour_seconds is not None:
            self.tour.start(TourMode.VIEWS, tour_seconds)
        return bool(session and session[0].get("full_screen"))

    def session(self) -> list[dict[str, Any]]:
        return self.windows.session()

    def close(self) -> None:
        self.tour.stop()
        self.windows.close_all()
