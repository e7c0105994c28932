"""Taps: readers of every compressed frame a camera receives, before the latest-wins drop (DESIGN.md).

The browser view, snapshots, a recorder or the relay want frames as they arrived, not the tile's
decoded image. A feed offers each received frame to its taps on the receiver thread, so ``offer``
must never block: a tap keeps what it needs in its own bounded store and counts what it drops.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from monitor_app.core.pipeline.mailbox import LatestSlot
from monitor_app.core.sources.frames import EncodedFrame


class FrameTap(Protocol):
    """A reader of a camera's received frames; called on the receiver thread."""

    def offer(self, frame: EncodedFrame) -> None:
        """Take ``frame`` (or drop it, counted); return at once, never block, never raise."""


class TapSet:
    """An immutable tuple of taps replaced on every change, so the receiver thread iterates without a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # writers only: two threads adding at once must not lose one
        self.taps: tuple[FrameTap, ...] = ()

    def add(self, tap: FrameTap) -> None:
        with self._lock:
            if not any(t is tap for t in self.taps):
                self.taps = (*self.taps, tap)

    def remove(self, tap: FrameTap) -> None:
        with self._lock:
            self.taps = tuple(t for t in self.taps if t is not tap)


class LatestFrameTap:
    """Keeps the newest offered frame until taken; ``on_fill`` runs when the slot goes from empty to full.

    So its reader gets one wake-up per fill, not one per frame; a frame overwritten before it was
    taken is counted in ``dropped``. ``on_fill`` runs on the receiver thread: it must not block.
    """

    def __init__(self, on_fill: Callable[[], None]) -> None:
        self._slot: LatestSlot[EncodedFrame] = LatestSlot()
        self._on_fill = on_fill
        self.offered = 0

    def offer(self, frame: EncodedFrame) -> None:
        self.offered += 1  # one writer (the connection's receiver thread): no lock needed
        if self._slot.put(frame):
            self._on_fill()

    def take(self) -> EncodedFrame | None:
        return self._slot.take()

    @property
    def dropped(self) -> int:
        return self._slot.overwritten
