"""A subscriber to imagezmq PUB senders and plain base64 JPEG publishers.

One layout connection may list several publishers. Each gets its own SUB socket (one socket
cannot say which endpoint a message came from), all polled together, so counters are per
endpoint and a single-part message (a base64 JPEG string or JPEG bytes, with no name in it) can be
shown as the camera named after its endpoint. ZeroMQ reconnects to a restarted publisher by
itself; a socket monitor shows that in the counters and, while the publisher is away, on its
cameras (``FrameSink.camera_link_lost`` shows them as reconnecting until they send again).

With ``bind`` the roles swap, as in the widely copied "OpenCV video over ZeroMQ" example: one SUB
socket binds and any number of PUB cameras connect to it. A single-part message names no camera,
so its camera is named after the peer's address (libzmq's ``Peer-Address``: the IP, no port), or
the bound endpoint when libzmq gives none. vidgear NetGear's PUB senders (``pattern=2``) connect,
so this is where they arrive; their messages name no camera either and are named the same way.

CURVE (``core/sources/curve.py``): connecting, ``curve_secret`` and ``curve_server`` make every SUB
a client of publishers holding that server key; bound, ``curve_secret`` and ``curve_allow`` let in
only the publishers whose keys are in the folder (``auth_failures`` counts the others). ``cameras``
subscribes to those names only (``imagezmq_wire.camera_topic``): a relay then sends us nothing else.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import zmq

from monitor_app.core.redact import mask_text
from monitor_app.core.sources.base import FrameSink, FrameSource, PermanentSourceError, SourceError
from monitor_app.core.sources.curve import CLIENT_FIELDS, SERVER_FIELDS, CurveServer, curve_from_options, curve_problems
from monitor_app.core.sources.curve_auth import HandshakeWatch
from monitor_app.core.sources.imagezmq_wire import BadMessage, Event, Heartbeat, camera_topic
from monitor_app.core.sources.kind import OptionField, SourceKind, SourceRequest
from monitor_app.core.sources.netgear_wire import Goodbye
from monitor_app.core.sources.zmq_common import (
    DEFAULT_MAX_MESSAGE_BYTES,
    MAX_MESSAGE_FIELD,
    PeerEvents,
    bind_endpoint,
    check_endpoint_list,
    configure_receiver,
    connect_endpoint,
    describe_zmq_error,
    drain_socket,
    peer_address,
)
from monitor_app.core.sources.zmq_messages import ZmqMessage, parse_zmq_message

log = logging.getLogger(__name__)

RECONNECT_IVL_MS = 200
RECONNECT_IVL_MAX_MS = 1000
"""ZeroMQ retries a dropped publisher after 0.2 s, doubling to at most 1 s. With a 5 s ceiling a
restarted publisher waited up to 3 s more to be found after a 3 s outage; one try a second to a
host that stays down costs nothing. (A bound socket, the hub or a SUB with ``bind``, never reconnects.)"""

MAX_NAMES_PER_ENDPOINT = 256
"""Camera names remembered per publisher, to show them reconnecting; a name cycler cannot grow it."""


@dataclass
class _Subscription:
    endpoint: str
    socket: zmq.Socket
    peers: PeerEvents
    counters: dict[str, int]
    cameras: set[str] = field(default_factory=set)  # the names this publisher sent
    curve: CurveServer | None = None  # bound with CURVE: this socket's own ZAP domain
    handshakes: HandshakeWatch | None = None


class SubSource(FrameSource):
    """SUB sockets connected to one or more publishers (or bound, one per endpoint), drained on every wake-up."""

    def __init__(
        self,
        endpoints: list[str],
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
        bind: bool = False,
        curve: Mapping[str, Any] | None = None,
        domain: str = "",
        cameras: Sequence[str] = (),
    ) -> None:
        """``curve``: CURVE paths, read at every open; ``domain``: a bound one's ZAP domain (one per endpoint);
        ``cameras``: subscribe to these names' imagezmq messages only (a relay sends the rest to no one)."""
        if not endpoints:
            raise ValueError("a subscriber needs at least one endpoint")
        self.bind = bind
        self.endpoints = [(bind_endpoint if bind else connect_endpoint)(e) for e in endpoints]
        self.max_message_bytes = max_message_bytes
        shown = ", ".join(self.endpoints)
        self.description = mask_text(f"imagezmq subscriber {'bound to ' if bind else ''}{shown}")
        self._curve_options = dict(curve or {})
        if self._curve_options:
            self.description += " (CURVE)"
        self._domain = domain or shown
        self._topics = [camera_topic(name) for name in cameras] or [b""]
        self._context: zmq.Context | None = None
        self._subs: list[_Subscription] = []
        self._poller = zmq.Poller()
        # Counters and names survive a reopen so the stats show the whole run.
        self._totals: dict[str, dict[str, int]] = {}
        self._cameras: dict[str, set[str]] = {}

    def open(self) -> None:
        client = None if self.bind else curve_from_options(self._curve_options, "client", self._domain)
        servers = [self._server_curve(i) for i in range(len(self.endpoints))] if self.bind else []
        context = zmq.Context()
        self._context = context
        try:
            for i, endpoint in enumerate(self.endpoints):
                sock = context.socket(zmq.SUB)
                configure_receiver(sock, self.max_message_bytes)
                if not self.bind:  # only a connecting socket reconnects
                    sock.setsockopt(zmq.RECONNECT_IVL, RECONNECT_IVL_MS)
                    sock.setsockopt(zmq.RECONNECT_IVL_MAX, RECONNECT_IVL_MAX_MS)
                for topic in self._topics:
                    sock.setsockopt(zmq.SUBSCRIBE, topic)
                peers = PeerEvents(sock)
                counters = self._totals.setdefault(endpoint, _new_counters())
                sub = _Subscription(endpoint, sock, peers, counters, self._cameras.setdefault(endpoint, set()))
                self._subs.append(sub)
                try:
                    curve = servers[i] if self.bind else client
                    if curve is not None:
                        curve.apply(sock)  # before bind or connect, as libzmq needs
                        sub.curve = curve if isinstance(curve, CurveServer) else None
                        sub.handshakes = HandshakeWatch(endpoint, "server" if self.bind else "client")
                    if self.bind:
                        sock.bind(endpoint)
                    else:
                        sock.connect(endpoint)
                except zmq.ZMQError as exc:
                    # A taken port or a bad address: retrying soon cannot fix it (the loop retries slowly).
                    action = "bind" if self.bind else "connect to"
                    raise PermanentSourceError(describe_zmq_error(action, endpoint, exc)) from None
        except BaseException:
            self.close()
            raise
        self._poller = zmq.Poller()
        for sub in self._subs:
            self._poller.register(sub.socket, zmq.POLLIN)
            self._poller.register(sub.peers.monitor, zmq.POLLIN)

    def read(self, sink: FrameSink, timeout_s: float) -> None:
        if self._context is None:
            raise SourceError("subscriber is not open")
        try:
            ready = dict(self._poller.poll(int(timeout_s * 1000)))
        except zmq.ZMQError as exc:
            raise SourceError(f"subscriber: {exc.strerror}") from None
        deadline = time.monotonic() + timeout_s
        for sub in self._subs:
            if sub.peers.monitor in ready:
                self._follow_peers(sub, sink)
            if sub.socket in ready:
                drain_socket(sub.socket, partial(self._handle, sub, sink=sink), deadline, sub.endpoint)

    def _follow_peers(self, sub: _Subscription, sink: FrameSink) -> None:
        before = (sub.peers.connections, sub.peers.disconnects)
        sub.peers.drain()
        if sub.peers.disconnects > before[1]:
            log.info("%s: publisher disconnected%s", sub.endpoint, "" if self.bind else "; ZeroMQ keeps reconnecting")
            if sub.peers.connected == 0:
                gone = f"every publisher of {sub.endpoint}" if self.bind else f"publisher {sub.endpoint}"
                reason = mask_text(f"{gone} disconnected")
                for camera in sub.cameras:
                    sink.camera_link_lost(camera, reason)
        if sub.peers.connections > before[0]:
            log.info("%s: publisher connected", sub.endpoint)
        if sub.handshakes is not None:
            sub.handshakes.check(sub.peers.auth_refused, sub.peers.handshake_failures)

    def _handle(self, sub: _Subscription, parts: list[zmq.Frame], sink: FrameSink) -> None:
        sub.counters["messages"] += 1
        message: ZmqMessage
        if len(parts) == 1:
            sub.counters["single_part"] += 1
        try:
            message = parse_zmq_message([part.buffer for part in parts], partial(self._nameless, sub, parts[0]))
        except BadMessage as exc:
            sub.counters["bad_messages"] += 1
            sink.bad_message(exc.reason, exc.camera)
            log.debug("%s: dropped a bad message: %s", sub.endpoint, exc.reason)
            return
        if len(sub.cameras) < MAX_NAMES_PER_ENDPOINT:
            sub.cameras.add(message.camera)
        if isinstance(message, Goodbye):
            sub.counters["goodbyes"] += 1
            sink.camera_link_lost(message.camera, message.reason)
        elif isinstance(message, Heartbeat):
            sub.counters["heartbeats"] += 1
            sink.heartbeat(message.camera)
        elif isinstance(message, Event):
            sub.counters["events"] += 1
            sink.event(message.camera, message.text)
        else:
            sink.deliver(message)

    def _nameless(self, sub: _Subscription, part: zmq.Frame) -> str:
        """A nameless camera's name: its endpoint, or on a bound socket the peer's IP where libzmq gives it."""
        if not self.bind:
            return sub.endpoint
        peer = peer_address(part, sub.endpoint)
        if len(self.endpoints) > 1 and peer != sub.endpoint:  # one host may send to two of our ports
            return f"{peer} on :{sub.endpoint.rpartition(':')[2]}"
        return peer

    def _server_curve(self, index: int) -> CurveServer | None:
        """A bound endpoint's CURVE server, with a ZAP domain of its own so refusals count per endpoint."""
        domain = self._domain if len(self.endpoints) == 1 else f"{self._domain}#{index + 1}"
        return curve_from_options(self._curve_options, "server", domain)

    def close(self) -> None:
        for sub in self._subs:
            sub.peers.close()
            sub.socket.close(linger=0)
            refused, failed = _handshake_counts(sub)
            sub.counters["auth_failures"] += refused  # this open's, into the totals of the run
            sub.counters["handshake_failures"] += failed
            if sub.curve is not None:  # before term(): the context's ZAP handler holds sockets of it
                sub.curve.release()
        self._subs = []
        if self._context is not None:
            self._context.term()
            self._context = None

    def endpoint_stats(self) -> list[dict[str, object]]:
        subs = {sub.endpoint: sub for sub in list(self._subs)}
        stats: list[dict[str, object]] = []
        for endpoint in self.endpoints:
            sub = subs.get(endpoint)
            peers = sub.peers if sub else None
            totals = dict(self._totals.get(endpoint, _new_counters()))
            refused, failed = _handshake_counts(sub) if sub else (0, 0)
            totals["auth_failures"] += refused
            totals["handshake_failures"] += failed
            stats.append(
                {
                    "endpoint": mask_text(endpoint),
                    "role": "bind" if self.bind else "connect",
                    **({"bound": peers is not None} if self.bind else {"connected": bool(peers and peers.connected)}),
                    "peers_connected": peers.connected if peers else 0,
                    "connections": peers.connections if peers else 0,
                    "disconnects": peers.disconnects if peers else 0,
                    "curve": bool(self._curve_options),
                    **totals,
                }
            )
        return stats


COUNTERS = ("messages", "bad_messages", "heartbeats", "events", "goodbyes", "single_part")
CURVE_COUNTERS = ("auth_failures", "handshake_failures")


def _new_counters() -> dict[str, int]:
    return dict.fromkeys(COUNTERS + CURVE_COUNTERS, 0)


def _handshake_counts(sub: _Subscription) -> tuple[int, int]:
    """This open's CURVE refusals (bound: keys its domain refused; else: ours refused) and failed handshakes."""
    refused = sub.curve.auth_failures if sub.curve is not None else sub.peers.auth_refused
    return refused, sub.peers.handshake_failures


def _create(request: SourceRequest) -> FrameSource:
    options = request.options
    curve = {k: options[k] for k in ("curve_secret", "curve_allow", "curve_server") if options.get(k)}
    endpoints, bind, cameras = list(options["endpoints"]), options.get("bind", False), options.get("cameras") or ()
    return SubSource(endpoints, options["max_message_bytes"], bind, curve, request.connection_id, cameras)


KIND = SourceKind(
    name="sub",
    label="imagezmq / NetGear / base64 publisher (SUB)",
    factory=_create,
    fields={
        "endpoints": OptionField(list, required=True, check=check_endpoint_list),
        "max_message_bytes": MAX_MESSAGE_FIELD,
        "bind": OptionField(bool, default=False, label="Bind (publishers connect to us)", hint="true or false"),
        "cameras": OptionField(list, check=lambda v: None if all(isinstance(n, str) and n for n in v) else "not names"),
        **SERVER_FIELDS,
        **CLIENT_FIELDS,
    },
    address="endpoints",
    address_hint="tcp://192.168.1.20:5555, tcp://192.168.1.21:5555",
    many_cameras=True,
    cross_check=lambda options: curve_problems(options, "server" if options.get("bind") else "client"),
)
