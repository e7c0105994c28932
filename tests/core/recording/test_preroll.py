"""The pre-roll's bounds: seconds, bytes, and a video pre-roll that always starts at a key frame."""

from __future__ import annotations

from fractions import Fraction

from monitor_app.core.recording.chunks import Chunk, packet_chunk
from monitor_app.core.recording.preroll import PreRoll
from monitor_app.core.sources.packets import CompressedPacket


def chunk(at: float, nbytes: int = 10, key: bool = True) -> Chunk:
    return Chunk(at, nbytes, key)


def packet(at: float, key: bool, size: int = 100) -> Chunk:
    return packet_chunk(CompressedPacket("", "main", "h264", b"x" * size, 0, 0, Fraction(1, 90000), key, at))


def test_keeps_only_the_last_seconds() -> None:
    ring = PreRoll(seconds=2.0, max_bytes=10**9)
    for i in range(50):
        ring.add(chunk(i * 0.1))
    held = ring.snapshot()
    assert held[0].at >= 4.9 - 2.0 - 1e-9 and held[-1].at == 4.9 and len(held) == 21


def test_keeps_at_most_its_bytes() -> None:
    ring = PreRoll(seconds=100.0, max_bytes=1000)
    for i in range(100):
        ring.add(chunk(i * 0.1, nbytes=90))
    assert ring.nbytes <= 1000 and len(ring) == 11 and ring.snapshot()[-1].at == 9.9


def test_a_video_preroll_starts_at_a_key_frame() -> None:
    ring = PreRoll(seconds=1.0, max_bytes=10**9)
    ring.add(packet(0.0, key=False))  # nothing to start from yet
    assert len(ring) == 0
    for i in range(40):  # a key frame every 8 packets, 10 a second
        ring.add(packet(0.1 + i * 0.1, key=i % 8 == 0))
        held = ring.snapshot()
        assert held and held[0].keyframe
        assert held[-1].at - held[0].at <= 1.0 + 1e-9


def test_a_key_frame_dropped_for_bytes_takes_its_followers_along() -> None:
    ring = PreRoll(seconds=100.0, max_bytes=1000)
    for i in range(24):
        ring.add(packet(i * 0.1, key=i % 8 == 0, size=100))
    held = ring.snapshot()
    assert held[0].keyframe and held[0].at == 1.6 and len(held) == 8 and ring.nbytes == 800


def test_no_preroll_holds_nothing() -> None:
    ring = PreRoll(seconds=0.0)
    ring.add(chunk(1.0))
    assert len(ring) == 0
