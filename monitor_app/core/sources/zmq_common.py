"""What the ZeroMQ hub, subscriber and sender share: endpoint forms, socket set-up, peer events."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

import zmq
from zmq.utils.monitor import recv_monitor_message

from monitor_app.core.redact import mask_text
from monitor_app.core.sources.base import SourceError
from monitor_app.core.sources.kind import OptionField, int_range

log = logging.getLogger(__name__)

DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024
"""``ZMQ_MAXMSGSIZE``: a 4K BGRA array fits; a peer sending more is disconnected by ZeroMQ."""

RECEIVE_HWM = 4
"""A few messages of slack per peer; the drain, not the HWM, keeps frames fresh."""

MAX_DRAIN_MESSAGES = 2000
"""One read delivers at most this many messages, so it returns in bounded time under a flood."""


def drain_socket(sock: zmq.Socket, handle: Callable[[list[zmq.Frame]], None], deadline: float, label: str) -> None:
    """Hand every waiting message to ``handle`` without blocking, until the socket is empty,
    ``MAX_DRAIN_MESSAGES`` were read or ``deadline`` (monotonic) has passed."""
    for _ in range(MAX_DRAIN_MESSAGES):
        try:
            parts = sock.recv_multipart(zmq.NOBLOCK, copy=False)
        except zmq.Again:
            return
        except zmq.ZMQError as exc:
            raise SourceError(f"{label}: {exc.strerror}") from None
        handle(parts)
        if time.monotonic() > deadline:
            return


def bind_endpoint(text: str) -> str:
    """``:5555`` -> ``tcp://*:5555``; ``host:port`` -> ``tcp://host:port``; full forms unchanged."""
    return _with_scheme(text.strip(), "*")


def connect_endpoint(text: str) -> str:
    """``:5555`` -> ``tcp://127.0.0.1:5555`` (a subscriber cannot connect to ``*``)."""
    return _with_scheme(text.strip(), "127.0.0.1")


def _with_scheme(text: str, default_host: str) -> str:
    if "://" in text:
        return text
    if text.startswith(":"):
        return f"tcp://{default_host}{text}"
    return f"tcp://{text}"


def configure_receiver(sock: zmq.Socket, max_message_bytes: int) -> None:
    """Options every receiving socket gets: no lingering, bounded messages, a small queue."""
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.MAXMSGSIZE, int(max_message_bytes))
    sock.setsockopt(zmq.RCVHWM, RECEIVE_HWM)


def describe_zmq_error(action: str, endpoint: str, exc: zmq.ZMQError) -> str:
    """A sentence a user can act on; the errno that matters most gets its own words."""
    if exc.errno == zmq.EADDRINUSE:
        return f"cannot {action} {endpoint}: address already in use (another hub or program holds this port)"
    if exc.errno == zmq.EADDRNOTAVAIL:
        return f"cannot {action} {endpoint}: no such local address"
    return mask_text(f"cannot {action} {endpoint}: {exc.strerror}")


class PeerEvents:
    """Follows a socket's monitor: peers connecting, dropping, and reconnecting.

    A dropped peer is also how ZeroMQ reports a message over ``MAXMSGSIZE`` (it closes the
    connection), so the counters matter for hostile input too. With CURVE a failed handshake is
    counted too: the peer refused our key (``auth_refused``), or spoke no CURVE or the wrong server
    key (``handshake_failures``).
    """

    HANDSHAKE_FAILED = zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
    EVENTS = (
        zmq.EVENT_CONNECTED
        | zmq.EVENT_ACCEPTED
        | zmq.EVENT_DISCONNECTED
        | HANDSHAKE_FAILED
        | zmq.EVENT_HANDSHAKE_FAILED_AUTH
    )

    def __init__(self, sock: zmq.Socket) -> None:
        self.monitor: zmq.Socket = sock.get_monitor_socket(self.EVENTS)
        self.monitor.setsockopt(zmq.LINGER, 0)
        self._sock = sock
        self.connected = 0  # TCP connections open right now
        self.connections = 0  # connections made, ever
        self.disconnects = 0
        self.auth_refused = 0
        self.handshake_failures = 0

    def drain(self) -> None:
        """Handle every pending event without blocking."""
        while True:
            try:
                event = recv_monitor_message(self.monitor, zmq.NOBLOCK)
            except zmq.Again:
                return
            except zmq.ZMQError:
                return
            kind = event["event"]
            if kind in (zmq.EVENT_CONNECTED, zmq.EVENT_ACCEPTED):
                self.connected += 1
                self.connections += 1
            elif kind == zmq.EVENT_DISCONNECTED:
                self.disconnects += 1
                self.connected = max(0, self.connected - 1)
            elif kind == zmq.EVENT_HANDSHAKE_FAILED_AUTH:
                self.auth_refused += 1
            elif kind & self.HANDSHAKE_FAILED:
                self.handshake_failures += 1

    def close(self) -> None:
        with contextlib.suppress(zmq.ZMQError):
            self._sock.disable_monitor()
        self.monitor.close(linger=0)


def peer_address(part: zmq.Frame, fallback: str) -> str:
    """The IP a message came from (libzmq's ``Peer-Address`` property, no port), else ``fallback``."""
    try:
        peer = part.get("Peer-Address")
    except (zmq.ZMQError, ValueError):  # not every transport has one
        return fallback
    return peer if isinstance(peer, str) and peer.isprintable() and 0 < len(peer) <= 100 else fallback


def check_endpoint(v: Any) -> str | None:
    """The layout check of one endpoint: ``tcp://host:port`` or ``:port``."""
    if isinstance(v, str) and ("://" in v or v.startswith(":")):
        return None
    return f"must look like tcp://host:port or :port, not {v!r}"


def check_endpoint_list(v: Any) -> str | None:
    if not v:
        return "must list at least one endpoint"
    for item in v:
        problem = check_endpoint(item)
        if problem:
            return problem
    return None


MAX_MESSAGE_FIELD = OptionField(int, default=DEFAULT_MAX_MESSAGE_BYTES, check=int_range(1024, 1 << 30))
"""``max_message_bytes``, the same for every ZeroMQ kind."""
