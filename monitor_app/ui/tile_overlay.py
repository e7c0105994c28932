"""The pieces a tile paints over its picture: the title bar image, the state banner and the frames.

The tile decides when each is needed (the title bar only when its text or size changes); these
functions only draw.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

from monitor_app.core.pipeline.health import CameraState
from monitor_app.ui.state_style import (
    FAILING_STATES,
    FAILURE_BORDER_PX,
    SELECTION_BORDER_PX,
    SELECTION_COLOUR,
    STATE_COLOURS,
)
from monitor_app.ui.tile_title import FittedTitle, StatusPart, fit_title, title_points

OVERLAY = QColor(0, 0, 0, 150)
TITLE_TEXT = QColor(240, 240, 240)
TEXT_X, RIGHT_MARGIN = 20.0, 8.0
"""Where the name starts (after the state dot) and where the status ends, in the title bar."""


class TitleFonts:
    """The title bar's fonts (the name bold, the status regular) at the size that suits a tile."""

    def __init__(self, base: QFont) -> None:
        self._base = QFont(base)
        self.points = 0.0
        self.name = self.status = QFont(base)
        self.name_metrics = self.status_metrics = QFontMetricsF(base)

    def fit_tile(self, width: int, height: int) -> bool:
        """Size the fonts for a tile of ``width`` x ``height``; True if they changed."""
        points = title_points(width, height)
        if points == self.points:
            return False
        self.points = points
        self.name, self.status = QFont(self._base), QFont(self._base)
        self.name.setPointSizeF(points)
        self.name.setBold(True)
        self.status.setPointSizeF(points)
        self.name_metrics, self.status_metrics = QFontMetricsF(self.name), QFontMetricsF(self.status)
        return True

    @property
    def bar_height(self) -> int:
        return max(16, round(self.name_metrics.height()) + 6)


def render_title_bar(
    fonts: TitleFonts, width: int, ratio: float, state: CameraState, name: str, parts: Sequence[StatusPart]
) -> tuple[QImage, FittedTitle]:
    """The title bar of a tile ``width`` pixels wide: state dot, name (elided if needed), the status that fits."""
    fitted = fit_title(
        fonts.name_metrics.horizontalAdvance,
        width - TEXT_X - RIGHT_MARGIN,
        name,
        parts,
        fonts.status_metrics.horizontalAdvance,
    )
    bar_h = fonts.bar_height
    bar = QImage(round(width * ratio), round(bar_h * ratio), QImage.Format.Format_ARGB32_Premultiplied)
    bar.setDevicePixelRatio(ratio)
    bar.fill(OVERLAY)
    painter = QPainter(bar)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(STATE_COLOURS[state])
    radius = max(3.5, min(6.0, bar_h * 0.2))
    painter.drawEllipse(QPointF(TEXT_X / 2, bar_h / 2), radius, radius)
    painter.setPen(TITLE_TEXT)
    painter.setFont(fonts.name)
    align = Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine
    painter.drawText(QRectF(TEXT_X, 0, width - TEXT_X - RIGHT_MARGIN, bar_h), align, fitted.name)
    if fitted.status:
        painter.setFont(fonts.status)
        painter.drawText(QRectF(0, 0, width - RIGHT_MARGIN, bar_h), align | Qt.AlignmentFlag.AlignRight, fitted.status)
    painter.end()
    return bar, fitted


def paint_state_banner(
    painter: QPainter, size: tuple[int, int], fonts: TitleFonts, lines: Sequence[str], colour: QColor
) -> None:
    """The state (``lines[0]``) and its details in the middle of the tile, below the title bar, in the
    title's size; on a tile too small for all of them the longest details give way first."""
    width, height = size
    top, box_w = fonts.bar_height + 4, width - 16
    metrics = fonts.status_metrics
    room = height - top - 4
    shown = list(lines)

    def rows(texts: list[str]) -> int:
        return sum(max(1, math.ceil(metrics.horizontalAdvance(t) / max(1.0, box_w - 12))) for t in texts)

    while len(shown) > 1 and rows(shown) * metrics.height() > room:
        shown.remove(max(shown[1:], key=len))
    box_h = max(0.0, min(room, (rows(shown) + 1) * metrics.height()))
    box = QRectF(8, top + (room - box_h) / 2, box_w, box_h)
    painter.fillRect(box, OVERLAY)
    painter.setPen(colour)
    painter.setFont(fonts.status)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, "\n".join(shown))


def paint_tile_frames(painter: QPainter, size: tuple[int, int], state: CameraState, selected: bool) -> None:
    """A failing tile's border in its state colour at the edge; the selection frame inside it (both can show)."""
    inset = 0
    if state in FAILING_STATES:
        _paint_frame(painter, size, STATE_COLOURS[state], FAILURE_BORDER_PX, 0)
        inset = FAILURE_BORDER_PX
    if selected:
        _paint_frame(painter, size, SELECTION_COLOUR, SELECTION_BORDER_PX, inset)


def _paint_frame(painter: QPainter, size: tuple[int, int], colour: QColor, thickness: int, inset: int) -> None:
    """A frame ``thickness`` pixels wide, ``inset`` pixels in from the tile's edge (four filled bands)."""
    width, height = size
    inner_w, inner_h = width - 2 * inset, height - 2 * inset
    painter.fillRect(QRectF(inset, inset, inner_w, thickness), colour)
    painter.fillRect(QRectF(inset, height - inset - thickness, inner_w, thickness), colour)
    painter.fillRect(QRectF(inset, inset, thickness, inner_h), colour)
    painter.fillRect(QRectF(width - inset - thickness, inset, thickness, inner_h), colour)
