"""The ``--web`` server: aiohttp on a thread of its own with its own event loop.

``start`` binds (an ``OSError`` says why it could not) and returns; ``publish_view`` and
``publish_status`` hand the window's snapshots over without waiting; ``stop`` cancels every
client and returns within about a second. The GUI thread never waits on a client.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web

from monitor_app.web.hub import WallHub
from monitor_app.web.routes import build_app
from monitor_app.web.view import WallStatus, WallView

log = logging.getLogger(__name__)

ENCODER_THREADS = 2
"""Threads encoding frames of pixels for the browser (the machines we build on have two cores)."""
START_TIMEOUT_S = 5.0
STOP_TIMEOUT_S = 1.0


class WebServer:
    """Serves the wall to browsers; ``port`` 0 picks a free one (``port`` says which once started)."""

    def __init__(self, host: str, port: int, token: str | None = None) -> None:
        self.host, self.port, self.token = host, port, token
        self._loop: asyncio.AbstractEventLoop | None = None
        self._hub: WallHub | None = None
        self._stopping: asyncio.Event | None = None
        self._started = threading.Event()
        self._error: BaseException | None = None
        self._executor = ThreadPoolExecutor(ENCODER_THREADS, thread_name_prefix="web-encode")
        self._thread = threading.Thread(target=self._run, name="web-server", daemon=True)
        self._view = WallView()
        self._status = WallStatus()

    # From the GUI thread -------------------------------------------------------------------------
    def start(self) -> None:
        """Bind and serve; raise ``OSError`` (the port is taken, the address is not ours) if it cannot."""
        self._thread.start()
        if not self._started.wait(START_TIMEOUT_S):
            self.stop()
            raise OSError(f"the web server did not start within {START_TIMEOUT_S:.0f} s")
        if self._error is not None:
            self.stop()
            raise OSError(f"cannot listen on {self.host or '*'}:{self.port}: {self._error}") from self._error

    def publish_view(self, view: WallView) -> None:
        self._view = view
        self._call("set_view", view)

    def publish_status(self, status: WallStatus) -> None:
        self._status = status
        self._call("set_status", status)

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and self._started.is_set() and self._error is None

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        """Close every client and the listening socket, join the thread; True if it ended in time."""
        loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None:
            with contextlib.suppress(RuntimeError):  # already closed
                loop.call_soon_threadsafe(stopping.set)
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        self._executor.shutdown(wait=True, cancel_futures=True)  # an encode takes milliseconds
        if self._thread.is_alive():
            log.error("the web server did not stop within %.1f s", timeout_s)
            return False
        return True

    def _call(self, method: str, argument: Any) -> None:
        loop, hub = self._loop, self._hub
        if loop is None or hub is None:
            return  # not started yet: start() hands the newest over
        with contextlib.suppress(RuntimeError):  # stopped
            loop.call_soon_threadsafe(getattr(hub, method), argument)

    # On the web thread -----------------------------------------------------------------------------
    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._serve(loop))
        except Exception as exc:  # never lose the reason: start() reports it
            log.exception("the web server failed")
            self._error = self._error or exc
        finally:
            self._started.set()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _serve(self, loop: asyncio.AbstractEventLoop) -> None:
        hub = WallHub(loop, self._executor)
        hub.set_view(self._view)
        hub.set_status(self._status)
        stopping = asyncio.Event()
        tasks: set[asyncio.Task[Any]] = set()
        runner = web.AppRunner(build_app(hub, self.token, tasks), access_log=None, shutdown_timeout=0.2)
        await runner.setup()
        site = web.TCPSite(runner, self.host or None, self.port)
        try:
            await site.start()
        except OSError as exc:
            self._error = exc
            await runner.cleanup()
            return
        sockets = getattr(site._server, "sockets", None) or []  # the port that 0 chose
        if sockets:
            self.port = sockets[0].getsockname()[1]
        self._hub, self._stopping, self._loop = hub, stopping, loop
        hub.set_view(self._view)  # what was published while it bound
        hub.set_status(self._status)
        self._started.set()
        await stopping.wait()
        for task in list(tasks):  # streams to clients that may never read again: cancelled, not awaited
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        hub.close()
        await runner.cleanup()
