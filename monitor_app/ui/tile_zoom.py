"""A tile's digital zoom on screen: where a frame goes in the view, the mini-map inset, and the gestures.

The wheel zooms around the cursor (``ZOOM_STEP`` a notch, 1x to 8x); while zoomed, a left drag on the
picture pans it, and a drag that starts on the title bar still moves the tile (``tile_drag``: the
grid's gesture filter leaves presses ``CameraTile.pans_at`` to us); Ctrl+0 resets. The zoom math is
Qt-free (``core/layouts/zoom.py``); the decoder does the sharp part, from the region the tile asks for.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QFont, QImage, QKeyEvent, QMouseEvent, QPainter, QPen, QWheelEvent

from monitor_app.core.layouts.presets import TIMES
from monitor_app.core.layouts.zoom import Zoom, pan, zoom_at
from monitor_app.core.sources.region import Region

ZOOM_STEP = 1.25
"""Zoom per wheel notch (120 eighths of a degree): about ten notches from 1x to 8x."""
INSET_MARGIN = 6.0
INSET_SHARE, INSET_MIN, INSET_MAX = 0.2, 48.0, 120.0
"""The inset's width: this share of the tile's, within these bounds (logical pixels)."""

Box = tuple[float, float, float, float]  # x, y, width, height
Placement = tuple[QPointF, QRectF | None, list[QRectF], QRectF | None]
"""A frame's origin, its target rect if it must be scaled, the bands to fill, and a clip rect when it
shows another region than the tile (``place_frame``)."""


def view_box(image_size: tuple[int, int], shows: Region, view: Region, box: tuple[int, int]) -> Box:
    """Where ``view`` goes in a tile of ``box`` device pixels, letterboxed, in whole device pixels,
    given an image of ``image_size`` that shows ``shows`` (it gives the picture's aspect ratio)."""
    aspect_w, aspect_h = image_size[0] * view.width / shows.width, image_size[1] * view.height / shows.height
    scale = min(max(1, box[0]) / aspect_w, max(1, box[1]) / aspect_h)  # fit_size, without rounding the aspect
    w, h = max(1, round(aspect_w * scale)), max(1, round(aspect_h * scale))
    return float((box[0] - w) // 2), float((box[1] - h) // 2), float(w), float(h)


def frame_box(shows: Region, view: Region, within: Box) -> Box:
    """Where an image of region ``shows`` lands when ``view`` fills ``within``: a frame decoded for the
    previous zoom, until the next one arrives, is painted where its part of the picture now is."""
    x, y, w, h = within
    return (
        x + (shows.x - view.x) / view.width * w,
        y + (shows.y - view.y) / view.height * h,
        shows.width / view.width * w,
        shows.height / view.height * h,
    )


def place_frame(
    image_size: tuple[int, int], shows: Region, view: Region, size: tuple[int, int], ratio: float
) -> Placement:
    """Where a frame of ``image_size`` showing ``shows`` goes in a tile of ``size`` (logical pixels)
    showing ``view``. Pre-scaled, it is a plain blit at the origin, and only the letterbox bands around
    it are filled (not the whole tile: that saves 22 us); decoded for another region, Qt scales it into
    where that region now lies, clipped to the view, until the next frame comes."""
    width, height = size
    box = (round(width * ratio), round(height * ratio))
    # Whole device pixels, so the letterbox bands meet the image without a seam.
    x, y, w, h = (v / ratio for v in view_box(image_size, shows, view, box))
    if shows != view:
        fx, fy, fw, fh = frame_box(shows, view, (x, y, w, h))
        return QPointF(fx, fy), QRectF(fx, fy, fw, fh), [QRectF(0, 0, width, height)], QRectF(x, y, w, h)
    bands = []
    if y > 0:
        bands += [QRectF(0, 0, width, y), QRectF(0, y + h, width, height - y - h)]
    if x > 0:
        bands += [QRectF(0, 0, x, height), QRectF(x + w, 0, width - x - w, height)]
    scaled = None if (round(w * ratio), round(h * ratio)) == image_size else QRectF(x, y, w, h)
    return QPointF(x, y), scaled, bands, None


class ZoomInset:
    """The mini-map of a zoomed tile, drawn into an image when the zoom or the tile's width changes."""

    def __init__(self) -> None:
        self._image: QImage | None = None
        self._key: tuple[object, ...] = ()

    def paint(
        self, painter: QPainter, zoom: Zoom, source: tuple[int, int] | None, size: tuple[int, int], ratio: float
    ) -> None:
        aspect = source[0] / source[1] if source else 16 / 9
        key = (zoom, aspect, size[0], ratio)
        if self._image is None or key != self._key:
            self._image, self._key = render_inset(zoom.region(), zoom.factor, aspect, size[0], ratio), key
        top = size[1] - self._image.height() / ratio - INSET_MARGIN
        painter.drawImage(QPointF(INSET_MARGIN, top), self._image)


def render_inset(view: Region, factor: float, aspect: float, tile_width: float, ratio: float) -> QImage:
    """The mini-map: the whole picture as a dim rectangle, the part shown as a bright one, and the factor."""
    width = min(INSET_MAX, max(INSET_MIN, tile_width * INSET_SHARE))
    height = max(24.0, width / max(0.2, aspect))
    image = QImage(round(width * ratio), round(height * ratio), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(QColor(0, 0, 0, 140))
    painter = QPainter(image)
    painter.setPen(QPen(QColor(200, 200, 200, 160), 1))
    painter.drawRect(QRectF(0.5, 0.5, width - 1, height - 1))
    shown = QRectF(view.x * width, view.y * height, max(3.0, view.width * width), max(3.0, view.height * height))
    painter.fillRect(shown, QColor(255, 255, 255, 60))
    painter.setPen(QPen(QColor(255, 214, 64), 1.5))
    painter.drawRect(shown.adjusted(0.75, 0.75, -0.75, -0.75))
    font = QFont()
    font.setPixelSize(max(9, round(height * 0.22)))
    painter.setFont(font)
    painter.setPen(QColor(240, 240, 240))
    align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom
    painter.drawText(QRectF(0, 0, width - 3, height - 1), align, f"{factor:.1f}{TIMES}")
    painter.end()
    return image


class Zoomable(Protocol):
    """What the gestures drive: ``CameraTile`` (a protocol, since the tile is the one that installs us)."""

    @property
    def zoom(self) -> Zoom | None: ...

    def set_zoom(self, zoom: Zoom | None) -> None: ...

    def pans_at(self, position: QPointF) -> bool: ...

    def view_point(self, position: QPointF) -> tuple[float, float]: ...

    def view_rect(self) -> Box: ...

    def setCursor(self, cursor: QCursor | Qt.CursorShape) -> None: ...

    def unsetCursor(self) -> None: ...


class ZoomGestures(QObject):
    """An event filter on one tile: wheel zooms, drag pans, Ctrl+0 resets. Other events pass on."""

    def __init__(self, tile: Zoomable, parent: QObject) -> None:
        super().__init__(parent)
        self._tile = tile
        self._pan_from: QPointF | None = None
        self._panning = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind, tile = event.type(), self._tile
        if kind == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            return self._wheel(event)
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._end_pan()
            if event.button() == Qt.MouseButton.LeftButton and tile.pans_at(event.position()):
                self._pan_from = event.position()
        elif kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent) and self._pan_from is not None:
            if not event.buttons() & Qt.MouseButton.LeftButton:  # released where we did not see it
                self._end_pan()
                return False
            if not self._panning:
                self._panning = True
                tile.setCursor(Qt.CursorShape.ClosedHandCursor)
            self._pan(event.position())
            return True
        elif kind == QEvent.Type.MouseButtonRelease:
            self._end_pan()
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if ctrl and event.key() == Qt.Key.Key_0 and tile.zoom is not None:
                tile.set_zoom(None)
                return True
        return False

    def _wheel(self, event: QWheelEvent) -> bool:
        notches = event.angleDelta().y() / 120  # a touchpad sends fractions of a notch
        if not notches:
            return False
        tile = self._tile
        factor = (tile.zoom.factor if tile.zoom is not None else 1.0) * ZOOM_STEP**notches
        tile.set_zoom(zoom_at(tile.zoom, tile.view_point(event.position()), factor))
        event.accept()
        return True

    def _end_pan(self) -> None:
        if self._panning:
            self._tile.unsetCursor()
        self._pan_from, self._panning = None, False

    def _pan(self, position: QPointF) -> None:
        assert self._pan_from is not None
        tile = self._tile
        _, _, width, height = tile.view_rect()
        moved = position - self._pan_from
        self._pan_from = position
        tile.set_zoom(pan(tile.zoom, moved.x() / max(1.0, width), moved.y() / max(1.0, height)))
