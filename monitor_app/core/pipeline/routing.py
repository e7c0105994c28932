"""Per-camera plumbing: the inbox of the newest encoded frame, the tile's wishes, health.

``ConnectionFeeds`` is the ``FrameSink`` of one connection. It routes frames by camera
name to ``CameraFeed`` objects, creates feeds for new names when the layout allows it, and
tells the decode queue which feeds have work.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from monitor_app.core.pipeline.health import CameraHealth, ConnectionStatus
from monitor_app.core.pipeline.mailbox import LatestSlot
from monitor_app.core.sources.base import SINGLE_CAMERA
from monitor_app.core.sources.frames import EncodedFrame

ANY_CAMERA = SINGLE_CAMERA
"""Camera name of single-stream connections (a URL, a test pattern): matches every frame."""

MAX_NEW_CAMERAS = 64
"""New names one auto-adding connection may turn into tiles. An open port gets hostile peers:
a sender cycling through random names must not grow the wall (and memory) without end."""


class CameraFeed:
    """Everything about one camera that crosses threads."""

    def __init__(self, key: str, connection_id: str, camera: str, status: ConnectionStatus) -> None:
        self.key = key  # unique in the app: the tile's id
        self.connection_id = connection_id
        self.camera = camera
        self.inbox: LatestSlot[EncodedFrame] = LatestSlot()
        self.display: LatestSlot[Any] = LatestSlot()  # decoded frames ready to paint
        self.health = CameraHealth(status)
        # Set through set_view by the GUI thread, read by decoders; each assignment is atomic.
        self.target_size: tuple[int, int] = (320, 240)
        self.visible = True
        self.source_size: tuple[int, int] | None = None  # last frame's (width, height)

    def set_view(self, size: tuple[int, int] | None = None, visible: bool | None = None) -> None:
        """The tile's size in device pixels and whether it is seen; None leaves either as it is."""
        if size is not None:
            self.target_size = size
        if visible is not None:
            self.visible = visible
            if not visible:
                self.display.take()  # nothing stale waits for the tile's return


class ConnectionFeeds:
    """Routes one connection's frames to its cameras' feeds."""

    def __init__(
        self,
        connection_id: str,
        status: ConnectionStatus,
        on_work: Callable[[CameraFeed], None],
        on_new_camera: Callable[[str, str], None] | None = None,
        auto_add: bool = False,
    ) -> None:
        self.connection_id = connection_id
        self.status = status
        self._on_work = on_work
        self._on_new_camera = on_new_camera
        self.auto_add = auto_add
        self._lock = threading.Lock()
        self._feeds: dict[str, CameraFeed] = {}
        self._announced: set[str] = set()
        self.refused_names = 0  # messages from names past MAX_NEW_CAMERAS, dropped

    def attach(self, feed: CameraFeed) -> None:
        with self._lock:
            self._feeds[feed.camera] = feed

    def detach(self, camera: str) -> None:
        with self._lock:
            self._feeds.pop(camera, None)
            self._announced.discard(camera)

    def _feed_for(self, camera: str) -> CameraFeed | None:
        with self._lock:
            feed = self._feeds.get(camera) or self._feeds.get(ANY_CAMERA)
            if feed is not None or not self.auto_add or camera in self._announced:
                return feed
            if len(self._announced) >= MAX_NEW_CAMERAS:
                self.refused_names += 1
                return None
            self._announced.add(camera)
        # Outside the lock: the callback crosses into the GUI (a queued signal) which attaches a feed.
        if self._on_new_camera is not None:
            self._on_new_camera(self.connection_id, camera)
        return None

    # FrameSink -----------------------------------------------------------------------
    def deliver(self, frame: EncodedFrame) -> None:
        self.status.count_message()
        feed = self._feed_for(frame.camera)
        if feed is None:
            return
        feed.health.frame_received()
        if feed.inbox.put(frame):
            self._on_work(feed)
        else:
            feed.health.frames_dropped_add()  # superseded before it was decoded

    def heartbeat(self, camera: str) -> None:
        self.status.count_message()
        feed = self._feed_for(camera)
        if feed is not None:
            feed.health.heartbeat()

    def bad_message(self, reason: str, camera: str | None = None) -> None:
        self.status.count_message(bad=True)
        if camera is None:
            return
        with self._lock:
            feed = self._feeds.get(camera)
        if feed is not None:
            feed.health.bad_message()

    def target_size(self, camera: str) -> tuple[int, int] | None:
        with self._lock:
            feed = self._feeds.get(camera) or self._feeds.get(ANY_CAMERA)
        return feed.target_size if feed is not None and feed.visible else None

    def wants_frames(self, camera: str) -> bool:
        with self._lock:
            feed = self._feeds.get(camera) or self._feeds.get(ANY_CAMERA)
            if feed is None:  # a tile for it is about to appear, unless it is one name too many
                return self.auto_add and (camera in self._announced or len(self._announced) < MAX_NEW_CAMERAS)
        return feed.visible
