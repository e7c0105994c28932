"""Where the wall's direct manipulation meets the layout edits: the grid's drops and corner drags,
empty cells, the tile menu and the camera list, each turned into one undoable ``LayoutEditing`` edit;
and a tile's zoom, kept in the layout (not undoable) by ``ZoomKeeper``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Qt, Slot
from PySide6.QtWidgets import QMainWindow, QMenu

from monitor_app.core.layouts.model import Layout
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.ui.camera_grid import CameraGrid
from monitor_app.ui.camera_list import CameraList
from monitor_app.ui.layout_document import LayoutDocument
from monitor_app.ui.layout_editing import LayoutEditing
from monitor_app.ui.tile_menu import tile_menu
from monitor_app.ui.zoom_keeper import ZoomKeeper


class ArrangingControls(QObject):
    """Wires the grid's gestures and the camera list dock (hidden until asked for, F2) to the edits."""

    def __init__(
        self,
        window: QMainWindow,
        grid: CameraGrid,
        pipeline: CameraPipeline,
        editing: LayoutEditing,
        document: LayoutDocument,
    ) -> None:
        super().__init__(window)
        self._window, self._grid, self._pipeline, self._editing = window, grid, pipeline, editing
        self._layout: Callable[[], Layout] = lambda: document.layout
        self.zoom = ZoomKeeper(grid, document)
        grid.move_requested.connect(editing.move)
        grid.span_requested.connect(editing.span)
        grid.empty_cell_activated.connect(lambda row, column: editing.add_camera((row, column)))
        grid.tile_menu_requested.connect(self.show_tile_menu)
        self.camera_list = CameraList(pipeline.source_description, window)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.camera_list)
        self.camera_list.hide()
        self.camera_list.show_alone_requested.connect(self.show_alone)
        self.tile_menu_extras: list[Callable[[QMenu, str], None]] = []  # more entries (snapshots), after ours

    def show_layout(self, layout: Layout) -> None:
        """After every change of the wall: the camera list lists the same cameras."""
        self.camera_list.show_layout(layout)

    def refresh_health(self) -> None:
        if self.camera_list.isVisible():
            self.camera_list.refresh_health(self._pipeline.health)

    def toggle_camera_list(self) -> None:
        self.camera_list.setVisible(not self.camera_list.isVisible())
        if self.camera_list.isVisible():
            self.camera_list.show_layout(self._layout())
            self.camera_list.refresh_health(self._pipeline.health)

    @Slot(str)
    def show_alone(self, key: str) -> None:
        """Double-click in the camera list: that camera alone; one not on the wall is placed first (undoable)."""
        if key not in self._grid.tiles:
            self._editing.place(key)
        if key in self._grid.tiles and self._grid.full_window_key != key:
            self._grid.toggle_full_window(key)

    @Slot(str, QPoint)
    def show_tile_menu(self, key: str, position: QPoint) -> None:
        cam = next((c for c in self._layout().cameras if c.id == key), None)
        span = (cam.row_span, cam.column_span) if cam else (1, 1)
        menu = tile_menu(self._window, key, span, self._grid, self._pipeline, self._editing)
        for extra in self.tile_menu_extras:
            menu.addSeparator()
            extra(menu, key)
        menu.popup(position)
