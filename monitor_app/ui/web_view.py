"""The window's side of ``--web``: hands the browser view plain snapshots, and View > Open in Browser.

The server (``monitor_app/web``) runs on its own thread and never touches Qt: this publishes a
``WallView`` (the grid, its tiles, every camera and its feed) when the layout changes, and a
``WallStatus`` (states and the ``--stats-json`` document) every second. Both are built here, on
the GUI thread, from what the window already has; handing them over never waits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices

from monitor_app.core.layouts.model import Layout
from monitor_app.core.pipeline.routing import CameraFeed
from monitor_app.logging_setup import CONSOLE
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.ui.layout_document import LayoutDocument
from monitor_app.web.view import CameraView, GridView, TileView, WallStatus, WallView

if TYPE_CHECKING:  # aiohttp is imported only when --web is given
    from monitor_app.web.server import WebServer

log = logging.getLogger(__name__)

STATUS_INTERVAL_MS = 1000


def wall_view(layout: Layout, feed_of: Callable[[str], CameraFeed | None]) -> WallView:
    """The layout as the page shows it: one grid today (a layout with several views fills the tuple)."""
    tiles = tuple(TileView(c.id, c.row, c.column, c.row_span, c.column_span) for c in layout.placed_cameras())
    return WallView(
        views=(GridView(layout.title or "Wall", layout.rows, layout.columns, tiles),),
        cameras=tuple(CameraView(c.id, c.label, feed_of(c.id)) for c in layout.cameras),
    )


class WebView(QObject):
    """Starts and stops the web server and keeps it told what the wall shows."""

    def __init__(
        self,
        document: LayoutDocument,
        pipeline: CameraPipeline,
        stats: Callable[[], dict[str, Any]],
        open_action: QAction,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._pipeline = pipeline
        self._stats = stats
        self._action = open_action
        self._action.setEnabled(False)
        self._action.triggered.connect(self.open_page)
        self._server: WebServer | None = None
        self._shown: tuple[WallView, tuple[int, ...]] | None = None
        self.url = ""
        self._timer = QTimer(self)
        self._timer.setInterval(STATUS_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        # After the edit's own slots: the pipeline has the new feeds by the time this runs.
        document.changed.connect(lambda: QTimer.singleShot(0, self._tick))

    def start(self, address: tuple[str, int], token: str | None) -> str:
        """Serve the wall on ``address``; return "" or why it could not (logged too)."""
        from monitor_app.web.address import page_url
        from monitor_app.web.server import WebServer

        server = WebServer(address[0], address[1], token)
        self._server = server
        self._tick()
        try:
            server.start()
        except OSError as exc:
            self._server = None
            log.error("the browser view did not start: %s", exc)
            return str(exc)
        self.url = page_url(server.host, server.port, token)
        shown = page_url(server.host, server.port, "TOKEN" if token else None)  # never the token itself
        log.info("the wall in a browser: %s", shown, extra=CONSOLE)
        self._action.setEnabled(True)
        self._timer.start()
        return ""

    @property
    def server(self) -> WebServer | None:
        return self._server

    @Slot()
    def open_page(self) -> None:
        if self.url:
            QDesktopServices.openUrl(QUrl(self.url))

    def stop(self) -> None:
        """Part of the window's shutdown: the server's thread is joined within about a second."""
        self._timer.stop()
        server, self._server = self._server, None
        if server is not None:
            server.stop()
        self._action.setEnabled(False)

    @Slot()
    def _tick(self) -> None:
        server = self._server
        if server is None:
            return
        layout = self._document.layout
        view = wall_view(layout, self._pipeline.feed)  # a few hundred small objects at most: cheap
        feeds = tuple(id(c.feed) for c in view.cameras)  # a restarted connection: same view, new feeds
        if (view, feeds) != self._shown:
            self._shown = (view, feeds)
            server.publish_view(view)
        states = {}
        for cam in layout.cameras:
            health = self._pipeline.health(cam.id)
            if health is not None:
                states[cam.id] = health.state.value
        server.publish_status(WallStatus(MappingProxyType(states), MappingProxyType(self._stats())))
