"""The wall: tiles placed in a grid by the layout, one of them optionally full-window.

What no tile shows is said in words: a wall without tiles names each connection's state, its
error and the malformed messages it refused; a wall with tiles shows a slim banner above them
for a connection that failed and has no tile of its own (a hub whose port is taken); wall_messages
words them. Tiles are arranged by hand (wall_arranging): dragged onto another cell or tile, spanned by
their bottom-right corner; an empty cell double- or right-clicked asks for a camera there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPalette,
)
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.layouts.arrange import reading_order
from monitor_app.core.layouts.model import Layout
from monitor_app.core.sources.region import Region
from monitor_app.receivers.display_frame import DisplayFrame
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.receivers.view_requests import MAIN_VIEWER
from monitor_app.ui.camera_tile import CameraTile
from monitor_app.ui.grid_keys import grid_key
from monitor_app.ui.wall_arranging import WallArranging
from monitor_app.ui.wall_messages import (
    FAILED,
    ConnectionHealth,
    connection_text,
    empty_wall_text,
    plain_label,
    set_text,
)


class CameraGrid(QWidget):
    """The tiles of a layout in a grid of equal cells; one of them may be shown alone."""

    tile_menu_requested = Signal(str, QPoint)
    """Right-click on a tile: (tile key, global position)."""
    move_requested = Signal(str, int, int)
    """A camera (a tile, or a row of the camera list) dropped on a cell: (camera id, row, column); on a
    tile, that tile's first cell. For ``arrange.move_camera``, which moves, swaps or places it."""
    span_requested = Signal(str, int, int)
    """A tile's bottom-right corner dragged: (camera id, row span, column span), for ``arrange.set_span``."""
    empty_cell_activated = Signal(int, int)
    """Double-click or right-click on a cell no tile covers: (row, column)."""
    zoom_changed = Signal(str)
    """A tile's digital zoom changed (camera id), or differs from the layout just shown: see ``ZoomKeeper``."""

    def __init__(
        self, busy: BusyMeter, parent: QWidget | None = None, viewer: str = MAIN_VIEWER, arrangeable: bool = True
    ) -> None:
        super().__init__(parent)
        self._busy = busy
        self.viewer = viewer  # which window's wall, for CameraPipeline.set_view
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = plain_label(self, "background: #4a1414; color: #f4d4d4; padding: 3px 8px;")
        self.banner.hide()
        outer.addWidget(self.banner)
        self._grid = QGridLayout()
        outer.addLayout(self._grid, 1)
        self._grid.setContentsMargins(2, 2, 2, 2)
        self._grid.setSpacing(2)
        self.tiles: dict[str, CameraTile] = {}
        self.full_window_key = ""
        self._window_visible = True
        self._positions: dict[str, tuple[int, int, int, int]] = {}
        self._size = (1, 1)
        self._pipeline: CameraPipeline | None = None
        self._layout = Layout(rows=1, columns=1)
        self._unplaced: list[str] = []  # cameras in the layout with no tile: never decoded
        self._has_connections = False
        self._tiled_connections: set[str] = set()
        self.empty_hint = plain_label(self, "color: #a0a4ac; font-size: 15px;")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(8, 8, 10))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.setAcceptDrops(True)  # tiles do not: drags over them come here
        # A window that only shows a view (ui/view_window.py) is not arranged: its walls are the main window's.
        self.arranging = WallArranging(self, self._grid, lambda: bool(self.full_window_key) or not arrangeable)
        self.arranging.move_requested.connect(self.move_requested)
        self.arranging.span_requested.connect(self.span_requested)

    def rebuild(self, layout: Layout, pipeline: CameraPipeline) -> None:
        """Show ``layout``: tiles whose camera, feed, title and source did not change stay (with their
        last frame and the selection), moved to their new cells; only the others are made anew."""
        self._pipeline, self._layout = pipeline, layout
        self.arranging.show_layout(layout)
        self._unplaced = [cam.id for cam in layout.unplaced_cameras()]
        selected = self.selected_key()
        old, self.tiles = self.tiles, {}
        self._positions.clear()
        self._size = (layout.rows, layout.columns)
        for r in range(self._grid.rowCount()):
            self._grid.setRowStretch(r, 0)
        for c in range(self._grid.columnCount()):
            self._grid.setColumnStretch(c, 0)
        for r in range(layout.rows):
            self._grid.setRowStretch(r, 1)
        for c in range(layout.columns):
            self._grid.setColumnStretch(c, 1)
        for cam in layout.cameras:
            feed = pipeline.feed(cam.id)
            if feed is None or not cam.placed:
                continue
            source = pipeline.source_description(cam.connection)
            tile = old.pop(cam.id, None)
            if tile is not None and (tile.feed is not feed or tile.title != cam.label or tile.source != source):
                self._discard(tile)
                tile = None
            if tile is None:
                tile = CameraTile(cam.id, cam.label, source, feed, self._busy, self._set_view, self)
                tile.set_zoom(cam.zoom, notify=False)  # as the layout keeps it
                tile.toggle_full_window.connect(self.toggle_full_window)
                tile.menu_requested.connect(self.tile_menu_requested)
                tile.zoom_changed.connect(self.zoom_changed)
                self.arranging.watch(tile)
            else:
                self._grid.removeWidget(tile)
                if tile.zoom != cam.zoom:  # zoom is not undone (nor lost) by an edit: the tile's stands
                    self.zoom_changed.emit(cam.id)
            self._positions[cam.id] = (cam.row, cam.column, cam.row_span, cam.column_span)
            self._grid.addWidget(tile, *self._positions[cam.id])
            self.tiles[cam.id] = tile
        for tile in old.values():
            self._discard(tile)
        self._grid.removeWidget(self.empty_hint)
        if not self.tiles:  # e.g. a hub waiting for its first sender: say so instead of a blank window
            self._grid.addWidget(self.empty_hint, 0, 0, layout.rows, layout.columns)
        self.empty_hint.setVisible(not self.tiles)
        self._has_connections = bool(layout.connections)
        self._tiled_connections = {cam.connection for cam in layout.cameras if cam.id in self.tiles}
        self.show_connections(pipeline.connection_health())
        if self.full_window_key not in self.tiles:
            self.full_window_key = ""
        else:  # still shown alone: across the whole grid
            self._grid.removeWidget(self.tiles[self.full_window_key])
            self._grid.addWidget(self.tiles[self.full_window_key], 0, 0, *self._size)
        self._apply_visibility()
        if selected in self.tiles and not self.tiles[selected].hasFocus():
            self.tiles[selected].setFocus()  # an edit never loses the selection (Delete acts on it)

    def _discard(self, tile: CameraTile) -> None:
        self._grid.removeWidget(tile)
        tile.hide()
        tile.deleteLater()

    def _set_view(
        self, key: str, size: tuple[int, int] | None, visible: bool | None, region: Region | None = None
    ) -> None:
        if self._pipeline is not None:
            self._pipeline.set_view(key, size, visible, region, viewer=self.viewer)

    def take_new_frames(self, keys: Iterable[str]) -> None:
        """The cameras with a new frame in their display slot (``CameraPipeline.take_ready``)."""
        for key in keys:
            tile = self.tiles.get(key)
            if tile is not None:
                tile.take_new_frame()

    def show_frames(self, frames: Mapping[str, DisplayFrame]) -> None:
        """Frames taken from their display slots once for every window showing them (``WallWindows``)."""
        for key, frame in frames.items():
            tile = self.tiles.get(key)
            if tile is not None:
                tile.show_frame(frame)

    def refresh_health(self, connections: list[ConnectionHealth]) -> None:
        """The window's health tick: each seen tile's overlay, and what no tile shows."""
        for tile in self.tiles.values():
            if tile.isVisible():
                tile.set_health(tile.feed.health.snapshot())
        self.show_connections(connections)

    def show_connections(self, connections: list[ConnectionHealth]) -> None:
        """Name each connection's state on the empty wall; above tiles, the failed ones without a tile."""
        if not self.tiles:
            set_text(self.empty_hint, empty_wall_text(self._has_connections, connections, len(self._unplaced)))
        failed = [
            connection_text(description, status)
            for conn_id, description, status in connections
            if status.state in FAILED and conn_id not in self._tiled_connections
        ]
        set_text(self.banner, "\n".join(failed) if self.tiles else "")
        self.banner.setVisible(bool(self.tiles and failed))

    def selected_key(self) -> str | None:
        """The focused tile's camera, else the one shown alone, else None."""
        for key, tile in self.tiles.items():
            if tile.hasFocus():
                return key
        return self.full_window_key or None

    def toggle_full_window(self, key: str) -> None:
        previous = self.tiles.get(self.full_window_key)
        if previous is not None:
            self._grid.addWidget(previous, *self._positions[self.full_window_key])
        self.full_window_key = "" if self.full_window_key == key else key
        chosen = self.tiles.get(self.full_window_key)
        if chosen is not None:  # span the whole grid while the others are hidden
            self._grid.addWidget(chosen, 0, 0, *self._size)
        self._apply_visibility()
        tile = self.tiles.get(key)
        if tile is not None:
            tile.setFocus()

    def set_window_visible(self, visible: bool) -> None:
        """Minimised windows keep draining their connections but decode nothing."""
        self._window_visible = visible
        self._apply_visibility()

    def _apply_visibility(self) -> None:
        for key, tile in self.tiles.items():
            shown = not self.full_window_key or key == self.full_window_key
            tile.setVisible(shown)
            if self._pipeline is not None:
                self._pipeline.set_view(key, visible=shown and self._window_visible, viewer=self.viewer)
        if self._pipeline is not None:
            for key in self._unplaced:
                self._pipeline.set_view(key, visible=False, viewer=self.viewer)

    # Arranging by hand (WallArranging) ---------------------------------------------------------
    def cell_at(self, position: QPoint) -> tuple[int, int] | None:
        """The (row, column) of the layout's cell under ``position`` (our coordinates), None off the grid."""
        return self.arranging.cell_at(position)

    def cell_rect(self, row: int, column: int, row_span: int = 1, column_span: int = 1) -> QRect:
        """Those cells' area in our coordinates."""
        return self.arranging.cell_rect(row, column, row_span, column_span)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.arranging.drag_enter(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.arranging.drag_move(event)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.arranging.drag_leave()

    def dropEvent(self, event: QDropEvent) -> None:
        self.arranging.drop(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if not self._activate_empty_cell(event.position().toPoint()):
            super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if not self._activate_empty_cell(event.pos()):
            super().contextMenuEvent(event)

    def _activate_empty_cell(self, position: QPoint) -> bool:
        cell = self.cell_at(position)
        if cell is None or self.full_window_key or self.arranging.camera_at(*cell) is not None:
            return False
        self.empty_cell_activated.emit(*cell)
        return True

    # Keyboard -----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrows and PageUp/PageDown (``grid_keys``); tiles pass the keys they do not use on to us, their parent."""
        if grid_key(self, self._layout, event.key()):
            event.accept()
        else:
            super().keyPressEvent(event)

    def select(self, key: str) -> None:
        tile = self.tiles.get(key)
        if tile is not None:
            tile.setFocus(Qt.FocusReason.OtherFocusReason)

    def step_alone(self, step: int) -> None:
        """Show the next (or previous) camera alone, in reading order, wrapping around."""
        order = [key for key in reading_order(self._layout) if key in self.tiles]
        if self.full_window_key not in order or len(order) < 2:
            return
        self.toggle_full_window(order[(order.index(self.full_window_key) + step) % len(order)])
