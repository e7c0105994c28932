"""Owns every background thread of a window: one receiver per connection and the decode pool.

The GUI talks to it with plain method calls (start, add a camera, stop); it talks back with
two signals. ``frames_ready`` fires when the set of cameras with a new frame to paint goes
from empty to not empty, so the GUI event queue holds at most one such event whatever the
number of cameras and their frame rates; the GUI takes the set with ``take_ready``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout
from monitor_app.core.pipeline.connection_loop import run_connection
from monitor_app.core.pipeline.decode_queue import DecodeQueue, run_decode_worker
from monitor_app.core.pipeline.health import CameraState, ConnectionStatus
from monitor_app.core.pipeline.mailbox import ReadyKeys
from monitor_app.core.pipeline.routing import ANY_CAMERA, CameraFeed, ConnectionFeeds
from monitor_app.core.redact import mask_text
from monitor_app.core.sources.base import FrameSource
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.registry import create_source, source_kind
from monitor_app.receivers.display_frame import to_display_frame
from monitor_app.receivers.threads import LoopThread, stop_all

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
    frames_ready = Signal()
    """Some cameras have a new frame to paint (``take_ready``); at most one pending."""
    camera_discovered = Signal(str, str)
    """(connection id, camera name): a connection that auto-adds cameras saw a new name."""

    def __init__(self, decode_threads: int | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.queue = DecodeQueue()
        self._ready = ReadyKeys()
        self._connections: dict[str, _Connection] = {}
        self._feeds: dict[str, CameraFeed] = {}
        self._decoders = [
            LoopThread(f"decode-{i}", partial(run_decode_worker, self.queue, self._publish))
            for i in range(decode_threads or default_decode_threads())
        ]
        for thread in self._decoders:
            thread.start()

    # Building ----------------------------------------------------------------------------
    def apply_layout(self, layout: Layout) -> None:
        for conn in layout.connections:
            cameras = [c for c in layout.cameras if c.connection == conn.id]
            self.start_connection(conn, cameras)
        for cam in layout.cameras:
            self.add_camera(cam)

    def start_connection(self, spec: ConnectionSpec, cameras: list[CameraSpec]) -> None:
        status = ConnectionStatus()
        feeds = ConnectionFeeds(spec.id, status, self.queue.push, self._discovered, spec.auto_add_cameras)
        try:
            source: FrameSource | None = create_source(spec.kind, spec.id, spec.options, cameras[0].label if cameras else spec.id)
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

    def add_camera(self, cam: CameraSpec) -> CameraFeed:
        conn = self._connections[cam.connection]
        name = cam.name if source_kind(conn.spec.kind).many_cameras else ANY_CAMERA
        feed = CameraFeed(cam.id, cam.connection, name, conn.feeds.status)
        self._feeds[cam.id] = feed
        conn.feeds.attach(feed)
        return feed

    def remove_camera(self, key: str) -> None:
        feed = self._feeds.pop(key, None)
        if feed is not None and feed.connection_id in self._connections:
            self._connections[feed.connection_id].feeds.detach(feed.camera)

    def stop_connection(self, connection_id: str) -> None:
        conn = self._connections.pop(connection_id, None)
        if conn is not None and conn.thread is not None:
            conn.thread.join()

    # Reading -----------------------------------------------------------------------------
    def feed(self, key: str) -> CameraFeed | None:
        return self._feeds.get(key)

    def source_description(self, connection_id: str) -> str:
        conn = self._connections.get(connection_id)
        return conn.description if conn else connection_id

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
                "reconnects": status.reconnects,
                "refused_camera_names": conn.feeds.refused_names,
            }
            if conn.source is not None:
                entry["endpoints"] = conn.source.endpoint_stats()
            result.append(entry)
        return result

    # Shutdown ----------------------------------------------------------------------------
    def stop(self, timeout_ms: int = 2000) -> bool:
        """The one shutdown path: signal every thread, then join each. True if all stopped."""
        threads = [c.thread for c in self._connections.values() if c.thread is not None] + self._decoders
        stopped = stop_all(threads, timeout_ms)
        self._connections.clear()
        self._decoders = []
        return stopped

    def take_ready(self) -> set[str]:
        """The feed keys whose display slot has filled since the last call."""
        return self._ready.take_all()

    # Called from worker threads ------------------------------------------------------------
    def _publish(self, feed: CameraFeed, pixels: np.ndarray, frame: EncodedFrame) -> None:
        if feed.display.put(to_display_frame(pixels, frame, feed.source_size)):
            if self._ready.add(feed.key):
                self.frames_ready.emit()
        else:
            feed.health.frames_dropped_add()  # decoded, then superseded before it was painted

    def _discovered(self, connection_id: str, camera: str) -> None:
        self.camera_discovered.emit(connection_id, camera)
