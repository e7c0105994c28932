"""The wall: tiles placed in a grid by the layout, one of them optionally full-window."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.layouts.model import Layout
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.ui.camera_tile import CameraTile


class CameraGrid(QWidget):
    """The tiles of a layout in a grid of equal cells; one of them may be shown alone."""

    tile_menu_requested = Signal(str, QPoint)
    """Right-click on a tile: (tile key, global position)."""

    def __init__(self, busy: BusyMeter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._busy = busy
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(2, 2, 2, 2)
        self._grid.setSpacing(2)
        self.tiles: dict[str, CameraTile] = {}
        self.full_window_key = ""
        self._window_visible = True
        self._positions: dict[str, tuple[int, int, int, int]] = {}
        self._size = (1, 1)
        self._pipeline: CameraPipeline | None = None
        self.empty_hint = QLabel(self)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: #a0a4ac; font-size: 15px;")
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(8, 8, 10))
        self.setPalette(palette)
        self.setAutoFillBackground(True)

    def rebuild(self, layout: Layout, pipeline: CameraPipeline) -> None:
        """Recreate the tiles for ``layout`` (cheap: tiles hold no connection state)."""
        self._pipeline = pipeline
        for tile in self.tiles.values():
            self._grid.removeWidget(tile)
            tile.deleteLater()
        self.tiles.clear()
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
            if feed is None:
                continue
            source = pipeline.source_description(cam.connection)
            tile = CameraTile(cam.id, cam.label, source, feed, self._busy, pipeline.set_view, self)
            tile.toggle_full_window.connect(self.toggle_full_window)
            tile.menu_requested.connect(self.tile_menu_requested)
            self._positions[cam.id] = (cam.row, cam.column, cam.row_span, cam.column_span)
            self._grid.addWidget(tile, *self._positions[cam.id])
            self.tiles[cam.id] = tile
        self._grid.removeWidget(self.empty_hint)
        if not self.tiles:  # e.g. a hub waiting for its first sender: say so instead of a blank window
            self.empty_hint.setText(_empty_text(layout, pipeline))
            self._grid.addWidget(self.empty_hint, 0, 0, layout.rows, layout.columns)
        self.empty_hint.setVisible(not self.tiles)
        if self.full_window_key not in self.tiles:
            self.full_window_key = ""
        self._apply_visibility()

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
                self._pipeline.set_view(key, visible=shown and self._window_visible)


def _empty_text(layout: Layout, pipeline: CameraPipeline) -> str:
    lines = ["No cameras yet."]
    for conn in layout.connections:
        lines.append(f"Waiting for cameras on {pipeline.source_description(conn.id)}")
    if not layout.connections:
        lines.append("Use Layout ▸ Add Camera… or File ▸ Open Layout…")
    return "\n".join(lines)
