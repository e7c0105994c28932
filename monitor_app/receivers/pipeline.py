"""Owns every background thread of a window: one receiver per connection and the decode pool.

The UI talks to it only through methods: ``apply`` a ``LayoutDiff`` (computed by a Qt-free
function in ``core/layouts/diff.py``), ``set_view`` of a tile, ``retry_now``, ``stop``. It
talks back with two signals. ``frames_ready`` fires when the set of cameras with a new frame
to paint goes from empty to not empty, so the GUI event queue holds at most one such event
whatever the number of cameras and their frame rates; the GUI takes the set with ``take_ready``.
``camera_discovered`` fires when a new name's first frame has decoded; ``add_camera`` then
adopts the feed that decoded it, so that first frame is the first one painted.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Signal

from monitor_app.core.layouts.diff import ConnectionStart, LayoutDiff
from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec
from monitor_app.core.paths import recordings_dir
from monitor_app.core.pipeline.connection_loop import run_connection
from monitor_app.core.pipeline.decode import Decoded
from monitor_app.core.pipeline.decode_queue import DecodeQueue, run_decode_worker
from monitor_app.core.pipeline.health import CameraState, ConnectionSnapshot, ConnectionStatus, HealthSnapshot
from monitor_app.core.pipeline.mailbox import ReadyKeys
from monitor_app.core.pipeline.routing import ANY_CAMERA, CameraFeed, ConnectionFeeds
from monitor_app.core.pipeline.stats import TileReport
from monitor_app.core.recording.recorder import RecordingSettings, stats_entry
from monitor_app.core.recording.recordings import Recordings
from monitor_app.core.redact import mask_text
from monitor_app.core.sources.base import FrameSource
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.region import Region
from monitor_app.core.sources.registry import create_source, source_kind
from monitor_app.receivers.display_frame import to_display_frame
from monitor_app.receivers.threads import JOIN_TIMEOUT_MS, LoopThread, stop_all
from monitor_app.receivers.view_requests import MAIN_VIEWER, ViewRequests

log = logging.getLogger(__name__)


def default_decode_threads() -> int:
    return max(2, min(4, os.cpu_count() or 2))


@dataclass
class _Connection:
    spec: ConnectionSpec
    feeds: ConnectionFeeds
    source: FrameSource | None
    thread: LoopThread | None
    description: str


class CameraPipeline(QObject):
    """The receivers and decoders of one window, driven by layout diffs and tile views."""

    frames_ready = Signal()
    """Some cameras have a new frame to paint (``take_ready``); at most one pending."""
    camera_discovered = Signal(str, str)
    """(connection id, camera name): a connection that auto-adds cameras decoded a new name's first frame."""

    def __init__(self, decode_threads: int | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue = DecodeQueue()
        self._ready = ReadyKeys()
        self._connections: dict[str, _Connection] = {}
        self._feeds: dict[str, CameraFeed] = {}
        self._tile_keys: dict[str, str] = {}  # an adopted provisional feed's own key -> its tile's key
        self._views = ViewRequests()  # what each window asks of each camera
        self.recordings = Recordings(RecordingSettings(recordings_dir()))
        """Every camera's pre-roll and recording (``core/recording``), tapped as its feed comes and goes."""
        # Threads that did not stop within their timeout: kept referenced (a QThread object
        # destroyed while its thread runs aborts the process) and reported until they end.
        self._stragglers: list[LoopThread] = []
        self._decoders = [
            LoopThread(f"decode-{i}", partial(run_decode_worker, self._queue, self._publish))
            for i in range(decode_threads or default_decode_threads())
        ]
        for thread in self._decoders:
            thread.start()

    # Driven by the UI ---------------------------------------------------------------------
    def apply(self, diff: LayoutDiff) -> None:
        """Take the steps of ``diff``: stop, drop feeds, start, add feeds; the rest runs on."""
        self._stop_connections(diff.stop)
        for key in diff.remove_feeds:
            self._remove_feed(key)
        for start in diff.start:
            self._start_connection(start)
        for cam in diff.add_feeds:
            self.add_camera(cam)
        self.recordings.prune(self._feeds)

    def add_camera(self, cam: CameraSpec) -> None:
        """A feed for a camera of a running connection: a new tile, or a discovered name, whose
        provisional feed (and decoded first frame) it takes over."""
        conn = self._connections[cam.connection]
        name = cam.name if source_kind(conn.spec.kind).many_cameras else ANY_CAMERA
        feed = conn.feeds.adopt(name) if name != ANY_CAMERA else None
        if feed is None:
            feed = CameraFeed(cam.id, cam.connection, name, conn.feeds.status)
            conn.feeds.attach(feed)
        else:
            self._tile_keys[feed.key] = cam.id
            if not feed.display.is_empty() and self._ready.add(cam.id):  # its first frame, not yet painted
                self.frames_ready.emit()
        self._feeds[cam.id] = feed
        self.recordings.attach(cam.id, cam.label, feed, conn.source)

    def decline_camera(self, connection_id: str, name: str) -> None:
        """A discovered camera the wall has no room for: its messages are dropped from now on."""
        conn = self._connections.get(connection_id)
        if conn is not None:
            conn.feeds.decline(name)

    def set_view(
        self,
        key: str,
        size: tuple[int, int] | None = None,
        visible: bool | None = None,
        region: Region | None = None,
        viewer: str = MAIN_VIEWER,
    ) -> None:
        """What ``viewer``'s tile of ``key`` paints: its size in device pixels, whether it is seen, the part of
        the picture it shows (a zoomed tile's region, decoded at the tile's size); None leaves each as it is.
        One camera in several windows is decoded once, not at all while none sees it (``view_requests``)."""
        feed = self._feeds.get(key)
        if feed is not None:
            self._views.set(feed, key, viewer, size, visible, region)

    def forget_viewer(self, viewer: str) -> None:
        """A window closed: what it asked of each camera no longer counts."""
        self._views.forget(viewer, self._feeds)

    def can_retry(self, key: str) -> bool:
        """The camera's connection is waiting out a back-off before its next try."""
        feed = self._feeds.get(key)
        return feed is not None and feed.health.connection.retry_at is not None

    def retry_now(self, key: str) -> None:
        """Cut the back-off of the camera's connection short."""
        feed = self._feeds.get(key)
        if feed is not None:
            feed.health.connection.retry_now()

    def take_ready(self) -> set[str]:
        """The feed keys whose display slot has filled since the last call."""
        return {self._tile_keys.get(key, key) for key in self._ready.take_all()}

    # Reading -----------------------------------------------------------------------------
    def feed(self, key: str) -> CameraFeed | None:
        return self._feeds.get(key)

    def request_full_frame(self, key: str) -> Future[EncodedFrame] | None:
        """The camera's next frame at its stream's full size, from a source that delivers them scaled
        (URL cameras); None when its frames arrive as they are (or it is not connected). Never blocks."""
        feed = self._feeds.get(key)
        conn = self._connections.get(feed.connection_id) if feed is not None else None
        if feed is None or conn is None or conn.source is None:
            return None
        return conn.source.request_full_frame(feed.camera)

    def health(self, key: str) -> HealthSnapshot | None:
        feed = self._feeds.get(key)
        return feed.health.snapshot() if feed is not None else None

    def tile_reports(self, cameras: Iterable[CameraSpec]) -> list[TileReport]:
        """What ``--stats-json`` says of each of ``cameras`` that has a feed."""
        reports = []
        for cam in cameras:
            health = self.health(cam.id)
            if health is not None:
                source, conn = self.source_description(cam.connection), cam.connection
                recording = stats_entry(self.recordings.report(cam.id))
                reports.append(TileReport(cam.label, source, conn, cam.name, health, self._decoder(conn), recording))
        return reports

    def _decoder(self, connection_id: str) -> str | None:
        """The decoder of the connection's stream being shown (its first endpoint), if its source reports one."""
        conn = self._connections.get(connection_id)
        endpoints = conn.source.endpoint_stats() if conn is not None and conn.source is not None else []
        decoder = endpoints[0].get("decoder") if endpoints else None
        return str(decoder) if decoder is not None else None

    def frame_age(self, key: str) -> float | None:
        """Seconds since the camera's last frame or heartbeat; None if it has had none (or no feed)."""
        feed = self._feeds.get(key)
        return feed.health.snapshot().last_frame_age_s if feed is not None else None

    def source_description(self, connection_id: str) -> str:
        conn = self._connections.get(connection_id)
        return conn.description if conn else connection_id

    def connection_health(self) -> list[tuple[str, str, ConnectionSnapshot]]:
        """(id, description, own state) of every connection, for the wall when no tile shows it."""
        return [(cid, conn.description, conn.feeds.status.snapshot()) for cid, conn in self._connections.items()]

    def connection_stats(self) -> list[dict[str, Any]]:
        result = []
        for conn_id, conn in self._connections.items():
            status = conn.feeds.status
            entry: dict[str, Any] = {
                "id": conn_id,
                "kind": conn.spec.kind,
                "source": conn.description,
                "state": status.state.value,
                "error": status.error or None,
                "messages": status.messages,
                "bad_messages": status.bad_messages,
                "last_bad_reason": status.last_bad_reason or None,
                "reconnects": status.reconnects,
                "refused_camera_names": conn.feeds.refused_names,
            }
            if conn.source is not None:
                entry["endpoints"] = conn.source.endpoint_stats()
            result.append(entry)
        return result

    def stragglers(self) -> list[str]:
        """Names of threads that were asked to stop, did not within their timeout, and still run."""
        self._stragglers = [t for t in self._stragglers if t.isRunning()]
        return [t.objectName() for t in self._stragglers]

    # Shutdown ----------------------------------------------------------------------------
    def stop(self, timeout_ms: int = JOIN_TIMEOUT_MS) -> bool:
        """The one shutdown path: signal every thread, then join each. True if all stopped."""
        threads = [c.thread for c in self._connections.values() if c.thread is not None] + self._decoders
        stopped = self._join(threads, timeout_ms)
        self.recordings.close()  # nothing feeds them now: every file is finished
        self._connections.clear()
        self._feeds.clear()
        self._tile_keys.clear()
        self._decoders = []
        return stopped and not self.stragglers()

    # Internals ---------------------------------------------------------------------------
    def _start_connection(self, start: ConnectionStart) -> None:
        spec = start.spec
        status = ConnectionStatus()
        feeds = ConnectionFeeds(spec.id, status, self._queue.push, spec.auto_add_cameras)
        try:
            source: FrameSource | None = create_source(spec.kind, spec.id, spec.options, start.title)
        except (ValueError, OSError) as exc:
            source = None
            status.set(CameraState.ERROR, mask_text(str(exc)))
        description = source.description if source is not None else f"{spec.kind} {spec.id}"
        thread = None
        if source is not None:
            thread = LoopThread(f"receiver-{spec.id}", partial(run_connection, source, feeds))
        self._connections[spec.id] = _Connection(spec, feeds, source, thread, mask_text(description))
        if thread is not None:
            thread.start()

    def _stop_connections(self, connection_ids: tuple[str, ...]) -> None:
        conns = [self._connections.pop(cid) for cid in connection_ids if cid in self._connections]
        self._join([c.thread for c in conns if c.thread is not None])

    def _join(self, threads: list[LoopThread], timeout_ms: int = JOIN_TIMEOUT_MS) -> bool:
        stopped = stop_all(threads, timeout_ms)
        self._stragglers += [t for t in threads if t.isRunning()]
        return stopped

    def _remove_feed(self, key: str) -> None:
        feed = self._feeds.pop(key, None)
        self._views.drop(key)
        if feed is None:
            return
        self._tile_keys.pop(feed.key, None)
        self.recordings.detach(key)
        if feed.connection_id in self._connections:
            self._connections[feed.connection_id].feeds.detach(feed.camera)

    # Called from worker threads ------------------------------------------------------------
    def _publish(self, feed: CameraFeed, decoded: Decoded, frame: EncodedFrame) -> None:
        shown = to_display_frame(decoded.pixels, frame, decoded.source_size, decoded.region, decoded.detail)
        if feed.display.put(shown):
            if self._ready.add(feed.key):
                self.frames_ready.emit()
        else:
            feed.health.frames_dropped_add()  # decoded, then superseded before it was painted
        if feed.provisional:  # a new name: it goes on the wall now that one of its frames decoded
            conn = self._connections.get(feed.connection_id)
            if conn is not None and conn.feeds.discovered(feed):
                self.camera_discovered.emit(feed.connection_id, feed.camera)
