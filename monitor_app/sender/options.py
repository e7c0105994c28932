"""What ``camera-monitor send`` is asked to do (``SendOptions``) and what it did (``SendReport``)."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

SLICE_S = 0.1
"""The longest single wait anywhere in the sender."""

PATTERN = "pattern"


@dataclass
class SendOptions:
    """What ``send`` is asked to do: the source, where to send it, and how much."""

    endpoint: str = "tcp://127.0.0.1:5555"
    source: str = PATTERN
    """``pattern``, a webcam index (``0``), a video file, or an RTSP/HTTP URL."""
    pub: bool = False
    name: str = field(default_factory=socket.gethostname)
    quality: int = 90
    fps: float | None = None
    """Maximum frames a second (None: as fast as the source gives them; the pattern uses 15)."""
    size: tuple[int, int] | None = None
    raw: bool = False
    count: int | None = None
    seconds: float | None = None
    loop: bool = True
    """Start a video file over at its end."""
    reply_timeout_s: float = 2.0
    curve_secret: str | None = None
    """CURVE: this sender's ``NAME.key_secret``; with ``curve_server`` (REQ) or ``curve_allow`` (PUB)."""
    curve_server: str | None = None
    """CURVE, REQ: the hub's public ``NAME.key``."""
    curve_allow: str | None = None
    """CURVE, PUB: the folder of the public ``.key`` files of the subscribers let in."""

    def curve_options(self) -> dict[str, str]:
        """The CURVE paths given, named as the layout fields are (``core/sources/curve.py``)."""
        given = {"curve_secret": self.curve_secret, "curve_server": self.curve_server, "curve_allow": self.curve_allow}
        return {k: v for k, v in given.items() if v}


@dataclass
class SendReport:
    """What ``send`` did, printed as JSON at the end (``stopped_by``: why it stopped)."""

    frames_sent: int = 0
    replies: int = 0
    reply_timeouts: int = 0
    source_failures: int = 0
    auth_failures: int = 0
    """CURVE handshakes refused: REQ, by the hub (our key is not allowed); PUB, of subscribers whose key is not."""
    stopped_by: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "frames_sent": self.frames_sent,
            "replies": self.replies,
            "reply_timeouts": self.reply_timeouts,
            "source_failures": self.source_failures,
            "auth_failures": self.auth_failures,
            "stopped_by": self.stopped_by,
        }
