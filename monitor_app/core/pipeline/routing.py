"""Per-camera plumbing: the inbox of the newest encoded frame, the tile's wishes, health.

``ConnectionFeeds`` is the ``FrameSink`` of one connection. It routes frames by camera
name to ``CameraFeed`` objects and tells the decode queue which feeds have work.

A new name on a connection that adds cameras by itself gets a provisional feed, not a tile:
its frames are decoded like any other, and only once one of them decoded (``discovered``)
does the pipeline announce the camera; the window then adopts that same feed (``adopt``),
its first frame still waiting to be painted. A name whose messages never decode never
reaches the wall, and its provisional feed gives its place to the next name.

Every received frame is offered to the feed's taps (``core/pipeline/taps.py``) before the inbox's
latest-wins drop; a feed with taps is read even while its tile is hidden (a browser may watch it).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from monitor_app.core.pipeline.health import CameraHealth, CameraState, ConnectionStatus
from monitor_app.core.pipeline.mailbox import LatestSlot
from monitor_app.core.pipeline.taps import FrameTap, TapSet
from monitor_app.core.sources.base import SINGLE_CAMERA
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.region import FULL, Region

log = logging.getLogger(__name__)

ANY_CAMERA = SINGLE_CAMERA
"""Camera name of single-stream connections (a URL, a test pattern): matches every frame."""

MAX_NEW_CAMERAS = 64
"""New names one auto-adding connection may turn into tiles. An open port gets hostile peers:
a sender cycling through random names must not grow the wall (and memory) without end.
Names still waiting for their first decoded frame count too, until they fail."""

MAX_EARLY_EVENTS = 64
"""Names whose latest event is kept before they have a feed (imagenode sends ``|motion|still`` before
its first frame): shown once the camera's tile appears; a name cycler cannot grow it."""

PROVISIONAL_GIVE_UP_S = 10.0
"""A provisional feed whose frames have not decoded after this long gives its place up when one is needed."""


class CameraFeed:
    """Everything about one camera that crosses threads."""

    def __init__(
        self, key: str, connection_id: str, camera: str, status: ConnectionStatus, provisional: bool = False
    ) -> None:
        self.key = key  # unique in the app: the tile's id (a provisional feed keeps its own key)
        self.connection_id = connection_id
        self.camera = camera
        self.inbox: LatestSlot[EncodedFrame] = LatestSlot()
        self.display: LatestSlot[Any] = LatestSlot()  # decoded frames ready to paint
        self.health = CameraHealth(status)
        # Set through set_view by the GUI thread, read by decoders; each assignment is atomic.
        self.target_size: tuple[int, int] = (320, 240)
        self.region: Region = FULL  # the part of the picture a zoomed tile shows
        self.visible = True
        self.source_size: tuple[int, int] | None = None  # last frame's (width, height)
        self.last_frame: EncodedFrame | None = None  # as received, for a snapshot (one reference, no copy)
        self.provisional = provisional  # a new name's feed, not on the wall yet
        self.created = time.monotonic()
        self._taps = TapSet()

    @property
    def taps(self) -> tuple[FrameTap, ...]:
        """The taps now: a tuple replaced (never changed) by ``add_tap``/``remove_tap``."""
        return self._taps.taps

    def add_tap(self, tap: FrameTap) -> None:
        """From any thread: ``tap`` is offered every frame this camera receives from now on."""
        self._taps.add(tap)

    def remove_tap(self, tap: FrameTap) -> None:
        self._taps.remove(tap)

    def offer_to_taps(self, frame: EncodedFrame) -> None:
        for tap in self._taps.taps:  # () for a camera nobody taps: nothing to pay
            try:
                tap.offer(frame)
            except Exception:  # a reader's bug must not stop the camera's receiver
                log.exception("a frame tap of %s failed", self.key)

    def set_view(
        self, size: tuple[int, int] | None = None, visible: bool | None = None, region: Region | None = None
    ) -> None:
        """The tile's size in device pixels, whether it is seen, the region it shows; None leaves each as it is."""
        if size is not None:
            self.target_size = size
        if region is not None:
            self.region = region
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
        auto_add: bool = False,
    ) -> None:
        self.connection_id = connection_id
        self.status = status
        self._on_work = on_work
        self.auto_add = auto_add
        self._lock = threading.Lock()
        self._feeds: dict[str, CameraFeed] = {}
        self._pending: dict[str, CameraFeed] = {}  # provisional feeds of new names, by name
        self._announced: set[str] = set()  # new names whose first frame decoded: they have or get a tile
        self._serial = itertools.count(1)
        self.refused_names = 0  # messages from names past MAX_NEW_CAMERAS, dropped
        self._early_events: dict[str, str] = {}  # name -> latest event, for names with no feed yet

    def attach(self, feed: CameraFeed) -> None:
        with self._lock:
            self._feeds[feed.camera] = feed
            self._pending.pop(feed.camera, None)

    def detach(self, camera: str) -> None:
        """The camera's tile is gone; if its name sends again, it is new again."""
        with self._lock:
            self._feeds.pop(camera, None)
            self._pending.pop(camera, None)
            self._announced.discard(camera)

    def discovered(self, feed: CameraFeed) -> bool:
        """A frame of ``feed`` decoded: True the first time for a provisional feed (show the camera now)."""
        with self._lock:
            if self._pending.get(feed.camera) is not feed or feed.camera in self._announced:
                return False
            self._announced.add(feed.camera)
            return True

    def adopt(self, camera: str) -> CameraFeed | None:
        """The provisional feed of ``camera``, attached from now on: its decoded first frame waits in its
        display slot. None when the name has none (it stopped, or a restart dropped it)."""
        with self._lock:
            feed = self._pending.pop(camera, None)
            if feed is not None:
                feed.provisional = False
                self._feeds[camera] = feed
            return feed

    def decline(self, camera: str) -> None:
        """A discovered camera no tile could be made for: its messages are dropped from now on."""
        with self._lock:
            self._pending.pop(camera, None)

    def _feed_for(self, camera: str) -> CameraFeed | None:
        """The camera's feed; a new name on an auto-adding connection gets a provisional one."""
        with self._lock:
            feed = self._feeds.get(camera) or self._pending.get(camera) or self._feeds.get(ANY_CAMERA)
            if feed is not None or not self.auto_add or camera in self._announced:
                return feed
            if len(self._announced | self._pending.keys()) >= MAX_NEW_CAMERAS and not self._give_up_one():
                self.refused_names += 1
                return None
            # Its own key for the decode queue, never reused: not one that unique_id() makes for a layout.
            key = f"{self.connection_id}/{camera}#new-{next(self._serial)}"
            feed = self._pending[camera] = CameraFeed(key, self.connection_id, camera, self.status, provisional=True)
            early = self._early_event_of(camera)
            if early is not None:
                feed.health.event(early)
            return feed

    def _early_event_of(self, camera: str) -> str | None:
        """The newest event that came for ``camera`` (or its imagenode node) before it had a feed."""
        for name in reversed(self._early_events):
            if camera == name or camera.startswith(name + " "):
                return self._early_events[name]
        return None

    def _give_up_one(self) -> bool:
        """Drop a provisional feed whose frames failed to decode (or never did in time); True if one went."""
        now = time.monotonic()
        for camera, feed in self._pending.items():
            health = feed.health
            if camera in self._announced or health.frames_decoded:
                continue
            if health.bad_messages or now - feed.created > PROVISIONAL_GIVE_UP_S:
                del self._pending[camera]
                return True
        return False

    def _known(self, camera: str, or_any: bool = True) -> CameraFeed | None:
        """The feed of ``camera`` (attached or provisional), else the connection's catch-all one."""
        with self._lock:
            feed = self._feeds.get(camera) or self._pending.get(camera)
            return feed if feed is not None or not or_any else self._feeds.get(ANY_CAMERA)

    # FrameSink -----------------------------------------------------------------------
    def deliver(self, frame: EncodedFrame) -> None:
        self.status.count_message()
        feed = self._feed_for(frame.camera)
        if feed is None:
            return
        feed.health.frame_received()
        feed.last_frame = frame
        feed.offer_to_taps(frame)  # before the inbox may drop it
        if feed.inbox.put(frame):
            self._on_work(feed)
        else:
            feed.health.frames_dropped_add()  # superseded before it was decoded

    def heartbeat(self, camera: str) -> None:
        self.status.count_message()
        for feed in self._node_feeds(camera):  # a heartbeat alone never makes a camera
            feed.health.heartbeat()

    def event(self, camera: str, text: str) -> None:
        self.status.count_message()
        feeds = self._node_feeds(camera)
        for feed in feeds:  # nor does an event
            feed.health.event(text)
        if not feeds and self.auto_add:  # kept for the tile the camera's first frame makes
            with self._lock:
                self._early_events.pop(camera, None)  # re-inserted: the dict's order is the events' order
                self._early_events[camera] = text
                while len(self._early_events) > MAX_EARLY_EVENTS:
                    del self._early_events[next(iter(self._early_events))]

    def _node_feeds(self, node: str) -> list[CameraFeed]:
        """The feeds of camera ``node`` and of every camera of that imagenode node (``node`` + " " + view),
        else the connection's catch-all one."""
        with self._lock:
            views = [
                f for name, f in (self._feeds | self._pending).items() if name == node or name.startswith(node + " ")
            ]
            catch_all = self._feeds.get(ANY_CAMERA)
        return views or ([catch_all] if catch_all is not None else [])

    def bad_message(self, reason: str, camera: str | None = None) -> None:
        self.status.count_message(bad=True, reason=reason)
        if camera is None:
            return
        feed = self._known(camera, or_any=False)
        if feed is not None:
            feed.health.bad_message()

    def target_size(self, camera: str) -> tuple[int, int] | None:
        feed = self._known(camera)
        return feed.target_size if feed is not None and feed.visible else None

    def target_region(self, camera: str) -> Region:
        feed = self._known(camera)
        return feed.region if feed is not None else FULL

    def wants_frames(self, camera: str) -> bool:
        feed = self._known(camera)
        if feed is None:  # a new name gets a provisional feed, unless it is one name too many
            with self._lock:
                taken = len(self._announced | self._pending.keys())
                return self.auto_add and camera not in self._announced and taken < MAX_NEW_CAMERAS
        return feed.visible or bool(feed.taps)

    def camera_link_lost(self, camera: str, reason: str) -> None:
        """The publisher of ``camera`` disconnected (ZeroMQ reconnects by itself): shown until it sends again."""
        feed = self._known(camera, or_any=False)
        if feed is not None:
            feed.health.set_own_state(CameraState.RECONNECTING, reason)
