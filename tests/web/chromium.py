"""Headless Chromium (the Debian package) driven over the DevTools protocol: evaluate JS, take screenshots.

A tiny client: one WebSocket to the page's target per call, through aiohttp's client.
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp

from monitor_app.core.net import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def available() -> bool:
    return Path(CHROMIUM).exists()


class HeadlessChromium:
    """One headless Chromium showing ``url``; ``stop`` kills it and removes its profile."""

    def __init__(self, url: str, size: tuple[int, int] = (1600, 900)) -> None:
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="chromium-")
        self.proc = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={self.port}",
                f"--window-size={size[0]},{size[1]}",
                url,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._target = self._page_target()

    def _page_target(self, timeout_s: float = 20.0) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "chromium exited"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list", timeout=2) as response:
                    targets = json.load(response)
                pages = [t for t in targets if t.get("type") == "page"]
                if pages:
                    return str(pages[0]["webSocketDebuggerUrl"])
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("chromium's DevTools did not answer")

    def _call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        async def call() -> dict[str, Any]:
            async with aiohttp.ClientSession() as session, session.ws_connect(self._target, max_msg_size=0) as ws:
                await ws.send_json({"id": 1, "method": method, "params": params})
                while True:
                    reply = await asyncio.wait_for(ws.receive_json(), 15)
                    if reply.get("id") == 1:
                        assert "error" not in reply, reply
                        return dict(reply["result"])

        return asyncio.run(call())

    def evaluate(self, expression: str) -> Any:
        result = self._call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result["result"].get("value")

    def screenshot(self, path: Path) -> None:
        data = self._call("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)
