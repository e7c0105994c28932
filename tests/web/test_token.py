"""The token rule: loopback needs none; any other address refuses to start without one, and then asks for it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from monitor_app.core.net import free_port
from tests.app_process import Processes
from tests.helpers import camera_monitor
from tests.web.web_app import WebApp


def test_every_interface_without_a_token_refuses_to_start() -> None:
    result = camera_monitor("--demo", "--web", f"0.0.0.0:{free_port()}", "--exit-after", "5")
    assert result.returncode == 2
    assert "can be reached from other machines: give --web-token TOKEN" in result.stderr
    assert "CAMERA_MONITOR_WEB_TOKEN" in result.stderr


def test_a_token_is_asked_for_on_every_route(procs: Processes, tmp_path: Path) -> None:
    token = "s3cret-t0ken"
    web = WebApp(procs, tmp_path, "--demo", "--web-token", token, host="0.0.0.0")
    web.wait_ready(token=token)
    for path in ("/", "/api/cameras", "/api/stats", "/cameras/garage/snapshot.jpg"):
        assert web.get(path)[0] == 401, path
        assert web.get(path, token="wrong")[0] == 401, path
        assert web.get(path, token=token)[0] == 200, path
    assert web.get(f"/?token={token}")[0] == 200  # how a browser gives it: in the page's URL
    assert web.get(f"/cameras/garage/snapshot.jpg?token={token}")[0] == 200

    async def socket_status(query: str) -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(f"ws://127.0.0.1:{web.port}/ws{query}") as ws:
                    message = await ws.receive_json(timeout=10)
                    assert message["type"] == "view"
                    return 101
            except aiohttp.WSServerHandshakeError as exc:
                return exc.status

    assert asyncio.run(socket_status("")) == 401
    assert asyncio.run(socket_status(f"?token={token}")) == 101
    web.app.finish()


def test_the_token_comes_from_the_environment_too(procs: Processes, tmp_path: Path) -> None:
    web = WebApp(procs, tmp_path, "--demo", host="0.0.0.0", env={"CAMERA_MONITOR_WEB_TOKEN": "from-env"})
    web.wait_ready(token="from-env")
    assert web.get("/api/cameras")[0] == 401
    web.app.finish()
