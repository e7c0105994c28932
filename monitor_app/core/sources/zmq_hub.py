"""An imagezmq hub: bind, serve any number of REQ senders, demultiplex cameras by name.

vidgear NetGear's REQ senders (``pattern=1``) speak to it too: their messages name no camera, so
each sender is named after its address (``core/sources/sender_names.py``), and its goodbye shows on
its tile.

imagezmq's own hub binds a REP socket, which answers one sender at a time and only after the
application asked for the next frame: a slow screen slows every sender. We bind a ROUTER
instead, which speaks the same protocol to REQ peers, and reply ``OK`` to each request the
moment it arrives, before parsing it. Each wake-up drains the socket without blocking; the
sink keeps only the newest frame per camera, so latency stays flat however slow the display.

With ``curve_secret`` and ``curve_allow`` it is a CURVE server (``core/sources/curve.py``): traffic is
encrypted and only senders whose public key is in the allow folder get through; the others never
reach ``read`` and are counted (``auth_failures``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import zmq

from monitor_app.core.sources.base import FrameSink, FrameSource, PermanentSourceError, SourceError
from monitor_app.core.sources.curve import SERVER_FIELDS, CurveServer, curve_from_options, curve_problems
from monitor_app.core.sources.curve_auth import HandshakeWatch
from monitor_app.core.sources.imagezmq_wire import BadMessage, Event, Heartbeat
from monitor_app.core.sources.kind import OptionField, SourceKind, SourceRequest
from monitor_app.core.sources.netgear_wire import Goodbye
from monitor_app.core.sources.sender_names import SenderNames
from monitor_app.core.sources.zmq_common import (
    DEFAULT_MAX_MESSAGE_BYTES,
    MAX_MESSAGE_FIELD,
    PeerEvents,
    bind_endpoint,
    check_endpoint,
    configure_receiver,
    describe_zmq_error,
    drain_socket,
    peer_address,
)
from monitor_app.core.sources.zmq_messages import parse_zmq_message

log = logging.getLogger(__name__)

REPLY = b"OK"
"""What ``imagezmq.ImageHub.send_reply`` sends by default; every sender waits for it."""


class HubSource(FrameSource):
    """A bound ROUTER socket serving imagezmq REQ senders."""

    def __init__(
        self,
        endpoint: str,
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
        curve: Mapping[str, Any] | None = None,
        domain: str = "",
    ) -> None:
        """``curve``: the ``curve_secret`` and ``curve_allow`` paths, read at every open; ``domain``: its ZAP domain."""
        self.endpoint = bind_endpoint(endpoint)
        self.max_message_bytes = max_message_bytes
        self._curve_options = dict(curve or {})
        self._domain = domain or self.endpoint
        self.description = f"imagezmq hub {self.endpoint}{' (CURVE)' if self._curve_options else ''}"
        self._curve: CurveServer | None = None
        self._auth_failures_before = 0  # refusals counted by the CurveServers of earlier opens
        self._handshakes = HandshakeWatch(self.description, "server")
        self._context: zmq.Context | None = None
        self._socket: zmq.Socket | None = None
        self._peers: PeerEvents | None = None
        self._poller = zmq.Poller()
        self.messages = 0
        self.bad_messages = 0
        self.heartbeats = 0
        self.events = 0
        self.goodbyes = 0
        self.replies = 0
        self._names = SenderNames()

    def open(self) -> None:
        curve = curve_from_options(self._curve_options, "server", self._domain)  # a bad key file: permanent
        context = zmq.Context()
        sock = context.socket(zmq.ROUTER)
        configure_receiver(sock, self.max_message_bytes)
        try:
            if curve is not None:
                curve.apply(sock)
            sock.bind(self.endpoint)
        except zmq.ZMQError as exc:
            if curve is not None:
                curve.release()
            sock.close(linger=0)
            context.term()
            # Retrying soon cannot fix a taken port or a bad address; the loop still retries slowly.
            raise PermanentSourceError(describe_zmq_error("bind", self.endpoint, exc)) from None
        self._context, self._socket, self._curve = context, sock, curve
        self._peers = PeerEvents(sock)
        self._poller = zmq.Poller()
        self._poller.register(sock, zmq.POLLIN)
        self._poller.register(self._peers.monitor, zmq.POLLIN)

    def read(self, sink: FrameSink, timeout_s: float) -> None:
        sock, peers = self._socket, self._peers
        if sock is None or peers is None:
            raise SourceError("hub is not open")
        try:
            ready = dict(self._poller.poll(int(timeout_s * 1000)))
        except zmq.ZMQError as exc:
            raise SourceError(f"hub {self.endpoint}: {exc.strerror}") from None
        if peers.monitor in ready:
            peers.drain()
            self._handshakes.check(peers.auth_refused, peers.handshake_failures)
        if sock not in ready:
            return
        deadline = time.monotonic() + timeout_s
        drain_socket(sock, lambda parts: self._handle(sock, parts, sink), deadline, f"hub {self.endpoint}")

    def _handle(self, sock: zmq.Socket, parts: list[zmq.Frame], sink: FrameSink) -> None:
        self.messages += 1
        # A REQ peer's message is [identity, b"", *body]; the reply reuses the envelope.
        split = next((i for i, part in enumerate(parts[:8]) if len(part) == 0), None)
        if split is None:
            self._bad(sink, BadMessage("message without a REQ envelope"))
            return
        try:
            sock.send_multipart([*parts[: split + 1], REPLY], zmq.NOBLOCK)
            self.replies += 1
        except zmq.ZMQError:
            pass  # the sender is gone or not reading: it would time out whatever we do
        routing_id, body = parts[0].bytes, parts[split + 1 :]

        def sender() -> str:  # only nameless messages (NetGear, bare JPEG) need it
            return self._names.name(routing_id, peer_address(body[0] if body else parts[0], self.endpoint))

        try:
            message = parse_zmq_message([part.buffer for part in body], sender)
        except BadMessage as exc:
            self._bad(sink, exc)
            return
        if isinstance(message, Goodbye):
            self.goodbyes += 1
            self._names.release(routing_id)
            sink.camera_link_lost(message.camera, message.reason)
        elif isinstance(message, Heartbeat):
            self.heartbeats += 1
            sink.heartbeat(message.camera)
        elif isinstance(message, Event):
            self.events += 1
            sink.event(message.camera, message.text)
        else:
            sink.deliver(message)  # the sink keeps the newest per camera; nothing is decoded here

    def _bad(self, sink: FrameSink, exc: BadMessage) -> None:
        self.bad_messages += 1
        sink.bad_message(exc.reason, exc.camera)
        log.debug("%s: dropped a bad message: %s", self.description, exc.reason)

    def close(self) -> None:
        if self._peers is not None:
            self._peers.close()
        if self._socket is not None:
            self._socket.close(linger=0)
        if self._curve is not None:  # before term(): the context's ZAP handler holds sockets of it
            self._auth_failures_before += self._curve.auth_failures
            self._curve.release()
        if self._context is not None:
            self._context.term()
        self._context, self._socket, self._peers, self._curve = None, None, None, None

    def endpoint_stats(self) -> list[dict[str, object]]:
        peers = self._peers
        return [
            {
                "endpoint": self.endpoint,
                "role": "bind",
                "bound": self._socket is not None,
                "messages": self.messages,
                "bad_messages": self.bad_messages,
                "heartbeats": self.heartbeats,
                "events": self.events,
                "goodbyes": self.goodbyes,
                "replies": self.replies,
                "peers_connected": peers.connected if peers else 0,
                "peer_disconnects": peers.disconnects if peers else 0,
                "curve": bool(self._curve_options),
                "auth_failures": self.auth_failures,
                "handshake_failures": peers.handshake_failures if peers else 0,
            }
        ]

    @property
    def auth_failures(self) -> int:
        """Senders refused (each try) because their key is not allowed, over every open."""
        curve = self._curve
        return self._auth_failures_before + (curve.auth_failures if curve is not None else 0)


def _create(request: SourceRequest) -> FrameSource:
    options = request.options
    curve = {k: options[k] for k in SERVER_FIELDS if options.get(k)}
    return HubSource(
        options["endpoint"], max_message_bytes=options["max_message_bytes"], curve=curve, domain=request.connection_id
    )


KIND = SourceKind(
    name="hub",
    label="imagezmq / NetGear hub (bind, REQ/REP)",
    factory=_create,
    fields={
        "endpoint": OptionField(str, required=True, check=check_endpoint),
        "max_message_bytes": MAX_MESSAGE_FIELD,
        **SERVER_FIELDS,
    },
    address="endpoint",
    address_hint="tcp://*:5555",
    many_cameras=True,
    cross_check=lambda options: curve_problems(options, "server"),
)
