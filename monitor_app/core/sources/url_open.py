"""Opening a camera URL with OpenCV: classify it, build FFmpeg options, open with timeouts, explain failures.

OpenCV's FFmpeg backend only says "not opened"; when that happens ``diagnose`` asks the
server itself (one short TCP/RTSP/HTTP request) so the tile can say *why*: host not found,
connection refused, stream not found (404), authentication refused (401). Nothing here
ever puts a password in a message: every URL shown is passed through ``mask_url``.
"""

from __future__ import annotations

import enum
import http.client
import os
import re
import socket
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import cv2

from monitor_app.core.redact import mask_text, mask_url
from monitor_app.core.sources.base import PermanentSourceError, SourceError
from monitor_app.core.sources.url_rtsp import TRANSPORTS, ask_server

OPTIONS_ENV = "OPENCV_FFMPEG_CAPTURE_OPTIONS"
DEFAULT_OPEN_TIMEOUT_S = 5.0
DEFAULT_READ_TIMEOUT_S = 3.0
"""A capture's read timeout. Long enough for a camera's first key frame (a 2 s GOP plus
probing), and it never delays shutdown: captures run in their own worker thread."""


class UrlKind(str, enum.Enum):
    """What a camera URL names: a network stream (RTSP, HTTP), a video file or a local device."""

    RTSP = "rtsp"
    HTTP = "http"
    FILE = "file"
    DEVICE = "device"


@dataclass(frozen=True)
class CaptureTarget:
    """What a camera URL points at, parsed once."""

    kind: UrlKind
    url: str  # what OpenCV opens (may hold a password: never show it)
    device: int | None = None

    @property
    def masked(self) -> str:
        return mask_url(self.url)


_DEVICE_PATH = re.compile(r"^/dev/video(\d+)$")
_SCHEMES = {"rtsp": UrlKind.RTSP, "rtsps": UrlKind.RTSP, "http": UrlKind.HTTP, "https": UrlKind.HTTP}


def classify_url(text: str) -> CaptureTarget:
    """Parse a camera URL; raise ``PermanentSourceError`` for a malformed one."""
    url = text.strip()
    if not url:
        raise PermanentSourceError("malformed URL: empty")
    if url.isdigit():
        return CaptureTarget(UrlKind.DEVICE, url, device=int(url))
    match = _DEVICE_PATH.match(url)
    if match:
        return CaptureTarget(UrlKind.DEVICE, url, device=int(match[1]))
    if "://" not in url:
        return CaptureTarget(UrlKind.FILE, os.path.expanduser(url))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise PermanentSourceError(f"malformed URL {mask_url(url)}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme == "file":
        return CaptureTarget(UrlKind.FILE, unquote(parts.path))
    kind = _SCHEMES.get(scheme)
    if kind is None:
        raise PermanentSourceError(f"malformed URL {mask_url(url)}: unsupported scheme {scheme!r}")
    if not parts.hostname:
        raise PermanentSourceError(f"malformed URL {mask_url(url)}: no host")
    if port == 0:
        raise PermanentSourceError(f"malformed URL {mask_url(url)}: port 0")
    if any(c.isspace() for c in url):
        raise PermanentSourceError(f"malformed URL {mask_url(url)}: contains spaces")
    return CaptureTarget(kind, url)


def url_problem(text: object) -> str | None:
    """Layout validation's check of a ``url`` field: empty, or a scheme nothing here can open (``redis://``)."""
    if not isinstance(text, str) or not text.strip():
        return "must not be empty"
    head, sep, _ = text.strip().partition("://")
    if sep and head.lower() not in (*_SCHEMES, "file"):
        return f"unsupported scheme {head.lower()!r}: use rtsp, rtsps, http, https, a file path or a webcam number"
    return None


def ffmpeg_options(target: CaptureTarget, transport: str = "tcp") -> str:
    """The ``OPENCV_FFMPEG_CAPTURE_OPTIONS`` value for ``target``: low delay, short probing.

    ``auto`` asks for TCP: the fallback to UDP is a second open (``url_rtsp.open_with_fallback``).
    """
    if target.kind is UrlKind.RTSP:
        if transport not in TRANSPORTS:
            raise PermanentSourceError(f"RTSP transport must be one of {', '.join(TRANSPORTS)}, not {transport!r}")
        transport = "tcp" if transport == "auto" else transport
        return f"rtsp_transport;{transport}|fflags;nobuffer|flags;low_delay|analyzeduration;500000|probesize;500000"
    if target.kind is UrlKind.HTTP:
        return "fflags;nobuffer|flags;low_delay|analyzeduration;500000|probesize;500000"
    return ""


class _OptionsGate:
    """Guards the process-global options variable while captures open.

    Opens that need the same options run together; an open that needs other options waits
    until those finish, so no open ever sees a half-changed environment (and ``setenv``
    never races FFmpeg's ``getenv``).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._current: str | None = None
        self._users = 0

    def acquire(self, options: str, timeout_s: float) -> bool:
        with self._cond:
            ok = self._cond.wait_for(lambda: self._users == 0 or self._current == options, timeout_s)
            if not ok:
                return False
            if self._users == 0 and self._current != options:
                if options:
                    os.environ[OPTIONS_ENV] = options
                else:
                    os.environ.pop(OPTIONS_ENV, None)
                self._current = options
            self._users += 1
            return True

    def release(self) -> None:
        with self._cond:
            self._users -= 1
            self._cond.notify_all()


OPTIONS_GATE = _OptionsGate()


def open_capture(
    target: CaptureTarget,
    transport: str = "tcp",
    open_timeout_s: float = DEFAULT_OPEN_TIMEOUT_S,
    read_timeout_s: float = DEFAULT_READ_TIMEOUT_S,
) -> cv2.VideoCapture:
    """An opened capture, or ``SourceError`` / ``PermanentSourceError`` with the reason.

    Blocks up to about ``open_timeout_s`` (plus the wait for other options to finish
    opening); call it from a worker thread.
    """
    if target.kind is UrlKind.FILE and not Path(target.url).is_file():
        raise missing_file(target.url)
    params = [
        cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
        int(open_timeout_s * 1000),
        cv2.CAP_PROP_READ_TIMEOUT_MSEC,
        int(read_timeout_s * 1000),
    ]
    if target.kind is UrlKind.DEVICE:
        assert target.device is not None
        # Device backends (V4L2, DirectShow, AVFoundation) may refuse unknown params; they time out on their own.
        cap = cv2.VideoCapture(target.device, cv2.CAP_ANY)
    else:
        options = ffmpeg_options(target, transport)
        if not OPTIONS_GATE.acquire(options, open_timeout_s * 3):
            raise SourceError("timed out waiting for other cameras to finish opening")
        try:
            cap = cv2.VideoCapture(target.url, cv2.CAP_FFMPEG, params)
        finally:
            OPTIONS_GATE.release()
    if cap.isOpened():
        return cap
    cap.release()
    raise diagnose(target, min(open_timeout_s, 3.0), transport)


_DEFAULT_PORTS = {"rtsp": 554, "rtsps": 322, "http": 80, "https": 443}


def server_address(target: CaptureTarget) -> tuple[str, int] | None:
    """The (host, port) a network stream connects to; None for files and devices."""
    if target.kind not in (UrlKind.RTSP, UrlKind.HTTP):
        return None
    parts = urlsplit(target.url)
    return parts.hostname or "", parts.port or _DEFAULT_PORTS[parts.scheme.lower()]


_MISTYPED_SCHEME = re.compile(r"(?i)(rtsps?|https?|rtmps?|srt|udp|tcp)(?::/?(?!/)|//|:?\\\\)(.+)")
"""``rtsp//host``, ``rtsp:/host``, ``rtsp:host``, ``http:\\\\host``: a URL whose ``://`` was mistyped, which
FFmpeg would take for a file name."""


def missing_file(url: str) -> PermanentSourceError:
    """A "file" that is not there: says so, or that the URL's scheme looks mistyped, with the fix."""
    typo = _MISTYPED_SCHEME.fullmatch(url)
    if typo is not None:  # the text itself is not shown: unparsed, its password could not be masked
        fixed = f"{typo[1].lower()}://{typo[2].replace(chr(92), '/').lstrip('/')}"
        return PermanentSourceError(
            f"not a file, and the URL's scheme looks mistyped: did you mean {mask_text(fixed)}?"
        )
    return PermanentSourceError(f"file not found: {mask_text(url)}")


def diagnose(target: CaptureTarget, timeout_s: float, transport: str | None = None) -> SourceError:
    """Why ``target`` did not open: asks the server directly (bounded by ``timeout_s``).

    ``transport``: the RTSP transport the open tried; for ``tcp`` a server that answers but refuses
    RTSP over TCP is ``TransportRefused`` (``url_rtsp``).
    """
    if target.kind is UrlKind.FILE:
        if not Path(target.url).is_file():
            return missing_file(target.url)
        return PermanentSourceError(f"cannot play file {mask_text(target.url)} (not a video FFmpeg can read)")
    if target.kind is UrlKind.DEVICE:
        return SourceError(f"cannot open camera device {target.url} (not connected or busy)")
    parts = urlsplit(target.url)
    secure = parts.scheme.lower() in ("rtsps", "https")
    host, port = server_address(target) or ("", 0)
    where = f"{host}:{port}"
    try:
        sock = socket.create_connection((host, port), timeout=timeout_s)
    except socket.gaierror:
        return SourceError(f"host not found: {host}")
    except ConnectionRefusedError:
        return SourceError(f"connection refused by {where} (nothing listening on that port)")
    except TimeoutError:
        return SourceError(f"no answer from {where} within {timeout_s:g} s (host unreachable)")
    except OSError as exc:
        return SourceError(f"cannot reach {where}: {exc.strerror or exc}")
    try:
        if secure:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # cameras use self-signed certificates; FFmpeg does not verify either
            sock = context.wrap_socket(sock, server_hostname=host)
        return ask_server(sock, target.url, check_tcp=transport == "tcp")
    except (OSError, ValueError, http.client.HTTPException) as exc:
        return SourceError(f"{where} did not answer as a {parts.scheme.upper()} server: {mask_text(str(exc))}")
    finally:
        sock.close()


def fourcc_text(value: float) -> str:
    """CAP_PROP_FOURCC as text (``h264``, ``MJPG``), or ``?``."""
    code = int(value)
    if code <= 0:
        return "?"
    chars = "".join(chr((code >> (8 * i)) & 0xFF) for i in range(4))
    return chars.strip("\x00 ") if chars.isprintable() else "?"
