"""One camera on the wall: paints its newest pre-scaled frame and an overlay of its health.

Zoomed (``tile_zoom``), it asks the decoder for the region it shows, at its own size, and paints a
mini-map inset; a frame decoded for another region is painted where that region now lies.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QHideEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.layouts.zoom import Zoom, region_of
from monitor_app.core.pipeline.health import CameraState, HealthSnapshot
from monitor_app.core.pipeline.routing import CameraFeed
from monitor_app.core.sources.region import FULL
from monitor_app.receivers.display_frame import DisplayFrame
from monitor_app.receivers.view_requests import SetView
from monitor_app.ui.recording_badge import RecordingBadge
from monitor_app.ui.state_style import STATE_COLOURS, STATE_LABELS
from monitor_app.ui.tile_overlay import TitleFonts, paint_state_banner, paint_tile_frames, render_title_bar
from monitor_app.ui.tile_title import SEPARATOR, FittedTitle, StatusPart, age_text, status_parts
from monitor_app.ui.tile_zoom import Box, Placement, ZoomGestures, ZoomInset, place_frame, view_box

BACKGROUND = QColor(18, 18, 20)
STATUS_REFRESH_S = 1.0


class CameraTile(QWidget):
    """Paints one camera's newest frame, pre-scaled to this tile, with its name and health on top."""

    toggle_full_window = Signal(str)
    """Double-click or Enter: show this camera alone (or return to the grid)."""
    menu_requested = Signal(str, QPoint)
    """Right-click: (tile key, global position) for the window's tile menu."""
    zoom_changed = Signal(str)
    """The user zoomed, panned or reset (tile key): the layout keeps it (``ui/zoom_keeper.py``)."""

    def __init__(
        self,
        key: str,
        title: str,
        source: str,
        feed: CameraFeed,
        busy: BusyMeter,
        set_view: SetView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.key, self.title, self.source = key, title, source
        self.feed = feed  # read here (frames, health), never written: set_view tells the pipeline
        self._set_view = set_view
        self._busy = busy
        self._frame: DisplayFrame | None = None
        self._fresh = False
        self._health: HealthSnapshot | None = None
        self.setObjectName(f"tile-{key}")
        self.setAccessibleName(f"Camera {title}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # we paint every pixel
        self.setMinimumSize(80, 60)
        self._fonts = TitleFonts(self.font())  # sized to the tile (8-13 pt) on every resize
        self._fonts.fit_tile(self.width(), self.height())
        # The title bar is drawn into an image when its text changes (a few times a second), not
        # on every frame: laying out its text every frame more than doubled a live tile's paint
        # (0.144 ms against 0.066 ms of GUI time a frame, 16 tiles offscreen). Fitting the text to
        # the width (tile_title) happens there too, never per frame.
        self._bar: QImage | None = None
        self._bar_key: tuple[object, ...] = ()
        self._fitted: FittedTitle | None = None  # what the bar shows
        self._status: tuple[StatusPart, ...] | None = None  # rebuilt when health or the frame size changes
        self._status_at = 0.0
        # Every call into Qt from Python releases and re-takes the GIL, which the decode threads
        # want too: paintEvent reads what it needs from these plain attributes instead, kept
        # up to date by resize and focus events, and places each frame size once.
        self._size = (self.width(), self.height())
        self._ratio = 1.0
        self._focused = False
        self._placement_key: tuple[object, ...] = ()
        self._placement: Placement = (QPointF(), None, [], None)
        self.recording_badge = RecordingBadge()  # set by ui/recording_controls.py
        self._zoom: Zoom | None = None
        self._region = FULL
        self._inset = ZoomInset()
        self.installEventFilter(ZoomGestures(self, self))
        set_view(key, None, None, FULL)  # a feed that outlived its previous tile may hold that tile's zoom

    # Fed by the window's repaint timer --------------------------------------------------
    def take_new_frame(self) -> bool:
        frame = self.feed.display.take()
        if frame is None:
            return False
        self.show_frame(frame)
        return True

    def show_frame(self, frame: DisplayFrame) -> None:
        """Paint ``frame`` next (taken from the feed's display slot by the caller, for every window)."""
        if self._frame is None or frame.source_size != self._frame.source_size:
            self._status = None
        self._frame, self._fresh = frame, True
        self.update()

    def set_health(self, health: HealthSnapshot) -> None:
        previous, self._health = self._health, health
        now = time.monotonic()
        changed = (
            previous is None
            or health.state is not previous.state
            or health.error != previous.error
            or health.event != previous.event
        )
        # A live tile repaints with every frame; its figures (fps, latency) are re-lettered once
        # a second, which is as often as anyone reads them, not on every health tick.
        if changed or now - self._status_at >= STATUS_REFRESH_S:
            self._status, self._status_at = None, now
            self.update()
        elif health.state is not CameraState.LIVE:
            self.update()  # the banner's countdown and age

    def current_image_size(self) -> tuple[int, int] | None:
        if self._frame is None:
            return None
        return self._frame.image.width(), self._frame.image.height()

    def shown_title(self) -> FittedTitle | None:
        """What the title bar shows: the name as drawn (elided if needed) and the status parts that fit."""
        return self._fitted

    # Zoom ----------------------------------------------------------------------------------
    @property
    def zoom(self) -> Zoom | None:
        return self._zoom

    def set_zoom(self, zoom: Zoom | None, notify: bool = True) -> None:
        """Show ``zoom`` (None: the whole picture); the decoder is told the region at once, so the next
        frame is decoded for it. ``notify``: a change by the user, for the layout to keep."""
        if zoom == self._zoom:
            return
        self._zoom, self._region = zoom, region_of(zoom)
        self._set_view(self.key, None, None, self._region)
        self.update()
        if notify:
            self.zoom_changed.emit(self.key)

    def pans_at(self, position: QPointF) -> bool:
        """A left drag from ``position`` pans the picture: zoomed, and not on the title bar (which moves the tile)."""
        return self._zoom is not None and position.y() >= self._fonts.bar_height

    def view_rect(self) -> Box:
        """Where the view is in the tile (logical pixels): the picture's aspect ratio, letterboxed."""
        frame, ratio = self._frame, self._ratio
        box = (round(self._size[0] * ratio), round(self._size[1] * ratio))
        if frame is None:
            return 0.0, 0.0, float(self._size[0]), float(self._size[1])
        x, y, w, h = view_box(frame.size, frame.region, self._region, box)
        return x / ratio, y / ratio, w / ratio, h / ratio

    def view_point(self, position: QPointF) -> tuple[float, float]:
        """``position`` (tile coordinates) as fractions across and down the view."""
        x, y, w, h = self.view_rect()
        return (position.x() - x) / max(1.0, w), (position.y() - y) / max(1.0, h)

    # Qt events ----------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        self._ratio = ratio = self.devicePixelRatioF()
        self._size = (self.width(), self.height())
        self._fonts.fit_tile(*self._size)
        # Decoders read this to scale frames to exactly what we paint (device pixels).
        self._set_view(self.key, (max(1, round(self._size[0] * ratio)), max(1, round(self._size[1] * ratio))), None)
        super().resizeEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._focused = True
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._focused = False
        super().focusOutEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self.feed.health.display_shown()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        # Hidden tiles decode nothing: their last frame rate stands until they display again.
        self.feed.health.display_hidden()
        super().hideEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        with self._busy.measure():
            painter = QPainter(self)
            if self._frame is None:
                painter.fillRect(QRectF(0, 0, *self._size), BACKGROUND)
            else:
                self._paint_frame(painter, self._frame)
                if self._fresh:
                    self._fresh = False
                    self.feed.health.frame_displayed(self._frame.sent_at, self._frame)
            self._paint_overlay(painter)
            painter.end()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.toggle_full_window.emit(self.key)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.setFocus()  # the Layout menu's Edit/Remove act on the focused tile
        self.menu_requested.emit(self.key, event.globalPos())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.toggle_full_window.emit(self.key)
        else:
            super().keyPressEvent(event)

    # Painting -----------------------------------------------------------------------------
    def _paint_frame(self, painter: QPainter, frame: DisplayFrame) -> None:
        image = frame.image
        key = (frame.size, frame.region, self._region, self._size, self._ratio)
        if key != self._placement_key:
            self._placement = place_frame(frame.size, frame.region, self._region, self._size, self._ratio)
            self._placement_key = key
        origin, scaled, bands, clip = self._placement
        for band in bands:
            painter.fillRect(band, BACKGROUND)
        if clip is not None:  # decoded for another region: its part of the picture, in Qt, until the next frame
            painter.save()
            painter.setClipRect(clip)
            assert scaled is not None
            painter.drawImage(scaled, image)
            painter.restore()
        elif scaled is None:
            painter.drawImage(origin, image)  # pre-scaled: a plain blit
        else:  # the tile was just resized; the next decoded frame will fit again
            painter.drawImage(scaled, image)

    def _paint_overlay(self, painter: QPainter) -> None:
        health = self._health
        state = health.state if health else CameraState.CONNECTING
        if self._status is None:
            self._status = self._status_parts(health, state)
        painter.drawImage(QPointF(0, 0), self._title_bar(state, self._status))
        if state is not CameraState.LIVE or self._frame is None:
            paint_state_banner(
                painter, self._size, self._fonts, self._banner_lines(health, state), STATE_COLOURS[state]
            )
        self.recording_badge.paint(painter, self._size, self._fonts, self._ratio)
        if self._zoom is not None:  # the mini-map, bottom left (the bottom-right corner grabs the span)
            source = self._frame.source_size if self._frame is not None else None
            self._inset.paint(painter, self._zoom, source, self._size, self._ratio)
        paint_tile_frames(painter, self._size, state, self._focused)

    def _title_bar(self, state: CameraState, parts: tuple[StatusPart, ...]) -> QImage:
        key = (self._size[0], self._ratio, self._fonts.points, state, self.title, parts)
        if self._bar is not None and key == self._bar_key:
            return self._bar
        bar, fitted = render_title_bar(self._fonts, self._size[0], self._ratio, state, self.title, parts)
        if self._fitted is None or (fitted.name, fitted.status) != (self._fitted.name, self._fitted.status):
            # All of it on hover, for when the bar has to leave some out.
            self.setToolTip(f"{self.title}\n{SEPARATOR.join(part.text for part in parts)}")
        self._bar, self._bar_key, self._fitted = bar, key, fitted
        return bar

    def _status_parts(self, health: HealthSnapshot | None, state: CameraState) -> tuple[StatusPart, ...]:
        source_size = self._frame.source_size if self._frame is not None else None
        return tuple(status_parts(health, STATE_LABELS[state], source_size))

    def _status_text(self, health: HealthSnapshot | None, state: CameraState) -> str:
        """Every status part, as a bar wide enough to show them all would."""
        return SEPARATOR.join(part.text for part in self._status_parts(health, state))

    def _banner_lines(self, health: HealthSnapshot | None, state: CameraState) -> list[str]:
        lines = [STATE_LABELS[state]]
        if health is not None:
            if health.error:
                lines.append(health.error)
            if health.retry_in_s is not None:
                lines.append(f"next try in {age_text(health.retry_in_s)}")
            if state is CameraState.CONNECTING and not health.error:
                lines.append(self.source)
        return lines
