"""Where a drag over the wall would put the camera: a translucent frame over the target cells."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from monitor_app.ui.state_style import SELECTION_COLOUR

ACCENT = SELECTION_COLOUR
"""The app's accent: the selected tile's cyan, which no camera state uses."""
BORDER_PX = 3
LABEL_BACKGROUND = QColor(0, 0, 0, 170)


class DropLook(Enum):
    """What dropping there does: move to free cells, swap with the tile there, or span to the area."""

    MOVE = "move"
    SWAP = "swap"
    SPAN = "span"


FILL_ALPHA = {DropLook.MOVE: 70, DropLook.SWAP: 110, DropLook.SPAN: 60}


class DropIndicator(QWidget):
    """A child of the wall raised above its tiles; it never takes the mouse, so drags pass through."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("drop-indicator")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.text = ""
        self.look = DropLook.MOVE
        self.hide()

    def show_at(self, area: QRect, text: str, look: DropLook) -> None:
        """Cover ``area`` (the parent's coordinates) and say ``text`` in the middle."""
        if self.isVisible() and (area, text, look) == (self.geometry(), self.text, self.look):
            return  # drag moves arrive with every pointer move; most change nothing
        self.text, self.look = text, look
        self.setGeometry(area)
        self.raise_()
        self.show()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor(ACCENT)
        fill.setAlpha(FILL_ALPHA[self.look])
        inset = BORDER_PX / 2
        frame = QRectF(self.rect()).adjusted(inset, inset, -inset, -inset)
        pen = QPen(ACCENT, BORDER_PX)
        if self.look is DropLook.SWAP:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(frame, 6, 6)
        if self.text:
            self._paint_label(painter)
        painter.end()

    def _paint_label(self, painter: QPainter) -> None:
        font = QFont(self.font())
        font.setPointSizeF(max(9.0, min(14.0, self.height() / 12)))
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        width = min(metrics.horizontalAdvance(self.text) + 24, self.width() - 2 * BORDER_PX)
        height = metrics.height() + 12
        # In the upper third: the middle is where the pointer, and the dragged tile's picture, are.
        pill = QRectF((self.width() - width) / 2, max(BORDER_PX, self.height() / 3 - height), width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(LABEL_BACKGROUND)
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(ACCENT)
        text = metrics.elidedText(self.text, Qt.TextElideMode.ElideRight, int(width) - 16)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
