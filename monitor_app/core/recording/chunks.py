"""What a recording holds: one received frame or packet, with the figures the pre-roll and the writer need."""

from __future__ import annotations

from dataclasses import dataclass

from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.packets import CompressedPacket


@dataclass(frozen=True, slots=True)
class Chunk:
    """A frame (JPEG bytes or raw pixels) or a video packet, kept by reference: nothing is copied."""

    at: float
    """``time.time()`` when it was received: the recording's clock for frames."""
    nbytes: int
    keyframe: bool
    """A point a file may start at: every JPEG or raw frame, a video stream's key frames."""
    frame: EncodedFrame | None = None
    packet: CompressedPacket | None = None


def frame_chunk(frame: EncodedFrame) -> Chunk:
    size = len(frame.jpeg) if frame.jpeg is not None else frame.pixels.nbytes  # type: ignore[union-attr]
    return Chunk(frame.received_at, size, True, frame=frame)


def packet_chunk(packet: CompressedPacket) -> Chunk:
    return Chunk(packet.received_at, len(packet.data), packet.keyframe, packet=packet)
