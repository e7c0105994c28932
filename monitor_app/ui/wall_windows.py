"""Every window's wall: the main one and the views opened in windows of their own, and the session.

Frames are taken from each camera's display slot once and given to every window that shows the
camera. The session (which window shows which view, on which screen, where, full screen or not,
touring or not) is saved on quit and restored at the next start of the same layout; a window
whose screen is gone opens on the primary one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, QRect, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QMainWindow

from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.layouts.spec import Layout
from monitor_app.core.layouts.views import current_view, views_of
from monitor_app.core.tour import TourMode
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.ui.camera_grid import CameraGrid
from monitor_app.ui.tour_controls import TourControls
from monitor_app.ui.view_window import ViewWindow
from monitor_app.ui.wall_messages import ConnectionHealth


def screen_label(screen: QScreen | None) -> str:
    """A screen's name, numbered when several share it (two X screens of one Xvfb are both "screen")."""
    if screen is None:
        return ""
    name = screen.name() or "screen"  # the offscreen platform's has none
    same = [s for s in QGuiApplication.screens() if (s.name() or "screen") == name]
    return name if len(same) < 2 else f"{name} #{same.index(screen) + 1}"


def find_screen(label: str) -> QScreen:
    """The screen ``screen_label`` called ``label``, else the primary one."""
    return next((s for s in QGuiApplication.screens() if screen_label(s) == label), QGuiApplication.primaryScreen())


def window_entry(window: QMainWindow, view: str, tour: TourControls) -> dict[str, Any]:
    """What ``--stats-json`` says of a window (``windows``)."""
    state = tour.state()
    return {
        "view": view,
        "screen": screen_label(window.screen()),
        "full_screen": window.isFullScreen(),
        "tour": None if state is None else state["seconds"],
        "tour_mode": None if state is None else state["mode"],
    }


def session_entry(window: QMainWindow, view: str, tour: TourControls) -> dict[str, Any]:
    geometry = window.normalGeometry() if window.isFullScreen() or window.isMaximized() else window.geometry()
    return {
        "view": view,
        "screen": screen_label(window.screen()),
        "geometry": [geometry.x(), geometry.y(), geometry.width(), geometry.height()],
        "full_screen": window.isFullScreen(),
        "maximized": window.isMaximized(),
        "tour": tour.state(),
    }


def place_window(window: QMainWindow, entry: dict[str, Any]) -> None:
    """Put ``window`` where ``entry`` (``session_entry``) says, on the primary screen if its own is gone.

    Before the window is shown, so it is created on that screen (separate X screens cannot be moved
    between later); the geometry is kept inside the screen.
    """
    label = str(entry.get("screen", ""))
    screen = find_screen(label)
    window.setScreen(screen)
    area = screen.availableGeometry()
    geometry = entry.get("geometry")
    if screen_label(screen) == label and isinstance(geometry, list) and len(geometry) == 4:
        x, y, w, h = (int(v) for v in geometry)
        w, h = min(max(w, 320), area.width()), min(max(h, 200), area.height())
        x = min(max(x, area.left()), area.right() - w + 1)
        y = min(max(y, area.top()), area.bottom() - h + 1)
        window.setGeometry(QRect(x, y, w, h))
    else:
        window.move(area.topLeft())


def show_placed(window: QMainWindow, entry: dict[str, Any]) -> None:
    if entry.get("full_screen"):
        window.showFullScreen()
    elif entry.get("maximized"):
        window.showMaximized()
    else:
        window.show()


def start_tour(tour: TourControls, entry: dict[str, Any]) -> None:
    state = entry.get("tour")
    if isinstance(state, dict) and state.get("mode") in {m.value for m in TourMode}:
        seconds = state.get("seconds")
        tour.start(TourMode(state["mode"]), float(seconds) if isinstance(seconds, int | float) else None)


class WallWindows(QObject):
    """The windows opened from the main one; the main window's grid comes first in ``grids``."""

    def __init__(
        self,
        main: QMainWindow,
        main_grid: CameraGrid,
        main_tour: Callable[[], TourControls],
        document: Callable[[], Layout],
        pipeline: CameraPipeline,
        busy: BusyMeter,
    ) -> None:
        super().__init__(main)
        self._main, self._main_grid, self._main_tour = main, main_grid, main_tour
        self._document, self._pipeline, self._busy = document, pipeline, busy
        self.windows: list[ViewWindow] = []
        self._opened = 0

    def open_view(self, index: int | None = None, entry: dict[str, Any] | None = None) -> ViewWindow:
        """A new window showing view ``index`` (the main window's current one if None)."""
        layout = self._document()
        self._opened += 1
        window = ViewWindow(self._opened, self._document, layout.current_view if index is None else index,
                            self._pipeline, self._busy)  # fmt: skip
        window.closed.connect(self._closed)
        self.windows.append(window)
        if entry is not None:
            place_window(window, entry)
            show_placed(window, entry)
            start_tour(window.tour, entry)
        else:
            window.move(self._main.geometry().topLeft() + self._main.rect().center() / 2)
            window.show()
        return window

    def _closed(self, window: ViewWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)
            window.deleteLater()

    def grids(self) -> list[CameraGrid]:
        return [self._main_grid, *(w.grid for w in self.windows)]

    def take_new_frames(self, keys: Iterable[str]) -> None:
        """Each camera's new frame taken once, painted in every window showing it."""
        if not self.windows:
            self._main_grid.take_new_frames(keys)
            return
        frames = {}
        for key in keys:
            feed = self._pipeline.feed(key)
            frame = feed.display.take() if feed is not None else None
            if frame is not None:
                frames[key] = frame
        for grid in self.grids():
            grid.show_frames(frames)

    def refresh_health(self, connections: list[ConnectionHealth]) -> None:
        for window in self.windows:
            window.grid.refresh_health(connections)
            window.tour.tick()

    def present(self) -> None:
        for window in self.windows:
            window.present()

    def shown_cameras(self) -> set[str]:
        return {key for grid in self.grids() for key in grid.tiles}

    def stats(self) -> list[dict[str, Any]]:
        main = window_entry(self._main, current_view(self._document()).title, self._main_tour())
        return [main, *(window_entry(w, w.view_title, w.tour) for w in self.windows)]

    def session(self) -> list[dict[str, Any]]:
        main = session_entry(self._main, current_view(self._document()).title, self._main_tour())
        return [main, *(session_entry(w, w.view_title, w.tour) for w in self.windows)]

    def restore(self, entries: list[dict[str, Any]], show_view: Callable[[int], None]) -> None:
        """The other windows of a saved session, and the main window's view and tour (before it is shown)."""
        titles = [view.title for view in views_of(self._document())]
        if not entries:
            return
        main, *others = entries
        if main.get("view") in titles:
            show_view(titles.index(main["view"]))
        for entry in others:
            if entry.get("view") in titles:
                self.open_view(titles.index(entry["view"]), entry)
        # The main window shows after this: on one screen it would cover them; put them back on top.
        QTimer.singleShot(0, self._raise_all)

    def _raise_all(self) -> None:
        for window in self.windows:
            window.raise_()

    def close_all(self) -> None:
        for window in list(self.windows):
            window.close()
