"""Arranging the wall by hand: which cell a point is on, and what a drag or a corner drag over it asks for.

The grid forwards its drag events here and re-emits the requests; the window turns them into
``arrange.move_camera`` and ``arrange.set_span`` edits. Nothing here changes the layout. Requests are
emitted once the event that made them has returned (a queued call), so a window that rebuilds the
wall, or asks a question in a dialog, does so after the drag is over, not inside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QGridLayout, QWidget

from monitor_app.core.layouts.model import CameraSpec, Layout
from monitor_app.core.layouts.presets import TIMES
from monitor_app.ui.camera_tile import CameraTile
from monitor_app.ui.drop_indicator import DropIndicator, DropLook
from monitor_app.ui.tile_drag import TileGestures, dragged_camera

Cell = tuple[int, int]


@dataclass(frozen=True)
class DropTarget:
    """Where a dropped camera would go: the cell ``move_camera`` gets, and the area the indicator covers."""

    row: int
    column: int
    area: QRect
    text: str
    look: DropLook


class WallArranging(QObject):
    """The drop target and the span gesture of one grid of tiles."""

    move_requested = Signal(str, int, int)
    """(camera id, row, column): a camera dropped on a free cell, or on a tile to swap with."""
    span_requested = Signal(str, int, int)
    """(camera id, row span, column span): a tile's corner dragged to a new size."""

    def __init__(self, wall: QWidget, cells: QGridLayout, alone: Callable[[], bool]) -> None:
        super().__init__(wall)
        self._wall, self._cells, self._alone = wall, cells, alone
        self._layout = Layout(rows=1, columns=1)
        self.indicator = DropIndicator(wall)
        self.gestures = TileGestures(wall, self)

    def show_layout(self, layout: Layout) -> None:
        self._layout = layout

    def watch(self, tile: CameraTile) -> None:
        self.gestures.watch(tile)

    def can_arrange(self) -> bool:
        """Not while a tile is shown alone over the whole wall."""
        return not self._alone()

    # Cells ----------------------------------------------------------------------------------
    def cell_at(self, position: QPoint, clamp: bool = False) -> Cell | None:
        """The cell under ``position`` (the wall's coordinates); with ``clamp``, the nearest cell."""
        rows, columns = self._layout.rows, self._layout.columns
        if not clamp and not self.cell_rect(0, 0, rows, columns).contains(position):
            return None
        row = next((r for r in range(rows) if position.y() <= self._cells.cellRect(r, 0).bottom()), rows - 1)
        column = next((c for c in range(columns) if position.x() <= self._cells.cellRect(0, c).right()), columns - 1)
        return row, column

    def cell_rect(self, row: int, column: int, row_span: int = 1, column_span: int = 1) -> QRect:
        """The area of those cells, in the wall's coordinates (empty outside the grid)."""
        last_row = min(row + row_span, self._layout.rows) - 1
        last_column = min(column + column_span, self._layout.columns) - 1
        if not (0 <= row <= last_row and 0 <= column <= last_column):
            return QRect()
        return self._cells.cellRect(row, column).united(self._cells.cellRect(last_row, last_column))

    def camera_at(self, row: int, column: int) -> CameraSpec | None:
        """The placed camera covering that cell."""
        return next((cam for cam in self._layout.placed_cameras() if (row, column) in cam.cells()), None)

    def _camera(self, camera_id: str | None) -> CameraSpec | None:
        return next((cam for cam in self._layout.cameras if cam.id == camera_id), None)

    # Drops ----------------------------------------------------------------------------------
    def drag_enter(self, event: QDragEnterEvent) -> None:
        if self.can_arrange() and self._camera(dragged_camera(event.mimeData())) is not None:
            # Taken anywhere, even over the dragged tile itself: then each move (one follows at
            # once) says whether its cell takes the drop; an enter refused gets no moves at all.
            event.acceptProposedAction()
        else:
            event.ignore()

    def drag_move(self, event: QDragMoveEvent) -> None:
        target = self._target(event)
        if target is None:
            self.indicator.hide()
            event.ignore()
            return
        self.indicator.show_at(target.area, target.text, target.look)
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def drag_leave(self) -> None:
        self.indicator.hide()

    def drop(self, event: QDropEvent) -> None:
        self.indicator.hide()
        target = self._target(event)
        camera_id = dragged_camera(event.mimeData())
        if target is None or camera_id is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        row, column = target.row, target.column
        QTimer.singleShot(0, self, lambda: self.move_requested.emit(camera_id, row, column))

    def _target(self, event: QDropEvent) -> DropTarget | None:
        cam = self._camera(dragged_camera(event.mimeData()))
        cell = self.cell_at(event.position().toPoint())
        if cam is None or cell is None or not self.can_arrange():
            return None
        hit = self.camera_at(*cell)
        if hit is not None and hit is not cam:
            area = self.cell_rect(hit.row, hit.column, hit.row_span, hit.column_span)
            return DropTarget(hit.row, hit.column, area, f"Swap with {hit.label}", DropLook.SWAP)
        if hit is cam:
            return None  # on itself: nothing to do
        area = self.cell_rect(*cell, cam.row_span, cam.column_span)
        verb = "Move" if cam.placed else "Place"
        return DropTarget(*cell, area, f"{verb} {cam.label} here", DropLook.MOVE)

    # Spans ----------------------------------------------------------------------------------
    def show_span(self, camera_id: str, position: QPoint) -> None:
        """The corner dragged to ``position``: show the area the tile would cover."""
        cam, span = self._span(camera_id, position)
        if cam is None or span is None:
            self.indicator.hide()
            return
        area = self.cell_rect(cam.row, cam.column, *span)
        self.indicator.show_at(area, f"{span[0]} {TIMES} {span[1]}", DropLook.SPAN)

    def finish_span(self, camera_id: str, position: QPoint | None) -> None:
        """Released at ``position`` (None: cancelled): ask for the new span if it changed."""
        self.indicator.hide()
        cam, span = self._span(camera_id, position)
        if cam is not None and span is not None and span != (cam.row_span, cam.column_span):
            key, (rows, columns) = cam.id, span
            QTimer.singleShot(0, self, lambda: self.span_requested.emit(key, rows, columns))

    def _span(self, camera_id: str, position: QPoint | None) -> tuple[CameraSpec | None, tuple[int, int] | None]:
        """The span from the tile's first cell to the cell nearest ``position``: at least 1x1, inside the grid."""
        cam = self._camera(camera_id)
        if cam is None or not cam.placed or position is None or not self.can_arrange():
            return None, None
        row, column = self.cell_at(position, clamp=True) or (cam.row, cam.column)
        return cam, (max(1, row - cam.row + 1), max(1, column - cam.column + 1))
