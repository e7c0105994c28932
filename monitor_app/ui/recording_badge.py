"""The red dot and elapsed time a recording tile shows (or why its recording stopped), bottom left.

Drawn into a small image when its text changes (once a second), so a recording tile's paint stays a
blit: laying out text on every frame more than doubled a tile's paint (see ``camera_tile``).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from monitor_app.ui.tile_overlay import OVERLAY, TITLE_TEXT, TitleFonts

RECORDING_RED = QColor(230, 40, 40)
FAILED_TEXT = QColor(255, 170, 160)
MARGIN = 6.0


def elapsed_text(seconds: float) -> str:
    """``0:07``, ``12:34``, ``1:02:03``."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class RecordingBadge:
    """What one tile says about its recording; ``text`` is empty when there is nothing to say."""

    def __init__(self) -> None:
        self.text = ""
        self.failed = False
        self._image: QImage | None = None
        self._key: tuple[object, ...] = ()

    def set(self, text: str, failed: bool = False) -> bool:
        """True if it changed (the tile repaints)."""
        if (text, failed) == (self.text, self.failed):
            return False
        self.text, self.failed = text, failed
        return True

    @property
    def recording(self) -> bool:
        return bool(self.text) and not self.failed

    def paint(self, painter: QPainter, size: tuple[int, int], fonts: TitleFonts, ratio: float) -> None:
        if not self.text:
            return
        image = self._render(fonts, ratio, size[0])
        painter.drawImage(
            QPointF(MARGIN, fonts.bar_height + MARGIN), image
        )  # under the title bar: the bottom left holds the zoom inset

    def _render(self, fonts: TitleFonts, ratio: float, tile_width: int) -> QImage:
        key = (self.text, self.failed, fonts.points, ratio, tile_width)
        if self._image is not None and key == self._key:
            return self._image
        metrics = fonts.status_metrics
        height = fonts.bar_height
        dot = 0.0 if self.failed else height * 0.6
        room = max(20.0, tile_width - 2 * MARGIN - dot - 8)
        text = metrics.elidedText(self.text, Qt.TextElideMode.ElideRight, room)
        width = dot + metrics.horizontalAdvance(text) + 8
        image = QImage(round(width * ratio), round(height * ratio), QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(OVERLAY)
        painter = QPainter(image)
        if dot:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(RECORDING_RED)
            radius = max(3.5, min(6.0, height * 0.22))
            painter.drawEllipse(QPointF(4 + radius, height / 2), radius, radius)
        painter.setPen(FAILED_TEXT if self.failed else TITLE_TEXT)
        painter.setFont(fonts.status)
        painter.drawText(QRectF(dot + 4, 0, width - dot - 4, height), Qt.AlignmentFlag.AlignVCenter, text)
        painter.end()
        self._image, self._key = image, key
        return image
