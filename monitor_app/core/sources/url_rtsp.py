"""Asking a camera's server directly what is wrong, and RTSP's fallback from TCP to UDP.

FFmpeg only says that an open failed; ``url_open.diagnose`` connects itself and sends one
request (RTSP ``DESCRIBE``, HTTP ``GET``), and this module turns the answer into the reason a
tile shows. When an RTSP server answered 200 but FFmpeg still failed over TCP, one more request
(a ``SETUP`` asking for TCP) tells whether the server refuses RTSP over TCP: UDP-only servers
answer it 461 (Unsupported Transport) or 400, and FFmpeg then only reports "invalid data". With
the default transport ``auto``, ``open_with_fallback`` then opens over UDP, as ffplay and VLC do.
"""

from __future__ import annotations

import base64
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import BinaryIO, TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

from monitor_app.core.redact import mask_url
from monitor_app.core.sources.base import PermanentSourceError, SourceError, StreamNotReadyError

log = logging.getLogger(__name__)

TRANSPORTS = ("auto", "tcp", "udp")
"""A URL camera's RTSP transport: ``auto`` is TCP, then UDP if the server refuses TCP."""
TRANSPORT_CHOICES = (
    ("auto", "TCP, or UDP if the server refuses TCP (the default)"),
    ("tcp", "TCP only"),
    ("udp", "UDP (lower delay on a clean network)"),
)
REFUSED_TRANSPORT = (400, 461)
"""A ``SETUP``'s answer when the server does not take the transport asked for (461 Unsupported
Transport; Debian's rtsp-server-perl answers 400 Bad Request)."""
MAX_SDP = 65536
QUICK_ANSWER_S = 1.0
"""A UDP open right after the refusal that fails this fast is tried again: GStreamer's server answers
its DESCRIBE 503 while it tears down the media of the TCP client it just refused (seen probing it)."""
QUICK_RETRIES = 3
QUICK_RETRY_PAUSE_S = 0.15
"""Pauses of 0.15, 0.3 and 0.45 s between those tries (a fresh CI machine needed more than one at once)."""

T = TypeVar("T")


class TransportRefused(PermanentSourceError):
    """The server refuses RTSP over TCP: with ``"transport": "tcp"`` retrying will not help."""

    def __init__(self, status: str) -> None:
        super().__init__(f'the server refuses RTSP over TCP ({status}): set the camera\'s transport to "auto" or "udp"')
        self.status = status  # the SETUP's answer: "461 Unsupported Transport"


_udp_only: set[str] = set()
"""Streams whose server refused TCP in this process: later opens in ``auto`` go straight to UDP
(and the fallback is logged once, not at every reconnect). A server reconfigured for TCP is
read over UDP until the app restarts, which costs nothing but the lower reliability."""
_udp_only_lock = threading.Lock()


def is_rtsp(url: str) -> bool:
    return url.partition("://")[0].lower() in ("rtsp", "rtsps")


def open_with_fallback(url: str, transport: str, open_once: Callable[[str], T]) -> tuple[T, str]:
    """``open_once(transport)``'s result and the transport it used; ``auto`` falls back to UDP.

    ``open_once`` must raise ``TransportRefused`` when the server refused TCP (``diagnose`` with
    the transport tried says so). Explicit ``tcp`` and ``udp`` are used as they are; streams other
    than RTSP get ``transport`` unchanged (it means nothing to them). A UDP open that fails at once
    after the refusal is tried again, a few times (``QUICK_ANSWER_S``).
    """
    if transport != "auto" or not is_rtsp(url):
        return open_once(transport), transport
    with _udp_only_lock:
        known = url in _udp_only
    if known:
        return open_once("udp"), "udp"
    try:
        return open_once("tcp"), "tcp"
    except TransportRefused as refused:
        log.info("%s: the server refuses RTSP over TCP (%s): falling back to UDP", mask_url(url), refused.status)
        with _udp_only_lock:
            _udp_only.add(url)
    for attempt in range(QUICK_RETRIES):
        began = time.monotonic()
        try:
            return open_once("udp"), "udp"
        except PermanentSourceError:
            raise
        except SourceError:
            if time.monotonic() - began > QUICK_ANSWER_S:
                raise  # not the teardown's 503 but a real failure (UDP blocked: a timeout); not twice
            time.sleep(QUICK_RETRY_PAUSE_S * (attempt + 1))  # the teardown takes a moment
    return open_once("udp"), "udp"


def ask_server(sock: socket.socket, url: str, check_tcp: bool) -> SourceError:
    """What the server at ``sock`` says about the stream ``url``; ``check_tcp``: after an RTSP 200, also
    whether it takes RTSP over TCP."""
    reader = sock.makefile("rb")
    split = urlsplit(url)
    netloc = split.hostname or ""
    if split.port:
        netloc += f":{split.port}"
    clean = urlunsplit((split.scheme, netloc, split.path or "/", split.query, ""))
    auth = ""
    if split.username is not None:
        token = base64.b64encode(f"{unquote(split.username)}:{unquote(split.password or '')}".encode()).decode()
        auth = f"Authorization: Basic {token}\r\n"
    rtsp = is_rtsp(url)
    if rtsp:
        request = f"DESCRIBE {clean} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n{auth}\r\n"
    else:
        path = (split.path or "/") + (f"?{split.query}" if split.query else "")
        request = f"GET {path} HTTP/1.0\r\nHost: {netloc}\r\n{auth}\r\n"
    sock.sendall(request.encode("latin-1"))
    code, reason, headers = _read_head(reader)
    if code == 200 and check_tcp and rtsp:
        length = min(int(headers.get("content-length", "0") or 0), MAX_SDP)
        sdp = reader.read(length).decode("latin-1", "replace")
        base = headers.get("content-base") or headers.get("content-location") or clean
        setup = f"SETUP {_control_url(sdp, base)} RTSP/1.0\r\nCSeq: 2\r\n"
        setup += f"Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n{auth}\r\n"
        sock.sendall(setup.encode("latin-1"))
        answer, answer_reason, answer_headers = _read_head(reader)
        if answer in REFUSED_TRANSPORT:
            return TransportRefused(f"{answer} {answer_reason}".strip())
        if session := answer_headers.get("session", "").split(";")[0].strip():  # leave nothing set up behind
            sock.sendall(f"TEARDOWN {clean} RTSP/1.0\r\nCSeq: 3\r\nSession: {session}\r\n{auth}\r\n".encode("latin-1"))
    return error_for_status(code, reason, split.username is not None, mask_url(url), rtsp)


def _read_head(reader: BinaryIO) -> tuple[int, str, dict[str, str]]:
    """An RTSP/HTTP reply's status code, reason phrase and headers (lower-case names)."""
    fields = reader.readline(512).decode("latin-1").split(None, 2)
    if len(fields) < 2 or not fields[0].upper().startswith(("RTSP/", "HTTP/")) or not fields[1].isdigit():
        raise ValueError("unexpected reply")
    headers: dict[str, str] = {}
    for _ in range(100):
        line = reader.readline(4096).decode("latin-1").strip()
        if not line:
            break
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(fields[1]), fields[2].strip() if len(fields) > 2 else "", headers


def _control_url(sdp: str, base: str) -> str:
    """The first video stream's control URL in ``sdp`` (the session's when it names none), resolved on ``base``."""
    control, in_video = "", False
    for line in sdp.splitlines():
        if line.startswith("m="):
            if in_video and control:
                break
            in_video, control = line.startswith("m=video"), ""
        elif line.startswith("a=control:") and (in_video or not control):
            control = line.removeprefix("a=control:").strip()
    if not control or control == "*":
        return base
    if "://" in control:
        return control
    return base.rstrip("/") + "/" + control


def error_for_status(code: int, reason: str, has_credentials: bool, masked_url: str, rtsp: bool) -> SourceError:
    """The failure a server's status stands for; a 200 means the server looked fine (FFmpeg's words follow)."""
    if code in (401, 403):
        what = "authentication refused" if has_credentials else "authentication required (no user/password in URL)"
        return PermanentSourceError(f"{what} ({code})")
    if code == 404 and rtsp:
        # A restreamer (MediaMTX, rtsp-simple-server, rtsp-server-perl) answers 404 until its publisher
        # starts; on the wire that is a mistyped path too, so the tile waits and says both.
        status = f"{code} {reason or 'Not Found'}"
        return StreamNotReadyError(f"the server has no stream at this path yet ({status}); retrying")
    if code == 404:
        return PermanentSourceError(f"stream not found (404): {masked_url}")
    if 400 <= code < 500:
        return PermanentSourceError(f"request refused ({code}): {masked_url}")
    if code >= 500:
        return SourceError(f"server error ({code})")
    return SourceError(f"the server answered ({code}) but the stream could not be decoded")
