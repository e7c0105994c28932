"""CURVE encryption and authentication for our ZeroMQ sockets: key files, socket options, ZAP.

Keys are pyzmq's ``zmq.auth`` certificate files (``camera-monitor keys DIR NAME``). A server (a bound
hub, a SUB with ``bind``, a PUB sender) holds its secret key and a folder of the public keys allowed in;
a client holds its secret key and the server's public key. libzmq asks a ZAP handler whether a client's
key is allowed; there is at most one per ``zmq.Context`` (it binds ``inproc://zeromq.zap.01``), so every
server socket of a context shares one ``ThreadAuthenticator`` and is told apart by its ``zap_domain``.
The authenticator starts with the first CURVE server of its context and stops with the last.

The key bytes never leave this module: messages name files, never keys. The shared authenticators and
the logging of refusals are in ``curve_auth``.
"""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, overload

import zmq
import zmq.auth
from zmq.utils import z85

from monitor_app.core.sources.base import PermanentSourceError
from monitor_app.core.sources.curve_auth import Burst, Role, attach_server, detach_server
from monitor_app.core.sources.kind import OptionField, non_empty

log = logging.getLogger(__name__)

SERVER_FIELDS = {
    "curve_secret": OptionField(str, check=non_empty),
    "curve_allow": OptionField(str, check=non_empty),
}
"""Layout fields of a bound socket: its own ``NAME.key_secret`` and the folder of allowed ``*.key`` files."""
CLIENT_FIELDS = {
    "curve_secret": OptionField(str, check=non_empty),
    "curve_server": OptionField(str, check=non_empty),
}
"""Layout fields of a connecting socket: its own ``NAME.key_secret`` and the server's ``NAME.key``."""


def curve_problems(options: Mapping[str, Any], role: Role) -> list[tuple[str, str]]:
    """(field, problem) for a combination of CURVE fields that cannot work; [] when fine or no CURVE."""
    secret, allow, server = (options.get(k) for k in ("curve_secret", "curve_allow", "curve_server"))
    if not (secret or allow or server):
        return []
    own, other = ("curve_allow", "curve_server") if role == "server" else ("curve_server", "curve_allow")
    problems: list[tuple[str, str]] = []
    if options.get(other):
        this, that = ("bound", "connecting") if role == "server" else ("connecting", "bound")
        problems.append((other, f"is for a {that} socket; a {this} one takes curve_secret and {own}"))
    if not secret:
        problems.append(("curve_secret", f"is required with {own}: this {role}'s NAME.key_secret file"))
    if not options.get(own):
        what = "the folder of the public .key files let in" if role == "server" else "the server's public NAME.key file"
        problems.append((own, f"is required with curve_secret: {what}"))
    return problems


@overload
def curve_from_options(options: Mapping[str, Any], role: Literal["server"], domain: str) -> CurveServer | None: ...
@overload
def curve_from_options(options: Mapping[str, Any], role: Literal["client"], domain: str) -> CurveClient | None: ...
def curve_from_options(options: Mapping[str, Any], role: Role, domain: str) -> CurveServer | CurveClient | None:
    """The CURVE set-up the options ask for (None: plain ZeroMQ); ``PermanentSourceError`` when it cannot work."""
    problems = curve_problems(options, role)
    if problems:
        raise PermanentSourceError("; ".join(f"{name} {problem}" for name, problem in problems))
    if not options.get("curve_secret"):
        return None
    if role == "server":
        return CurveServer.load(options["curve_secret"], options["curve_allow"], domain)
    return CurveClient.load(options["curve_secret"], options["curve_server"])


class CurveServer:
    """A bound socket's CURVE keys and the public keys it lets in; counts the clients it refuses."""

    def __init__(self, public: bytes, secret: bytes, allow_dir: str, domain: str) -> None:
        self._public, self._secret = public, secret
        self.allow_dir = allow_dir
        self.domain = domain
        self._allowed = _allowed_keys(allow_dir)
        self._reloaded_at = time.monotonic()
        self._refusals = Burst()
        self._contexts: list[zmq.Context] = []

    def __repr__(self) -> str:  # never the keys
        return f"CurveServer(domain={self.domain!r}, allow_dir={self.allow_dir!r})"

    @classmethod
    def load(cls, secret_file: str, allow_dir: str, domain: str) -> CurveServer:
        """Read and check the files; ``PermanentSourceError`` names the file and the fix."""
        _check_curve_available()
        public, secret = read_secret_key(secret_file)
        if not Path(allow_dir).is_dir():
            raise PermanentSourceError(f"CURVE allow folder {allow_dir} does not exist or is not a folder")
        server = cls(public, secret, allow_dir, domain)
        if not server._allowed:
            log.warning("%s: no public .key files in %s: every client will be refused", domain, allow_dir)
        return server

    @property
    def auth_failures(self) -> int:
        """Clients refused so far because their key is not in the allow folder (each try counts)."""
        return self._refusals.count

    def apply(self, socket: zmq.Socket) -> None:
        """Make ``socket`` a CURVE server (before it binds) checked by its context's shared authenticator."""
        socket.setsockopt(zmq.CURVE_SECRETKEY, self._secret)
        socket.setsockopt(zmq.CURVE_PUBLICKEY, self._public)
        socket.setsockopt(zmq.CURVE_SERVER, 1)
        socket.setsockopt(zmq.ZAP_DOMAIN, self.domain.encode())
        attach_server(socket.context, self)
        self._contexts.append(socket.context)

    def release(self) -> None:
        """The socket closed (call before its context terminates): the last server of a context stops its ZAP thread."""
        contexts, self._contexts = self._contexts, []
        for context in contexts:
            detach_server(context, self)

    def callback(self, domain: str, client_key: bytes) -> bool:
        """The ZAP check of one client's (z85) public key; runs in the authenticator's thread."""
        if client_key in self._allowed:
            return True
        now = time.monotonic()
        if now - self._reloaded_at >= 1.0:  # a .key file added to the folder lets its client in on its next try
            self._reloaded_at = now
            try:
                self._allowed = _allowed_keys(self.allow_dir)
            except PermanentSourceError as exc:
                log.warning("%s: %s", self.domain, exc)
            if client_key in self._allowed:
                return True
        count, tell = self._refusals.add(now)
        if tell:
            log.warning(
                "%s: refused a client whose key is not allowed (%d so far); to let it in, put its .key file in %s",
                self.domain,
                count,
                self.allow_dir,
            )
        return False


class CurveClient:
    """A connecting socket's CURVE keys and the public key of the server it trusts."""

    def __init__(self, public: bytes, secret: bytes, server_public: bytes) -> None:
        self._public, self._secret, self._server = public, secret, server_public

    def __repr__(self) -> str:  # never the keys
        return "CurveClient()"

    @classmethod
    def load(cls, secret_file: str, server_public_file: str) -> CurveClient:
        """Read and check the files; ``PermanentSourceError`` names the file and the fix."""
        _check_curve_available()
        public, secret = read_secret_key(secret_file)
        return cls(public, secret, read_public_key(server_public_file))

    def apply(self, socket: zmq.Socket) -> None:
        """Make ``socket`` a CURVE client of the server (before it connects)."""
        socket.setsockopt(zmq.CURVE_SECRETKEY, self._secret)
        socket.setsockopt(zmq.CURVE_PUBLICKEY, self._public)
        socket.setsockopt(zmq.CURVE_SERVERKEY, self._server)


def read_secret_key(path: str) -> tuple[bytes, bytes]:
    """(public, secret) z85 keys of a ``NAME.key_secret`` file that only its owner can read."""
    _check_file(path, "secret key")
    public, secret = _load(path, "secret key")
    if secret is None or not _is_key(secret):  # before the mode: chmod is not the fix for the wrong file
        raise PermanentSourceError(
            f"{path} holds no CURVE secret key (is it the public .key file?); make a pair with: camera-monitor keys"
        )
    if os.name == "posix" and os.stat(path).st_mode & 0o077:
        raise PermanentSourceError(
            f"CURVE secret key file {path} is readable by other users; make it private: chmod 600 {path}"
        )
    return public, secret


def read_public_key(path: str) -> bytes:
    """The z85 public key of a ``NAME.key`` file (a ``.key_secret`` file has one too)."""
    _check_file(path, "public key")
    public, _ = _load(path, "public key")
    return public


def _check_file(path: str, what: str) -> None:
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise PermanentSourceError(f"cannot read CURVE {what} file {path}: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise PermanentSourceError(f"CURVE {what} file {path} is not a file")


def _load(path: str, what: str) -> tuple[bytes, bytes | None]:
    try:
        public, secret = zmq.auth.load_certificate(path)
    except (OSError, ValueError, IndexError):  # pyzmq's messages are fine, but say what to do instead
        raise PermanentSourceError(
            f"{path} is not a CURVE {what} file; make a pair with: camera-monitor keys DIR NAME"
        ) from None
    if not _is_key(public):
        raise PermanentSourceError(f"{path}: its public-key is not a CURVE key (40 characters of Z85)")
    return public, secret


def _is_key(key: bytes) -> bool:
    if len(key) != 40:
        return False
    try:
        return len(z85.decode(key)) == 32
    except (ValueError, KeyError, TypeError):
        return False


def _allowed_keys(allow_dir: str) -> frozenset[bytes]:
    try:
        return frozenset(zmq.auth.load_certificates(allow_dir))
    except (OSError, ValueError, IndexError):
        raise PermanentSourceError(
            f"cannot read the public keys in CURVE allow folder {allow_dir}: a .key file there is not a key file"
        ) from None


def _check_curve_available() -> None:
    if not zmq.has("curve"):
        raise PermanentSourceError(f"this libzmq ({zmq.zmq_version()}) was built without CURVE encryption")
