"""Driving the wall's drops offscreen: a QDrag's own loop cannot run there, so the drag is stood in for
by ``DragTo``, which delivers the real drag data as the drag events Qt would send the grid."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent, QPixmap
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout
from monitor_app.ui.camera_grid import CameraGrid
from monitor_app.ui.drop_indicator import DropLook
from monitor_app.ui.main_window import MainWindow
from monitor_app.ui.tile_drag import CAMERA_MIME

ACTIONS = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
LEFT = Qt.MouseButton.LeftButton
NO_KEYS = Qt.KeyboardModifier.NoModifier


def pattern_wall(rows: int, columns: int, cells: list[tuple[int, int, int, int]], unplaced: int = 0) -> Layout:
    """Pattern cameras cam0, cam1, ... at (row, column, row_span, column_span), then ``unplaced`` more."""
    layout = Layout(rows=rows, columns=columns, title="arranging")
    spots: list[tuple[int, int, int, int] | None] = [*cells, *[None] * unplaced]
    for n, spot in enumerate(spots):
        layout.connections.append(ConnectionSpec(f"p{n}", "pattern", {"width": 160, "height": 90, "fps": 10}))
        row, column, row_span, column_span = spot or (0, 0, 1, 1)
        layout.cameras.append(
            CameraSpec(
                f"cam{n}", f"p{n}", title=f"Camera {n}", row=row, column=column,
                row_span=row_span, column_span=column_span, placed=spot is not None,
            )
        )  # fmt: skip
    return layout


def show_wall(qtbot: QtBot, layout: Layout) -> CameraGrid:
    """A real window on ``layout``; pytest-qt closes it (joining its threads) before the test's teardown."""
    window = MainWindow(layout, scripted=True)
    qtbot.addWidget(window)
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    grid = window.grid
    qtbot.waitUntil(lambda: grid.cell_rect(0, 0).width() > 50)
    return grid


@dataclass
class Shown:
    """What the drop indicator showed while the drag was over the target."""

    visible: bool
    area: QRect
    look: DropLook
    text: str


@dataclass
class DragTo:
    """An ``exec_drag`` that carries the dragged data over ``position`` of ``grid`` and drops it there."""

    grid: CameraGrid
    position: QPoint
    release: bool = True
    enter_at: QPoint | None = None
    """Where the drag enters the grid: a drag of a tile starts over that tile."""
    started: list[tuple[QWidget, QMimeData]] = field(default_factory=list)
    shown: Shown | None = None

    def __call__(self, source: QWidget, mime: QMimeData, pixmap: QPixmap | None) -> None:
        self.started.append((source, mime))
        assert mime.hasFormat(CAMERA_MIME)
        drag_over(self.grid, mime, self.position, self.enter_at)
        indicator = self.grid.arranging.indicator
        self.shown = Shown(indicator.isVisible(), indicator.geometry(), indicator.look, indicator.text)
        if self.release:
            drop_on(self.grid, mime, self.position)
        else:
            QApplication.sendEvent(self.grid, QDragLeaveEvent())


def drag_over(grid: QWidget, mime: QMimeData, position: QPoint, enter_at: QPoint | None = None) -> bool:
    """Enter ``grid`` (at ``enter_at``, else ``position``) and move to ``position``; whether the move was
    accepted (a drop there would be taken). Qt sends a move at once after an accepted enter, and none
    after a refused one."""
    enter = QDragEnterEvent(enter_at or position, ACTIONS, mime, LEFT, NO_KEYS)
    QApplication.sendEvent(grid, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(position, ACTIONS, mime, LEFT, NO_KEYS)
    QApplication.sendEvent(grid, move)
    return move.isAccepted()


def drop_on(grid: QWidget, mime: QMimeData, position: QPoint) -> bool:
    drop = QDropEvent(QPointF(position), ACTIONS, mime, LEFT, NO_KEYS)
    QApplication.sendEvent(grid, drop)
    return drop.isAccepted()
