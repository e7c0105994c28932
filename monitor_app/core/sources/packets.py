"""A compressed frame as the camera sent it (an H.264/H.265/MJPEG packet), for taps that want it undecoded.

Recording (stream copy), snapshots and the browser view read these instead of opening a second
connection to the camera (DESIGN.md, "Compressed frames").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol


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
    size: tuple[int, int] | None = None
    """(width, height) of the stream when the demuxer knows it (a recording's track header wants it)."""


PacketCallback = Callable[[CompressedPacket], None]
"""Called in the camera's reading thread for every packet: it must not block (queue and return)."""


class PacketFanout:
    """Hands each packet to several listeners (a source has one ``on_packet``); the tuple is replaced, never
    changed, so the reading thread iterates without a lock. A listener must queue and return."""

    def __init__(self) -> None:
        self.listeners: tuple[PacketCallback, ...] = ()

    def __call__(self, packet: CompressedPacket) -> None:
        for listener in self.listeners:
            listener(packet)


class PacketSource(Protocol):
    on_packet: PacketCallback | None


def add_packet_listener(source: PacketSource, listener: PacketCallback) -> None:
    """From any thread: ``listener`` gets the source's packets too (a fan-out replaces a single callback)."""
    current = source.on_packet
    fanout = current if isinstance(current, PacketFanout) else PacketFanout()
    if current is not None and current is not fanout:
        fanout.listeners = (current,)
    if listener not in fanout.listeners:
        fanout.listeners = (*fanout.listeners, listener)
    source.on_packet = fanout


def remove_packet_listener(source: PacketSource, listener: PacketCallback) -> None:
    """The last listener gone, the source makes no packets at all (a camera nobody taps pays nothing)."""
    current = source.on_packet
    if isinstance(current, PacketFanout):
        current.listeners = tuple(x for x in current.listeners if x != listener)
        if not current.listeners:
            source.on_packet = None
    elif current == listener:
        source.on_packet = None
