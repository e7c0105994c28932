"""The FrameSink the URL source tests drive a ``UrlSource`` with, on the test's own thread: one, not one a file."""

from __future__ import annotations

from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.region import FULL, Region


class TileSink:
    """A real FrameSink for one camera whose tile is ``target`` device pixels; it keeps what it is given.

    ``shown`` False is a hidden tile (no size, no frames wanted); ``region`` a zoomed one; both, and
    ``target``, may change mid-test.
    """

    def __init__(self, target: tuple[int, int] = (320, 180)) -> None:
        self.frames: list[EncodedFrame] = []
        self.heartbeats = 0
        self.target = target
        self.shown = True
        self.region = FULL

    def deliver(self, frame: EncodedFrame) -> None:
        self.frames.append(frame)

    def heartbeat(self, camera: str) -> None:
        self.heartbeats += 1

    def bad_message(self, reason: str, camera: str | None = None) -> None:
        pass

    def wants_frames(self, camera: str) -> bool:
        return self.shown

    def target_size(self, camera: str) -> tuple[int, int] | None:
        return self.target if self.shown else None

    def target_region(self, camera: str) -> Region:
        return self.region
