"""The web server in this process on a real loopback socket, fed by real feeds from a thread of frames."""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import threading
import time
from collections.abc import Iterator

import aiohttp
import numpy as np
import pytest

from monitor_app.core.pipeline.health import ConnectionStatus
from monitor_app.core.pipeline.routing import ANY_CAMERA, CameraFeed, ConnectionFeeds
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.web.clients import CREDITS
from monitor_app.web.server import WebServer
from monitor_app.web.view import CameraView, GridView, TileView, WallStatus, WallView


class Camera:
    """A connection of one camera whose frames of pixels a thread delivers at ``fps``."""

    def __init__(self, camera_id: str, fps: float = 50.0) -> None:
        self.feeds = ConnectionFeeds(camera_id, ConnectionStatus(), lambda feed: None)
        self.feed = CameraFeed(camera_id, camera_id, ANY_CAMERA, self.feeds.status)
        self.feeds.attach(self.feed)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(1.0 / fps,))
        self._thread.start()

    def _run(self, interval: float) -> None:
        n = 0
        while not self._stop.wait(interval):
            n += 1
            self.feeds.deliver(EncodedFrame("", pixels=np.full((360, 640, 3), n % 256, np.uint8)))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def view_of(*cameras: Camera) -> WallView:
    tiles = tuple(TileView(c.feed.key, 0, n) for n, c in enumerate(cameras))
    return WallView(
        (GridView("test", 1, len(cameras), tiles),),
        tuple(CameraView(c.feed.key, c.feed.key.upper(), c.feed) for c in cameras),
    )


@pytest.fixture
def cameras() -> Iterator[list[Camera]]:
    made = [Camera("a"), Camera("b")]
    yield made
    for camera in made:
        camera.stop()


@pytest.fixture
def server(cameras: list[Camera]) -> Iterator[WebServer]:
    web = WebServer("127.0.0.1", 0)
    web.publish_view(view_of(*cameras))
    web.publish_status(WallStatus({"a": "live", "b": "stalled"}, {"app": {"uptime_s": 1.0}}))
    web.start()
    yield web
    assert web.stop()


async def page_frames(port: int, sizes: dict[str, list[int]], seconds: float, ack: bool) -> tuple[list[dict], dict]:
    """A page's view of the socket: its control messages, and the frames per camera (acked or not)."""
    control: list[dict] = []
    frames: dict[str, int] = {}
    async with aiohttp.ClientSession() as session, session.ws_connect(f"ws://127.0.0.1:{port}/ws") as ws:
        await ws.send_json({"type": "watch", "sizes": sizes})
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = await ws.receive(timeout=left)
            except TimeoutError:
                break
            if message.type is aiohttp.WSMsgType.TEXT:
                control.append(json.loads(message.data))
            elif message.type is aiohttp.WSMsgType.BINARY:
                (length,) = struct.unpack_from(">H", message.data)
                camera = message.data[2 : 2 + length].decode()
                assert message.data[2 + length : 4 + length] == b"\xff\xd8"  # a JPEG follows the id
                frames[camera] = frames.get(camera, 0) + 1
                if ack:
                    await ws.send_json({"type": "ack", "camera": camera})
    return control, frames


def test_a_page_gets_the_view_states_and_the_frames_it_watches(server: WebServer, cameras: list[Camera]) -> None:
    control, frames = asyncio.run(page_frames(server.port, {"a": [320, 180]}, 1.5, ack=True))
    assert control[0]["type"] == "view" and control[0]["views"][0]["tiles"][1]["camera"] == "b"
    assert control[0]["cameras"] == {"a": {"title": "A"}, "b": {"title": "B"}}
    assert control[1] == {"type": "states", "states": {"a": "live", "b": "stalled"}}
    assert set(frames) == {"a"} and frames["a"] >= 20
    deadline = time.monotonic() + 3
    while any(c.feed.taps for c in cameras) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(c.feed.taps == () for c in cameras)  # nobody watches any more: no tap left


def test_a_page_that_acks_nothing_is_sent_no_more_than_its_credits(server: WebServer) -> None:
    _, frames = asyncio.run(page_frames(server.port, {"a": [320, 180], "b": [320, 180]}, 1.0, ack=False))
    assert frames == {"a": CREDITS, "b": CREDITS}


def test_a_restarted_connection_s_new_feed_gets_the_tap(server: WebServer, cameras: list[Camera]) -> None:
    async def watch_while(swap: object) -> int:
        async with aiohttp.ClientSession() as session, session.ws_connect(f"ws://127.0.0.1:{server.port}/ws") as ws:
            await ws.send_json({"type": "watch", "sizes": {"a": [64, 64]}})
            await asyncio.sleep(0.5)
            swap()  # type: ignore[operator]
            await asyncio.sleep(0.5)
            count, deadline = 0, time.monotonic() + 1.0
            while (left := deadline - time.monotonic()) > 0:
                try:
                    message = await ws.receive(timeout=left)
                except TimeoutError:
                    break
                if message.type is aiohttp.WSMsgType.BINARY:
                    count += 1
                    await ws.send_json({"type": "ack", "camera": "a"})
            assert old.feed.taps == () and len(new.feed.taps) == 1  # while the page still watches
            return count

    old = cameras[0]
    new = Camera("a")
    cameras.append(new)

    def swap() -> None:
        server.publish_view(view_of(new, cameras[1]))
        old.stop()

    assert asyncio.run(watch_while(swap)) >= 10


def test_stopping_is_prompt_with_clients_that_never_read(cameras: list[Camera]) -> None:
    web = WebServer("127.0.0.1", 0)
    web.publish_view(view_of(*cameras))
    web.start()
    idle = []
    for path in ("/cameras/a/stream.mjpg", "/ws"):
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", web.port))
        upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n{upgrade if path == '/ws' else ''}\r\n".encode())
        idle.append(sock)
    time.sleep(1.0)
    started = time.monotonic()
    try:
        assert web.stop()
        assert time.monotonic() - started < 1.0
        assert all(c.feed.taps == () for c in cameras)
    finally:
        for sock in idle:
            sock.close()


def test_a_port_in_use_is_refused_with_the_reason() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        web = WebServer("127.0.0.1", taken.getsockname()[1])
        with pytest.raises(OSError, match=r"cannot listen on 127\.0\.0\.1"):
            web.start()


def test_without_a_token_only_requests_addressed_to_loopback_are_answered(server: WebServer) -> None:
    """DNS rebinding: a page on evil.example makes the browser ask 127.0.0.1 under evil.example's name."""

    def status(host: str) -> int:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(f"GET /api/cameras HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            return int(sock.recv(4096).split(b" ", 2)[1])

    assert status(f"evil.example:{server.port}") == 421
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}", "localhost", f"[::1]:{server.port}"):
        assert status(host) == 200, host
