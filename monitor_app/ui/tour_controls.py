"""One window's tour: cycling the views, or the view's cameras, with a countdown in the corner.

The clock is ``core/tour.py``, ticked by the window's health timer. A views tour switches the
window's view (not an edit); a camera tour shows a wall made for the step (``camera_tour_wall``)
and puts the view back when it stops or pauses. Any click, wheel or key in the window pauses it
(the window can be used at once), and it resumes after ``QUIET_S`` of quiet. Input is watched on
the window's QWindow, and only while a tour runs: the widgets' own events (a paint per frame)
never pass through it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLabel, QMenu, QWidget

from monitor_app.core.layouts.arrange import reading_order
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.spec import Layout
from monitor_app.core.layouts.views import MAX_TOUR_S, MIN_TOUR_S, camera_tour_wall, current_view, set_tour
from monitor_app.core.tour import Tour, TourMode

DEFAULT_VIEWS_S = 10
DEFAULT_CAMERAS_S = 5
INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel,
    QEvent.Type.KeyPress,
}


class TourControls(QObject):
    """Starts, steps, pauses and stops the tour of one window; ``state`` says what runs (session, stats)."""

    def __init__(
        self,
        window: QWidget,
        wall: QWidget,
        layout: Callable[[], Layout],
        step_view: Callable[[int], None],
        show_wall: Callable[[Layout | None], None],
        edit: Callable[[Layout, str], None] | None,
        menu: QMenu,
    ) -> None:
        super().__init__(window)
        self._window, self._layout, self._step_view, self._show_wall, self._edit = (
            window,
            layout,
            step_view,
            show_wall,
            edit,
        )
        self.tour: Tour | None = None
        self._watching: QObject | None = None
        self._wall = wall
        self.indicator = QLabel(wall)
        self.indicator.setObjectName("tour-indicator")
        self.indicator.setStyleSheet(
            "background: rgba(10, 10, 14, 190); color: #e8eaef; padding: 2px 8px; border-radius: 3px;"
        )
        self.indicator.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.indicator.hide()
        menu.addSeparator()
        self.views_action = self._add(menu, "&Tour Views", lambda on: self._toggle(TourMode.VIEWS, on), "Ctrl+Shift+T")
        self.cameras_action = self._add(
            menu, "Tour This View's &Cameras", lambda on: self._toggle(TourMode.CAMERAS, on)
        )
        if edit is not None:
            interval = QAction("Tour &Interval…", window)
            interval.triggered.connect(self.choose_interval)
            menu.addAction(interval)

    def _add(self, menu: QMenu, text: str, slot: Callable[[bool], None], key: str = "") -> QAction:
        action = QAction(text, self._window)
        action.setCheckable(True)
        if key:
            action.setShortcut(QKeySequence(key))
        action.toggled.connect(slot)
        menu.addAction(action)
        self._window.addAction(action)
        return action

    # Starting and stopping -------------------------------------------------------------------
    def start(self, mode: TourMode, seconds: float | None = None) -> None:
        layout = self._layout()
        if seconds is None:
            seconds = self.interval(mode, layout)
        self.stop()
        self.tour = Tour.start(mode, seconds, time.monotonic())
        for action, its_mode in ((self.views_action, TourMode.VIEWS), (self.cameras_action, TourMode.CAMERAS)):
            action.blockSignals(True)
            action.setChecked(mode is its_mode)
            action.blockSignals(False)
        if mode is TourMode.CAMERAS:
            self._show_step()
        self.tick()

    def stop(self) -> None:
        was_cameras = self.tour is not None and self.tour.mode is TourMode.CAMERAS
        self.tour = None
        for action in (self.views_action, self.cameras_action):
            action.blockSignals(True)
            action.setChecked(False)
            action.blockSignals(False)
        self.indicator.hide()
        self._watch(False)
        if was_cameras:
            self._show_wall(None)

    def _toggle(self, mode: TourMode, on: bool) -> None:
        self.start(mode) if on else self.stop()

    @staticmethod
    def interval(mode: TourMode, layout: Layout) -> float:
        if mode is TourMode.VIEWS:
            return layout.tour_seconds or DEFAULT_VIEWS_S
        return current_view(layout).tour_seconds or DEFAULT_CAMERAS_S

    def choose_interval(self) -> None:
        """Ask for the interval of the tour running (the views' when none runs); it is kept in the layout."""
        assert self._edit is not None
        mode = self.tour.mode if self.tour is not None else TourMode.VIEWS
        layout = self._layout()
        what = "the views" if mode is TourMode.VIEWS else f"the cameras of {current_view(layout).title}"
        seconds, ok = QInputDialog.getInt(
            self._window, "Tour Interval", f"Seconds on each of {what}:", round(self.interval(mode, layout)),
            MIN_TOUR_S, MAX_TOUR_S,
        )  # fmt: skip
        if not ok:
            return
        try:
            view = None if mode is TourMode.VIEWS else layout.current_view
            self._edit(set_tour(layout, seconds, view), "Tour Interval")
        except LayoutError:
            return
        if self.tour is not None:
            self.start(mode, seconds)

    def state(self) -> dict[str, object] | None:
        return None if self.tour is None else {"mode": self.tour.mode.value, "seconds": self.tour.seconds}

    # Running ---------------------------------------------------------------------------------
    def tick(self) -> None:
        """The window's health tick: take a step when one is due, and letter the countdown."""
        tour = self.tour
        if tour is None:
            return
        self._watch(True)
        now = time.monotonic()
        if tour.due(now):
            tour.advance(now)
            if tour.mode is TourMode.VIEWS:
                self._step_view(1)
            else:
                self._show_step()
        self.indicator.setText(tour.describe(now))
        self.indicator.adjustSize()
        # Bottom right: the top of a tile is its title bar (name, fps, size).
        self.indicator.move(
            self._wall.width() - self.indicator.width() - 8, self._wall.height() - self.indicator.height() - 8
        )
        self.indicator.show()
        self.indicator.raise_()

    def showing_step(self) -> bool:
        """A camera tour shows one of its walls now (an edit shown meanwhile is put behind it by ``refresh``)."""
        return self.tour is not None and self.tour.mode is TourMode.CAMERAS and not self.tour.paused(time.monotonic())

    def refresh(self) -> None:
        """The window showed its view afresh (an edit, a camera that appeared): the tour's wall goes back on."""
        if self.showing_step():
            self._show_step()

    def _show_step(self) -> None:
        assert self.tour is not None
        layout = self._layout()
        self._show_wall(camera_tour_wall(layout, self.tour.step, reading_order(layout)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.tour is not None and event.type() in INPUT_EVENTS:
            was_paused = self.tour.paused(time.monotonic())
            self.tour.input_seen(time.monotonic())
            if self.tour.mode is TourMode.CAMERAS and not was_paused:
                self._show_wall(None)  # the view itself, to work with
            self.tick()
        return False

    def _watch(self, on: bool) -> None:
        handle = self._window.windowHandle() if on else None
        if handle is self._watching:
            return
        if self._watching is not None:
            self._watching.removeEventFilter(self)
        self._watching = handle
        if handle is not None:
            handle.installEventFilter(self)
