"""The wall: tiles placed in a grid by the layout, one of them optionally full-window.

What no tile shows is said in words: a wall without tiles names each connection's state, its
error and the malformed messages it refused; a wall with tiles shows a slim banner above them
for a connection that failed and has no tile of its own (a hub whose port is taken).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.layouts.model import Layout
from monitor_app.core.pipeline.health import CameraState, ConnectionSnapshot
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.ui.camera_tile import CameraTile
from monitor_app.ui.state_style import STATE_LABELS

ConnectionHealth = tuple[str, str, ConnectionSnapshot]
"""``CameraPipeline.connection_health`` entries: (connection id, description, its own state)."""

FAILED = (CameraState.ERROR, CameraState.RECONNECTING)


class CameraGrid(QWidget):
    """The tiles of a layout in a grid of equal cells; one of them may be shown alone."""

    tile_menu_requested = Signal(str, QPoint)
    """Right-click on a tile: (tile key, global position)."""

    def __init__(self, busy: BusyMeter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._busy = busy
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = _plain_label(self, "background: #4a1414; color: #f4d4d4; padding: 3px 8px;")
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
        self._has_connections = False
        self._tiled_connections: set[str] = set()
        self.empty_hint = _plain_label(self, "color: #a0a4ac; font-size: 15px;")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
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
            self._grid.addWidget(self.empty_hint, 0, 0, layout.rows, layout.columns)
        self.empty_hint.setVisible(not self.tiles)
        self._has_connections = bool(layout.connections)
        self._tiled_connections = {cam.connection for cam in layout.cameras if cam.id in self.tiles}
        self.show_connections(pipeline.connection_health())
        if self.full_window_key not in self.tiles:
            self.full_window_key = ""
        self._apply_visibility()

    def take_new_frames(self, keys: Iterable[str]) -> None:
        """The cameras with a new frame in their display slot (``CameraPipeline.take_ready``)."""
        for key in keys:
            tile = self.tiles.get(key)
            if tile is not None:
                tile.take_new_frame()

    def refresh_health(self, connections: list[ConnectionHealth]) -> None:
        """The window's health tick: each seen tile's overlay, and what no tile shows."""
        for tile in self.tiles.values():
            if tile.isVisible():
                tile.set_health(tile.feed.health.snapshot())
        self.show_connections(connections)

    def show_connections(self, connections: list[ConnectionHealth]) -> None:
        """Name each connection's state on the empty wall; above tiles, the failed ones without a tile."""
        if not self.tiles:
            _set_text(self.empty_hint, _empty_text(self._has_connections, connections))
        failed = [
            _connection_text(description, status)
            for conn_id, description, status in connections
            if status.state in FAILED and conn_id not in self._tiled_connections
        ]
        _set_text(self.banner, "\n".join(failed) if self.tiles else "")
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
                self._pipeline.set_view(key, visible=shown and self._window_visible)


def _empty_text(has_connections: bool, connections: list[ConnectionHealth]) -> str:
    lines = ["No cameras yet."]
    lines += [_connection_text(description, status) for _, description, status in connections]
    if not has_connections:
        lines.append("Use Layout ▸ Add Camera… or File ▸ Open Layout…")
    return "\n".join(lines)


def _connection_text(description: str, status: ConnectionSnapshot) -> str:
    if status.state in FAILED:
        text = f"{description}: {STATE_LABELS[status.state]}: {status.error}"
    else:
        text = f"Waiting for cameras on {description}"
    if status.bad_messages:
        plural = "s" if status.bad_messages != 1 else ""
        last = f", the last: {status.last_bad_reason}" if status.last_bad_reason else ""
        text += f"\n    {status.bad_messages} malformed message{plural} refused{last}"
    return text


def _plain_label(parent: QWidget, style: str) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # errors and reasons quote what peers sent: never markup
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


def _set_text(label: QLabel, text: str) -> None:
    if label.text() != text:  # relaid out only when it changes, not on every health tick
        label.setText(text)
