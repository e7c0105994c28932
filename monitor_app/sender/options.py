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


@dataclass
class SendReport:
    """What ``send`` did, printed as JSON at the end (``stopped_by``: why it stopped)."""

    frames_sent: int = 0
    replies: int = 0
    reply_timeouts: int = 0
    source_failures: int = 0
    stopped_by: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "frames_sent": self.frames_sent,
            "replies": self.replies,
            "reply_timeouts": self.reply_timeouts,
            "source_failures": self.source_failures,
            "stopped_by": self.stopped_by,
        }
