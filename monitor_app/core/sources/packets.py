"""A compressed frame as the camera sent it (an H.264/H.265/MJPEG packet), for taps that want it undecoded.

Recording (stream copy), snapshots and the browser view read these instead of opening a second
connection to the camera (DESIGN.md, "Compressed frames").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class CompressedPacket:
    """One demuxed packet of a camera's video stream, with its timing."""

    camera: str
    stream: str
    """``main`` or ``sub``: which of the camera's URLs it came from."""
    codec: str
    """FFmpeg's codec name: ``h264``, ``hevc``, ``mjpeg``, ..."""
    data: bytes
    pts: int | None
    dts: int | None
    time_base: Fraction | None
    """``pts * time_base`` is seconds on the stream's clock."""
    keyframe: bool
    received_at: float
    """``time.time()`` when the packet was read."""
    extradata: bytes | None = None
    """The codec's parameter sets (SPS/PPS for H.264 in an MP4), the same object for every packet of a stream."""


PacketCallback = Callable[[CompressedPacket], None]
"""Called in the camera's reading thread for every packet: it must not block (queue and return)."""
