"""The ZAP side of CURVE: one authenticator per ``zmq.Context``, shared by its server sockets, and the
logging of refused handshakes, once per burst of retries.

libzmq asks the handler bound at ``inproc://zeromq.zap.01`` of a socket's context; there can be one per
context, so every CURVE server of a context shares one ``ThreadAuthenticator`` and tells it its own
``zap_domain``, checked by its own callback (which counts what it refuses).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Literal, Protocol

import zmq
from zmq.auth.thread import ThreadAuthenticator

log = logging.getLogger("monitor_app.core.sources.curve")  # one logger for everything CURVE

Role = Literal["server", "client"]

BURST_QUIET_S = 10.0
"""A refusal after this long without one starts a new burst, which is logged; retries within one are not."""
BURST_REMIND_S = 60.0
"""A burst that goes on is logged again this often, with the count so far."""


class ZapCheck(Protocol):
    """What checks one ZAP domain: a ``CurveServer``."""

    domain: str

    def callback(self, domain: str, client_key: bytes) -> bool: ...


@dataclass
class Burst:
    """Counts refusals and says which to log: the first of a burst, then one a minute while it lasts.

    A refused client retries every second or two; one line per try would bury the log.
    """

    count: int = 0
    last_at: float = -1e9
    told_at: float = -1e9
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, now: float, n: int = 1) -> tuple[int, bool]:
        """Count ``n`` more; (the count, whether to log this one)."""
        with self._lock:
            self.count += n
            tell = now - self.last_at >= BURST_QUIET_S or now - self.told_at >= BURST_REMIND_S
            self.last_at = now
            if tell:
                self.told_at = now
            return self.count, tell


class HandshakeWatch:
    """Logs a socket's failed CURVE handshakes, as its monitor counts them (``PeerEvents``), once per burst."""

    def __init__(self, label: str, role: Role) -> None:
        self.label, self.role = label, role
        self._seen = (0, 0)
        self._refused, self._failed = Burst(), Burst()

    def check(self, auth_refused: int, handshake_failures: int) -> None:
        now = time.monotonic()
        refused, failed = auth_refused - self._seen[0], handshake_failures - self._seen[1]
        self._seen = (auth_refused, handshake_failures)
        if refused > 0 and self.role == "client" and self._refused.add(now, refused)[1]:
            log.warning(
                "%s: the server refused this client's key (%d so far): its allow folder needs our public .key file",
                self.label,
                auth_refused,
            )
        if failed > 0 and self._failed.add(now, failed)[1]:
            peer = "a client without CURVE or with the wrong server key" if self.role == "server" else "the server"
            log.warning("%s: CURVE handshake with %s failed (%d so far)", self.label, peer, handshake_failures)


class _ContextAuth:
    """The one ZAP handler of a context and the CURVE servers (one domain each) that use it."""

    def __init__(self, context: zmq.Context) -> None:
        self.context = context
        self.authenticator = ThreadAuthenticator(context, log=log.getChild("zap"))
        self.authenticator.start()
        self.authenticator.thread.name = "curve-zap"
        self.users: dict[str, list[ZapCheck]] = {}


_lock = threading.Lock()
_auths: dict[int, _ContextAuth] = {}  # id(context) -> its handler; the entry keeps the context alive


def attach_server(context: zmq.Context, server: ZapCheck) -> None:
    """Check ``server.domain`` of ``context`` through ``server.callback``; the first server starts the ZAP thread."""
    with _lock:
        auth = _auths.get(id(context))
        if auth is None:
            auth = _auths[id(context)] = _ContextAuth(context)
        users = auth.users.setdefault(server.domain, [])
        if users and users[0] is not server:
            raise ValueError(f"ZAP domain {server.domain!r} is taken by another CURVE server of this context")
        users.append(server)
        # Every domain checks through its server's callback, which sees (and counts) the refused keys.
        auth.authenticator.configure_curve_callback(server.domain, credentials_provider=server)


def detach_server(context: zmq.Context, server: ZapCheck) -> None:
    """``server``'s socket closed: forget its domain; the last one stops the thread (before ``context.term()``)."""
    with _lock:
        auth = _auths.get(id(context))
        users = auth.users.get(server.domain, []) if auth else []
        if auth is None or server not in users:
            return
        users.remove(server)
        if not users:
            del auth.users[server.domain]
            auth.authenticator.credentials_providers.pop(server.domain, None)
        if not auth.users:
            del _auths[id(context)]
            auth.authenticator.stop()  # joins its thread: a TERMINATE on an inproc pipe, answered at once
