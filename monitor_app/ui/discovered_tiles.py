"""Cameras that come and go by themselves: a new name's tile, and its departure once silent.

A connection that adds cameras (a hub, a bound SUB, HTTP ingest) announces each new name once a
frame of it decoded; the tile appears in name order among the tiles the app placed itself. Such a
tile leaves the wall again after a long silence, unless the user placed or edited it. Neither is an
edit of the user's: nothing to undo, nothing unsaved.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Slot

from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.layouts.adhoc import DiscoveredCameras, add_discovered_camera, without_cameras
from monitor_app.core.layouts.model import Layout
from monitor_app.receivers.pipeline import CameraPipeline

log = logging.getLogger(__name__)


class DiscoveredTiles(QObject):
    """Adds and forgets the cameras that appeared by themselves, in the window's layout."""

    def __init__(
        self,
        layout: Callable[[], Layout],
        pipeline: CameraPipeline,
        shown: Callable[[Layout], None],
        replace: Callable[[Layout], None],
        busy: BusyMeter,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._layout, self._pipeline, self._shown, self._replace, self._busy = layout, pipeline, shown, replace, busy
        self.cameras = DiscoveredCameras()  # appeared by themselves, not placed by the user
        pipeline.camera_discovered.connect(self.camera_discovered)

    def edited(self, old: Layout, new: Layout) -> None:
        """The user's edit: a camera it changed is the user's from now on."""
        self.cameras.edited(old, new)

    def reset(self) -> None:
        """A file was opened: every camera of it is placed."""
        self.cameras = DiscoveredCameras()

    @Slot(str, str)
    def camera_discovered(self, connection_id: str, name: str) -> None:
        """A new name's first frame decoded: its tile shows that frame."""
        with self._busy.measure():
            layout = self._layout()
            # Placed in name order among the tiles the app placed itself; the user's stay where they are.
            cam = add_discovered_camera(layout, connection_id, name, movable=self.cameras)
            if cam is None:
                log.warning("new camera %r on %s not shown: the user removed it", name, connection_id)
                self._pipeline.decline_camera(connection_id, name)
                return
            self._pipeline.add_camera(cam)
            self.cameras.added(cam.id, time.monotonic())
            self._shown(layout)
            where = "" if cam.placed else " (in the camera list: the grid is full)"
            log.info("new camera %r on %s%s", name, connection_id, where)

    def forget_silent(self) -> None:
        """Cameras that appeared by themselves and stopped for good leave the wall."""
        gone = self.cameras.take_silent(self._pipeline.frame_age, time.monotonic())
        if gone:
            log.info("camera(s) %s silent for too long: removed from the wall", ", ".join(gone))
            self._replace(without_cameras(self._layout(), gone))
