"""The web thread's state: the view and states the window published, a channel per camera, the clients.

Lives on the event loop: the window's snapshots arrive through ``call_soon_threadsafe`` and every
client is told about them from here.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor
from typing import Any

from monitor_app.web.channels import CameraChannel, WebCounters
from monitor_app.web.clients import MjpegClient, WallClient
from monitor_app.web.view import WallStatus, WallView


class WallHub:
    """Channels and clients of one server; the newest ``WallView`` and ``WallStatus``."""

    def __init__(self, loop: asyncio.AbstractEventLoop, executor: Executor) -> None:
        self._loop = loop
        self._executor = executor
        self.counters = WebCounters()
        self.view = WallView()
        self.status = WallStatus()
        self.channels: dict[str, CameraChannel] = {}
        # Each client with its socket's transport, for the bytes it has not taken yet.
        self.pages: dict[WallClient, asyncio.Transport | None] = {}
        self.streams: dict[MjpegClient, asyncio.Transport | None] = {}

    def channel(self, camera_id: str) -> CameraChannel | None:
        """The channel of a camera of the view (made the first time it is asked for); None if none."""
        channel = self.channels.get(camera_id)
        if channel is None:
            camera = self.view.camera(camera_id)
            if camera is None:
                return None
            channel = self.channels[camera_id] = CameraChannel(camera_id, self._loop, self._executor, self.counters)
            channel.set_feed(camera.feed)
        return channel

    def set_view(self, view: WallView) -> None:
        changed = view != self.view
        self.view = view
        for camera_id, channel in list(self.channels.items()):
            camera = view.camera(camera_id)
            if camera is None:  # gone from the layout: its watchers lose it below
                channel.close()
                del self.channels[camera_id]
            else:
                channel.set_feed(camera.feed)
        for page in self.pages:
            page.rewatch()
            if changed:
                page.post("view", view.to_json())

    def set_status(self, status: WallStatus) -> None:
        changed = status.states != self.status.states
        self.status = status
        if changed:
            for page in self.pages:
                page.post("states", {"states": dict(status.states)})

    def add_page(self, page: WallClient, transport: asyncio.Transport | None) -> None:
        self.pages[page] = transport
        page.post("view", self.view.to_json())
        page.post("states", {"states": dict(self.status.states)})

    def remove_page(self, page: WallClient) -> None:
        page.close()
        self.pages.pop(page, None)

    def cameras(self) -> list[dict[str, Any]]:
        """``/api/cameras``: every camera of the layout, with its state and its URLs."""
        return [
            {
                "id": c.id,
                "title": c.title,
                "state": self.status.states.get(c.id, "connecting" if c.feed is not None else "error"),
                "mjpeg": f"/cameras/{c.id}/stream.mjpg",
                "snapshot": f"/cameras/{c.id}/snapshot.jpg",
            }
            for c in self.view.cameras
        ]

    def web_stats(self) -> dict[str, Any]:
        """The ``"web"`` part of ``/api/stats``: counters, clients, and the most any client has buffered."""
        counters = self.counters
        buffered = [_buffered(t) for t in (*self.pages.values(), *self.streams.values())]
        return {
            "jpeg_encodes": counters.jpeg_encodes,
            "frames_forwarded": counters.frames_forwarded,
            "frames_sent": counters.frames_sent,
            "bytes_sent": counters.bytes_sent,
            "frames_skipped": counters.frames_skipped + sum(c.dropped for c in self.channels.values()),
            "clients": len(self.pages) + len(self.streams),
            "pages": len(self.pages),
            "streams": len(self.streams),
            "max_client_buffer_bytes": max(buffered, default=0),
            "cameras": {
                cid: {"watchers": len(c.watchers), "frames_in": c.frames_in, "encodes": c.encodes}
                for cid, c in self.channels.items()
            },
        }

    def close(self) -> None:
        for page in list(self.pages):
            self.remove_page(page)
        for channel in self.channels.values():
            channel.close()
        self.channels.clear()


def _buffered(transport: asyncio.Transport | None) -> int:
    """Bytes written for a client and not yet taken by its socket (the kernel's buffer aside)."""
    return transport.get_write_buffer_size() if transport is not None and not transport.is_closing() else 0
