"""The routes of ``--web``: the page and its WebSocket, one camera's stream and snapshot, the JSON API.

With a token, every request must carry it, as ``Authorization: Bearer TOKEN`` or as ``?token=TOKEN``
(a browser cannot add a header to the page, an ``<img>`` or a WebSocket). Without one, only requests
addressed to a loopback name are answered (``Host``), so another site cannot reach it through the browser.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

from aiohttp import WSMsgType, web

from monitor_app.web.clients import BOUNDARY, MjpegClient, SnapshotClient, WallClient
from monitor_app.web.hub import WallHub

SNAPSHOT_WAIT_S = 5.0
MAX_MESSAGE_BYTES = 64 * 1024
"""The largest message a page may send (a ``watch`` of 256 cameras fits many times over)."""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
HUB = web.AppKey("hub", WallHub)
TASKS = web.AppKey("tasks", set)  # the long-lived handlers, cancelled when the server stops


def build_app(hub: WallHub, token: str | None, tasks: set[asyncio.Task[Any]]) -> web.Application:
    app = web.Application(middlewares=[_token_check(token)] if token else [_loopback_host_check])
    app[HUB] = hub
    app[TASKS] = tasks
    page = resources.files("monitor_app.web").joinpath("page.html").read_bytes()

    async def index(request: web.Request) -> web.Response:
        return web.Response(body=page, content_type="text/html", charset="utf-8", headers={"Cache-Control": "no-store"})

    app.router.add_get("/", index)
    app.router.add_get("/ws", _page_socket)
    app.router.add_get("/api/cameras", _cameras)
    app.router.add_get("/api/stats", _stats)
    app.router.add_get("/cameras/{camera}/stream.mjpg", _stream)
    app.router.add_get("/cameras/{camera}/snapshot.jpg", _snapshot)
    return app


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")


@web.middleware
async def _loopback_host_check(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Without a token the server listens on loopback only, but a web page elsewhere can still make the
    browser ask it under a name of its own (DNS rebinding): answer only requests addressed to loopback."""
    host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    if host.lower() not in LOOPBACK_HOSTS and not host.startswith("127."):
        raise web.HTTPMisdirectedRequest(text="this server answers requests for 127.0.0.1 or localhost only\n")
    return await handler(request)


def _token_check(token: str) -> Any:
    expected = token.encode()

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        header = request.headers.get("Authorization", "")
        given = header[7:] if header.startswith("Bearer ") else request.query.get("token", "")
        if not hmac.compare_digest(given.encode(), expected):
            raise web.HTTPUnauthorized(text="a token is required\n", headers={"WWW-Authenticate": "Bearer"})
        return await handler(request)

    return check


def _long_lived(request: web.Request) -> Callable[[], None]:
    """Note the handler's task, so stopping the server cancels it; returns what forgets it."""
    tasks = request.app[TASKS]
    task = asyncio.current_task()
    assert task is not None
    tasks.add(task)
    return lambda: tasks.discard(task)


async def _page_socket(request: web.Request) -> web.StreamResponse:
    hub = request.app[HUB]
    # No compression: JPEG does not shrink, and deflating it would cost more than the frame did.
    ws = web.WebSocketResponse(compress=False, max_msg_size=MAX_MESSAGE_BYTES, heartbeat=20.0, timeout=1.0)
    await ws.prepare(request)
    forget = _long_lived(request)
    page = WallClient(ws, hub.channel, hub.counters)
    hub.add_page(page, request.transport)
    sender = asyncio.create_task(page.send_loop())
    try:
        async for message in ws:
            if message.type is WSMsgType.TEXT:
                page.handle(message.data)
    finally:
        forget()
        hub.remove_page(page)
        sender.cancel()
        await asyncio.gather(sender, return_exceptions=True)
    return ws


async def _cameras(request: web.Request) -> web.Response:
    return web.json_response(request.app[HUB].cameras())


async def _stats(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    return web.json_response({**hub.status.stats, "web": hub.web_stats()})


def _box(request: web.Request) -> tuple[int, int] | None:
    """``?width=&height=``: the size a stream or snapshot of pixels is encoded at (within MAX_BOX)."""
    try:
        width, height = int(request.query["width"]), int(request.query["height"])
    except (KeyError, ValueError):
        return None
    return (width, height) if width > 0 and height > 0 else None


async def _stream(request: web.Request) -> web.StreamResponse:
    hub = request.app[HUB]
    channel = hub.channel(request.match_info["camera"])
    if channel is None:
        raise web.HTTPNotFound(text="no such camera\n")
    response = web.StreamResponse(
        headers={"Content-Type": f"multipart/x-mixed-replace; boundary={BOUNDARY}", "Cache-Control": "no-store"}
    )
    await response.prepare(request)
    forget = _long_lived(request)
    client = MjpegClient(channel, _box(request), hub.counters)
    hub.streams[client] = request.transport
    try:
        await client.stream(response)
    except ConnectionError:  # the player went away
        pass
    finally:
        forget()
        hub.streams.pop(client, None)
    return response


async def _snapshot(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    channel = hub.channel(request.match_info["camera"])
    if channel is None:
        raise web.HTTPNotFound(text="no such camera\n")
    data = await SnapshotClient(channel, _box(request)).take(SNAPSHOT_WAIT_S)
    if data is None:
        raise web.HTTPServiceUnavailable(text=f"no frame from this camera within {SNAPSHOT_WAIT_S:.0f} s\n")
    return web.Response(body=data, content_type="image/jpeg", headers={"Cache-Control": "no-store"})
