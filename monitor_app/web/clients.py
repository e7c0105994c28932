"""The two kinds of web client, each sent only the newest frame of what it watches.

A page (``WallClient``) has one WebSocket carrying every camera it shows: a browser opens about six
HTTP/1.1 connections per host, so one MJPEG ``<img>`` per camera would stall a page of more.
A frame goes to the page as one binary message (2-byte id length, the camera id, the JPEG); the page
acks each frame once shown, and a camera has at most ``CREDITS`` frames in flight, so a page that
cannot keep up is sent fewer frames instead of queueing them. A stream (``MjpegClient``) is one
camera as ``multipart/x-mixed-replace`` for VLC or ffplay. Both await the socket's drain after
each write, so a client that stops reading holds one frame and the socket's buffer, never more;
in the meantime newer frames replace the one it would get next.
"""

from __future__ import annotations

import asyncio
import json
import struct
import time
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web

from monitor_app.web.channels import CameraChannel, Jpeg, WebCounters

CREDITS = 2
"""Frames of one camera sent to a page and not yet acked: enough to hide a LAN's round trip."""
MAX_WATCHED = 256
"""Cameras one page may watch at once (a 16x16 grid)."""
BOUNDARY = "frame"

ChannelOf = Callable[[str], CameraChannel | None]


class WallClient:
    """A page: watches the cameras it shows, at the sizes it shows them; control messages go first."""

    def __init__(self, ws: web.WebSocketResponse, channel_of: ChannelOf, counters: WebCounters) -> None:
        self._ws = ws
        self._channel_of = channel_of
        self._counters = counters
        self._boxes: dict[str, tuple[int, int]] = {}
        self._channels: dict[str, CameraChannel] = {}
        self._sent: dict[str, int] = {}  # camera -> seq of the newest frame sent
        self._in_flight: dict[str, int] = {}
        self._ready: dict[str, None] = {}  # cameras with a newer frame, oldest news first
        self._control: dict[str, str] = {}  # "view", "states" -> the newest text of each
        self._wake = asyncio.Event()
        self.frames_sent = 0

    # Watcher ---------------------------------------------------------------------------------
    def box_for(self, camera_id: str) -> tuple[int, int] | None:
        return self._boxes.get(camera_id)

    def frame_ready(self, camera_id: str) -> None:
        self._ready[camera_id] = None
        self._wake.set()

    # From the hub and the page ---------------------------------------------------------------------
    def post(self, kind: str, document: Mapping[str, Any]) -> None:
        """A control message; an unsent older one of the same kind is replaced."""
        self._control[kind] = json.dumps({"type": kind, **document})
        self._wake.set()

    def handle(self, text: str) -> None:
        """A message from the page: ``watch`` (camera id -> [width, height]) or ``ack`` (a frame shown)."""
        try:
            message = json.loads(text)
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        if message.get("type") == "watch" and isinstance(message.get("sizes"), dict):
            self.watch(message["sizes"])
        elif message.get("type") == "ack" and isinstance(message.get("camera"), str):
            self._ack(message["camera"])

    def watch(self, sizes: Mapping[str, Any]) -> None:
        boxes: dict[str, tuple[int, int]] = {}
        for camera_id, size in list(sizes.items())[:MAX_WATCHED]:
            if isinstance(size, list) and len(size) == 2 and all(isinstance(v, int | float) for v in size):
                boxes[camera_id] = (int(size[0]), int(size[1]))
        self.rewatch(boxes)

    def rewatch(self, boxes: dict[str, tuple[int, int]] | None = None) -> None:
        """Watch ``boxes`` (None: the same ones again, on channels the new view may have replaced)."""
        boxes = dict(self._boxes) if boxes is None else boxes
        for camera_id, channel in list(self._channels.items()):
            if camera_id not in boxes or self._channel_of(camera_id) is not channel:
                channel.unwatch(self)
                del self._channels[camera_id]
        self._boxes = {}
        for camera_id, box in boxes.items():
            found = self._channels.get(camera_id) or self._channel_of(camera_id)
            if found is None:
                continue
            self._boxes[camera_id] = box
            if camera_id not in self._channels:
                self._channels[camera_id] = channel = found
                self._sent[camera_id] = 0  # a new channel counts its frames from 1 again
                self._in_flight[camera_id] = 0
                channel.watch(self)
                self.frame_ready(camera_id)  # its newest frame, if it has one

    def close(self) -> None:
        for channel in self._channels.values():
            channel.unwatch(self)
        self._channels.clear()

    def _ack(self, camera_id: str) -> None:
        if self._in_flight.get(camera_id, 0) > 0:
            self._in_flight[camera_id] -= 1
            self.frame_ready(camera_id)

    # Sending -----------------------------------------------------------------------------------
    async def send_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._control:
                kind = next(iter(self._control))
                await self._ws.send_str(self._control.pop(kind))
            for camera_id in list(self._ready):
                self._ready.pop(camera_id, None)
                channel = self._channels.get(camera_id)
                jpeg = channel.latest if channel is not None else None
                if jpeg is None or jpeg.seq <= self._sent.get(camera_id, 0) or self._in_flight[camera_id] >= CREDITS:
                    continue  # nothing new, or the page still shows earlier ones (its ack comes back here)
                self._sent[camera_id] = jpeg.seq
                self._in_flight[camera_id] += 1
                await self._ws.send_bytes(_message(camera_id, jpeg))
                self.frames_sent += 1
                self._counters.frames_sent += 1
                self._counters.bytes_sent += len(jpeg.data)
                if self._control:
                    self._wake.set()
                    break


def _message(camera_id: str, jpeg: Jpeg) -> bytes:
    """The binary message of a frame, made once per frame and camera whatever the number of pages."""
    if jpeg.message is None:
        name = camera_id.encode()
        jpeg.message = struct.pack(">H", len(name)) + name + jpeg.data
    return jpeg.message


class MjpegClient:
    """``/cameras/ID/stream.mjpg``: one camera as multipart JPEG parts, the newest each time."""

    def __init__(self, channel: CameraChannel, box: tuple[int, int] | None, counters: WebCounters) -> None:
        self._channel = channel
        self._box = box
        self._counters = counters
        self._wake = asyncio.Event()
        self.frames_sent = 0

    def box_for(self, camera_id: str) -> tuple[int, int] | None:
        return self._box

    def frame_ready(self, camera_id: str) -> None:
        self._wake.set()

    async def stream(self, response: web.StreamResponse) -> None:
        sent = 0
        self._channel.watch(self)
        try:
            while True:
                await self._wake.wait()
                self._wake.clear()
                jpeg = self._channel.latest
                if jpeg is None or jpeg.seq <= sent:
                    continue
                sent = jpeg.seq
                head = f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg.data)}\r\n"
                await response.write(f"{head}X-Frame: {jpeg.seq}\r\n\r\n".encode())
                await response.write(jpeg.data)  # the frame as received or encoded: never copied per client
                await response.write(b"\r\n")
                self.frames_sent += 1
                self._counters.frames_sent += 1
                self._counters.bytes_sent += len(jpeg.data)
        finally:
            self._channel.unwatch(self)


class SnapshotClient:
    """``/cameras/ID/snapshot.jpg``: waits for the camera's next frame (or takes a fresh one it has)."""

    FRESH_S = 1.0

    def __init__(self, channel: CameraChannel, box: tuple[int, int] | None) -> None:
        self._channel = channel
        self._box = box
        self._ready = asyncio.Event()

    def box_for(self, camera_id: str) -> tuple[int, int] | None:
        return self._box

    def frame_ready(self, camera_id: str) -> None:
        self._ready.set()

    async def take(self, timeout_s: float) -> bytes | None:
        latest = self._channel.latest
        if latest is not None and time.time() - latest.received_at < self.FRESH_S:
            return latest.data
        self._channel.watch(self)
        try:
            await asyncio.wait_for(self._ready.wait(), timeout_s)
            latest = self._channel.latest
            return latest.data if latest is not None else None
        except TimeoutError:
            return None
        finally:
            self._channel.unwatch(self)  # the last watcher gone: the channel forgets its frame
