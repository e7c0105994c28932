"""The sender's sockets: REQ to a hub (never waits forever for a reply) or a bound PUB."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

import zmq

from monitor_app.core.sources.zmq_common import bind_endpoint, connect_endpoint
from monitor_app.sender.options import SLICE_S, SendReport

log = logging.getLogger(__name__)


class ReqChannel:
    """A REQ socket that gives up on a missing reply and rebuilds itself."""

    def __init__(self, context: zmq.Context, endpoint: str, reply_timeout_s: float, report: SendReport) -> None:
        self.endpoint = connect_endpoint(endpoint)
        self._context = context
        self._timeout = reply_timeout_s
        self._report = report
        self._socket = self._build()

    def _build(self) -> zmq.Socket:
        sock = self._context.socket(zmq.REQ)
        sock.setsockopt(zmq.LINGER, 0)
        sock.setsockopt(zmq.IMMEDIATE, 1)  # queue nothing for a hub that is not there: frames would go stale
        sock.setsockopt(zmq.RECONNECT_IVL, 200)
        sock.setsockopt(zmq.RECONNECT_IVL_MAX, 2000)
        sock.connect(self.endpoint)
        return sock

    def wait_ready(self, stop: threading.Event) -> bool:
        """True once a hub is connected and can take a frame (waits one slice at most)."""
        return bool(self._socket.poll(int(SLICE_S * 1000), zmq.POLLOUT)) and not stop.is_set()

    def send(self, parts: Sequence[bytes | memoryview], stop: threading.Event) -> bool:
        try:
            self._socket.send_multipart(parts, zmq.NOBLOCK, copy=False)
        except zmq.Again:
            return False
        deadline = time.monotonic() + self._timeout
        while not stop.is_set():
            if self._socket.poll(int(SLICE_S * 1000), zmq.POLLIN):
                self._socket.recv()  # the hub's b"OK"; its text does not matter
                self._report.replies += 1
                return True
            if time.monotonic() > deadline:
                self._report.reply_timeouts += 1
                log.warning(
                    "no reply from %s within %.1f s (hub down or restarting?); rebuilding the socket",
                    self.endpoint,
                    self._timeout,
                )
                self._socket.close(linger=0)
                self._socket = self._build()
                return False
        return False

    def close(self) -> None:
        self._socket.close(linger=0)


class PubChannel:
    """A bound PUB socket: imagezmq's PUB/SUB mode. Never blocks; slow subscribers miss frames."""

    def __init__(self, context: zmq.Context, endpoint: str) -> None:
        self.endpoint = bind_endpoint(endpoint)
        self._socket = context.socket(zmq.PUB)
        self._socket.setsockopt(zmq.LINGER, 0)
        self._socket.setsockopt(zmq.SNDHWM, 2)  # a subscriber that falls behind skips frames, never lags
        self._socket.bind(self.endpoint)

    def wait_ready(self, stop: threading.Event) -> bool:
        return not stop.is_set()

    def send(self, parts: Sequence[bytes | memoryview], stop: threading.Event) -> bool:
        try:
            self._socket.send_multipart(parts, zmq.NOBLOCK, copy=False)
        except zmq.Again:
            return False
        return True

    def close(self) -> None:
        self._socket.close(linger=0)
