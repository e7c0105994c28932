"""HTTP ingest: we listen, senders POST JPEG frames; many cameras on one port, told apart by name.

Made for the widely copied Flask example's sender (``requests.post(url, data={"img":
base64_jpeg})`` to ``/image_post``) and for plain ``POST /cameras/NAME`` with an
``image/jpeg`` body (``http_ingest_handler.py`` has the wire rules). A standard-library
``ThreadingHTTPServer`` serves in its own daemon threads and answers each request the moment
its body is read; handlers keep the last few frames of each camera in a locked dict, which
``read`` hands to the sink (which keeps the newest). Listening on anything but loopback
needs a ``token``; the token is never logged or shown.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import socket
import socketserver
import threading
from collections import deque
from http.server import ThreadingHTTPServer
from typing import Any

from monitor_app.core.sources.base import FrameSink, FrameSource, PermanentSourceError, SourceError
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.http_ingest_handler import IngestHandler
from monitor_app.core.sources.kind import OptionField, SourceKind, SourceRequest, int_range

log = logging.getLogger(__name__)

DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024
PENDING_PER_CAMERA = 4
"""Frames of one camera held between two reads; older ones are superseded here."""
MAX_PENDING_BAD = 200
"""Refusals held between two reads; more are counted on the endpoint only."""
SHUTDOWN_POLL_S = 0.1
"""How often the serving thread looks for ``shutdown``: ``close`` returns within about this."""


def parse_listen(text: str) -> tuple[str, int]:
    """``host:port``, ``[v6]:port`` or ``:port`` (every interface) -> (host, port); ValueError if not."""
    host, sep, port_text = text.strip().rpartition(":")
    if not sep or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"must look like host:port or :port, not {text!r}")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:
        ipaddress.IPv6Address(host)  # ValueError when it is not one
    return host, int(port_text)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name, or "" (every interface)


def check_listen(v: Any) -> str | None:
    try:
        parse_listen(str(v))
    except ValueError as exc:
        return str(exc) if str(exc).startswith("must") else f"must look like host:port or :port, not {v!r}"
    return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # close() never waits for a slow client's thread

    def __init__(self, address: tuple[str, int], ingest: HttpIngestSource, family: int) -> None:
        self.address_family = family
        self.ingest = ingest
        super().__init__(address, IngestHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("HTTP ingest: a connection failed", exc_info=True)  # a client that hung up; no traceback on stderr

    def server_bind(self) -> None:
        # HTTPServer's own asks DNS for the host's full name, which can take seconds; we need none.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])


class HttpIngestSource(FrameSource):
    """An HTTP server on ``listen`` taking frames from any number of senders."""

    def __init__(self, listen: str, token: str | None = None, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.listen = listen
        self.host, self.port = parse_listen(listen)
        self.token = token or None
        self.max_body_bytes = max_body_bytes
        shown = f"[{self.host}]" if ":" in self.host else self.host or "*"
        self.description = f"HTTP ingest http://{shown}:{self.port}"
        self._lock = threading.Lock()
        self._arrived = threading.Event()
        self._frames: dict[str, deque[bytes]] = {}
        self._bad: list[tuple[str, str | None]] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.requests = 0
        self.frames = 0
        self.bad_messages = 0
        self.superseded = 0

    # Called by handler threads -------------------------------------------------------------
    def frame(self, camera: str, jpeg: bytes) -> None:
        with self._lock:
            self.requests += 1
            self.frames += 1
            pending = self._frames.setdefault(camera, deque(maxlen=PENDING_PER_CAMERA))
            if len(pending) == PENDING_PER_CAMERA:
                self.superseded += 1
            pending.append(jpeg)
        self._arrived.set()

    def bad(self, reason: str, camera: str | None) -> None:
        with self._lock:
            self.requests += 1
            self.bad_messages += 1
            if len(self._bad) < MAX_PENDING_BAD:
                self._bad.append((reason, camera))
        self._arrived.set()
        log.debug("%s: refused a request: %s", self.description, reason)

    # The receiver thread -----------------------------------------------------------------
    def open(self) -> None:
        if self.token is None and not is_loopback(self.host):
            raise PermanentSourceError(
                f"{self.description}: listening on {self.host or 'every interface'} needs a token "
                '(add "token" to the connection, or listen on 127.0.0.1)'
            )
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        try:
            server = _Server((self.host, self.port), self, family)
        except OSError as exc:
            raise PermanentSourceError(_describe_bind_error(self.description, exc)) from None
        thread = threading.Thread(
            target=server.serve_forever, args=(SHUTDOWN_POLL_S,), name=f"http-ingest-{self.port}", daemon=True
        )
        thread.start()
        self._server, self._thread = server, thread

    def read(self, sink: FrameSink, timeout_s: float) -> None:
        if self._server is None or self._thread is None or not self._thread.is_alive():
            raise SourceError(f"{self.description} is not serving")
        self._arrived.wait(timeout_s)
        with self._lock:
            self._arrived.clear()
            frames, self._frames = self._frames, {}
            bad, self._bad = self._bad, []
        for reason, camera in bad:
            sink.bad_message(reason, camera)
        for camera, pending in frames.items():
            for jpeg in pending:
                sink.deliver(EncodedFrame(camera, jpeg=jpeg, sent_at=None))

    def close(self) -> None:
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is not None:
            server.shutdown()  # returns once serve_forever has seen it: within SHUTDOWN_POLL_S
            server.server_close()
        if thread is not None:
            thread.join(2.0)
        with self._lock:
            self._frames, self._bad = {}, []

    def endpoint_stats(self) -> list[dict[str, object]]:
        with self._lock:
            counters = {
                "requests": self.requests,
                "messages": self.frames,
                "bad_messages": self.bad_messages,
                "superseded": self.superseded,
            }
        return [{"endpoint": self.listen, "role": "bind", "bound": self._server is not None, **counters}]


def _describe_bind_error(description: str, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"cannot listen: {description}: address already in use (another program holds this port)"
    if exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
        return f"cannot listen: {description}: no such local address"
    return f"cannot listen: {description}: {exc.strerror or exc}"


def _create(request: SourceRequest) -> FrameSource:
    options = request.options
    return HttpIngestSource(options["listen"], token=options.get("token"), max_body_bytes=options["max_body_bytes"])


KIND = SourceKind(
    name="http_ingest",
    label="HTTP ingest (senders POST JPEG frames)",
    factory=_create,
    fields={
        "listen": OptionField(str, required=True, check=check_listen),
        "token": OptionField(str, label="Token", hint="required unless listening on 127.0.0.1", secret=True),
        "max_body_bytes": OptionField(int, default=DEFAULT_MAX_BODY_BYTES, check=int_range(1024, 1 << 30)),
    },
    address="listen",
    address_hint="127.0.0.1:8000",
    many_cameras=True,
)
