"""Dragging a camera: the drag's data, its start, and the tile gestures that begin a move or a span.

The grid installs ``TileGestures`` on each tile as an event filter, so a tile knows nothing of
arranging: a left press and a move beyond ``QApplication.startDragDistance`` drags the camera (a
QDrag whose data is ``camera_mime``); a press within ``CORNER_PX`` of the bottom-right corner
resizes the tile's span instead, while hovering there shows a diagonal resize cursor. On a zoomed
tile a drag pans the picture instead (``tile_zoom``), unless it starts on the title bar. Double-click,
right-click and click-to-select are left to the tile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QObject, QPoint, Qt
from PySide6.QtGui import QDrag, QKeyEvent, QMouseEvent, QPixmap
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from monitor_app.ui.camera_tile import CameraTile

CAMERA_MIME = "application/x-camera-monitor-camera"
"""A dragged camera: its id, UTF-8."""
CORNER_PX = 14
"""How near the bottom-right corner a press grabs the tile's span rather than the tile."""
DRAG_PIXMAP_WIDTH = 120

ExecDrag = Callable[[QWidget, QMimeData, "QPixmap | None"], None]
"""Runs a drag of that data from that widget (``exec_drag``); tests put in one that drops it themselves."""


def camera_mime(camera_id: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(CAMERA_MIME, QByteArray(camera_id.encode()))
    return mime


def dragged_camera(mime: QMimeData | None) -> str | None:
    """The camera id a drag carries, None for anything else (files, text)."""
    if mime is None or not mime.hasFormat(CAMERA_MIME):
        return None
    return bytes(mime.data(CAMERA_MIME).data()).decode(errors="replace") or None


def exec_drag(source: QWidget, mime: QMimeData, pixmap: QPixmap | None) -> None:
    """Drag ``mime`` from ``source`` until dropped or cancelled (Esc); the drop target acts on it."""
    drag = QDrag(source)
    drag.setMimeData(mime)
    if pixmap is not None and not pixmap.isNull():
        drag.setPixmap(pixmap)
        drag.setHotSpot(QPoint(pixmap.width() // 2, pixmap.height() // 2))
    drag.exec(Qt.DropAction.MoveAction, Qt.DropAction.MoveAction)


class SpanTarget(Protocol):
    """What a span gesture drives (``WallArranging``): positions are in the wall's coordinates."""

    def can_arrange(self) -> bool: ...

    def show_span(self, camera_id: str, position: QPoint) -> None: ...

    def finish_span(self, camera_id: str, position: QPoint | None) -> None:
        """Released at ``position``; None: cancelled (Esc)."""


class TileGestures(QObject):
    """An event filter for tiles: press-and-move drags the camera, the bottom-right corner spans it."""

    def __init__(self, wall: QWidget, spans: SpanTarget) -> None:
        super().__init__(wall)
        self._wall, self._spans = wall, spans
        self.exec_drag: ExecDrag = exec_drag
        self._pressed: CameraTile | None = None
        self._press_at = QPoint()
        self._spanning = False
        self._corner: CameraTile | None = None  # the tile showing the resize cursor

    def watch(self, tile: CameraTile) -> None:
        tile.installEventFilter(self)
        tile.setMouseTracking(True)  # hover moves, for the corner's cursor

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, CameraTile):
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._press(watched, event)
        elif kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            return self._move(watched, event)
        elif kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            return self._release(watched, event)
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and self._spanning:
            if event.key() == Qt.Key.Key_Escape:
                self._spans.finish_span(watched.key, None)
                self._reset()
                return True
        elif kind == QEvent.Type.Leave and watched is self._corner:
            self._set_corner(None)
        return False

    def _press(self, tile: CameraTile, event: QMouseEvent) -> None:
        self._reset()
        if event.button() != Qt.MouseButton.LeftButton or not self._spans.can_arrange():
            return
        self._pressed, self._press_at = tile, event.position().toPoint()
        self._spanning = in_corner(tile, self._press_at)
        if not self._spanning and tile.pans_at(event.position()):
            self._pressed = None  # zoomed: the drag pans the picture (tile_zoom); the title bar still moves the tile

    def _move(self, tile: CameraTile, event: QMouseEvent) -> bool:
        position = event.position().toPoint()
        if not event.buttons() & Qt.MouseButton.LeftButton or tile is not self._pressed:
            self._set_corner(tile if self._spans.can_arrange() and in_corner(tile, position) else None)
            return False
        if self._spanning:
            self._spans.show_span(tile.key, tile.mapTo(self._wall, position))
            return True
        if (position - self._press_at).manhattanLength() < QApplication.startDragDistance():
            return False
        self._reset()
        self._set_corner(None)
        self.exec_drag(self._wall, camera_mime(tile.key), _drag_pixmap(tile))
        return True

    def _release(self, tile: CameraTile, event: QMouseEvent) -> bool:
        spanning = self._spanning and tile is self._pressed and event.button() == Qt.MouseButton.LeftButton
        if spanning:
            self._spans.finish_span(tile.key, tile.mapTo(self._wall, event.position().toPoint()))
        self._reset()
        return spanning

    def _reset(self) -> None:
        self._pressed, self._spanning = None, False

    def _set_corner(self, tile: CameraTile | None) -> None:
        if tile is self._corner:
            return
        if self._corner is not None and isValid(self._corner):  # not a tile a rebuild deleted
            self._corner.unsetCursor()
        self._corner = tile
        if tile is not None:
            tile.setCursor(Qt.CursorShape.SizeFDiagCursor)


def in_corner(tile: QWidget, position: QPoint) -> bool:
    """``position`` (the tile's coordinates) is on the tile, within ``CORNER_PX`` of its bottom-right corner."""
    right, bottom = tile.width() - position.x(), tile.height() - position.y()
    return tile.rect().contains(position) and right <= CORNER_PX and bottom <= CORNER_PX


def _drag_pixmap(tile: QWidget) -> QPixmap:
    """A small picture of the tile to carry under the pointer."""
    return tile.grab().scaledToWidth(min(DRAG_PIXMAP_WIDTH, tile.width()), Qt.TransformationMode.SmoothTransformation)
