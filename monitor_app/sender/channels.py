"""The sender's sockets: REQ to a hub (never waits forever for a reply) or a bound PUB.

With CURVE the REQ socket is a client of the hub (``CurveClient``) and the PUB a server that lets in
only the subscribers whose keys it allows (``CurveServer``); see ``core/sources/curve.py``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

import zmq

from monitor_app.core.sources.curve import CurveClient, CurveServer
from monitor_app.core.sources.curve_auth import HandshakeWatch
from monitor_app.core.sources.zmq_common import PeerEvents, bind_endpoint, connect_endpoint
from monitor_app.sender.options import SLICE_S, SendReport

log = logging.getLogger(__name__)


class ReqChannel:
    """A REQ socket that gives up on a missing reply and rebuilds itself."""

    def __init__(
        self,
        context: zmq.Context,
        endpoint: str,
        reply_timeout_s: float,
        report: SendReport,
        curve: CurveClient | None = None,
    ) -> None:
        self.endpoint = connect_endpoint(endpoint)
        self._context = context
        self._timeout = reply_timeout_s
        self._report = report
        self._curve = curve
        self._handshakes = HandshakeWatch(self.endpoint, "client")
        self._refused_before = 0  # refusals seen by the sockets rebuilt since
        self._peers: PeerEvents | None = None
        self._socket = self._build()

    def _build(self) -> zmq.Socket:
        sock = self._context.socket(zmq.REQ)
        sock.setsockopt(zmq.LINGER, 0)
        sock.setsockopt(zmq.IMMEDIATE, 1)  # queue nothing for a hub that is not there: frames would go stale
        sock.setsockopt(zmq.RECONNECT_IVL, 200)
        sock.setsockopt(zmq.RECONNECT_IVL_MAX, 2000)
        try:
            if self._curve is not None:
                self._curve.apply(sock)
                self._peers = PeerEvents(sock)  # a hub that refuses our key is otherwise just silence
            sock.connect(self.endpoint)
        except zmq.ZMQError:
            self._socket = sock
            self._close()  # an open socket would keep the context's term() waiting
            raise
        return sock

    def wait_ready(self, stop: threading.Event) -> bool:
        """True once a hub is connected and can take a frame (waits one slice at most)."""
        ready = bool(self._socket.poll(int(SLICE_S * 1000), zmq.POLLOUT)) and not stop.is_set()
        if self._peers is not None and not ready:
            self._peers.drain()
            self._report.auth_failures = self._refused_before + self._peers.auth_refused
            self._handshakes.check(self._report.auth_failures, self._peers.handshake_failures)
        return ready

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
                self._close()
                self._socket = self._build()
                return False
        return False

    def _close(self) -> None:
        if self._peers is not None:
            self._refused_before += self._peers.auth_refused
            self._peers.close()
            self._peers = None
        self._socket.close(linger=0)

    def close(self) -> None:
        self._close()


class PubChannel:
    """A bound PUB socket: imagezmq's PUB/SUB mode. Never blocks; slow subscribers miss frames."""

    def __init__(
        self, context: zmq.Context, endpoint: str, report: SendReport, curve: CurveServer | None = None
    ) -> None:
        self.endpoint = bind_endpoint(endpoint)
        self._report = report
        self._curve = curve
        self._socket = context.socket(zmq.PUB)
        self._socket.setsockopt(zmq.LINGER, 0)
        self._socket.setsockopt(zmq.SNDHWM, 2)  # a subscriber that falls behind skips frames, never lags
        try:
            if curve is not None:
                curve.apply(self._socket)
            self._socket.bind(self.endpoint)
        except zmq.ZMQError:
            self.close()
            raise

    def wait_ready(self, stop: threading.Event) -> bool:
        return not stop.is_set()

    def send(self, parts: Sequence[bytes | memoryview], stop: threading.Event) -> bool:
        if self._curve is not None:
            self._report.auth_failures = self._curve.auth_failures  # the CurveServer logs them
        try:
            self._socket.send_multipart(parts, zmq.NOBLOCK, copy=False)
        except zmq.Again:
            return False
        return True

    def close(self) -> None:
        self._socket.close(linger=0)
        if self._curve is not None:  # before the context terminates: its ZAP handler holds sockets of it
            self._report.auth_failures = self._curve.auth_failures
            self._curve.release()
            self._curve = None
