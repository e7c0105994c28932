"""Timestamps for a recorded file: real time for frames, the camera's own clock for video packets.

Both keep the variable frame rate: a frame's time is when it came (or what the camera stamped), never a
frame count times a nominal rate. Timestamps start at 0 in each file and never go backwards: a camera
that restarts its clock (a reconnect) continues from where the file was, after the gap it really had.
"""

from __future__ import annotations

from fractions import Fraction

from monitor_app.core.recording.chunks import Chunk

FRAME_TIME_BASE = Fraction(1, 1000)
"""Milliseconds: plenty for frames stamped by ``time.time()`` on arrival."""
MAX_JUMP_S = 10.0
"""A packet clock jumping forward further than this (or back at all) is a new clock, not a gap."""


class FrameClock:
    """Milliseconds since the file's first frame, from the frames' arrival times."""

    time_base = FRAME_TIME_BASE

    def __init__(self) -> None:
        self._first: float | None = None
        self._last = -1

    def stamp(self, chunk: Chunk) -> tuple[int, int]:
        if self._first is None:
            self._first = chunk.at
        pts = max(self._last + 1, round((chunk.at - self._first) * 1000))
        self._last = pts
        return pts, pts


class PacketClock:
    """The packets' own pts/dts, moved to start at 0; a discontinuity is bridged by the arrival times."""

    def __init__(self, time_base: Fraction) -> None:
        self.time_base = time_base
        self._offset: int | None = None
        self._last_dts = -1
        self._last_at = 0.0

    def stamp(self, chunk: Chunk) -> tuple[int, int]:
        packet = chunk.packet
        assert packet is not None
        dts = packet.dts if packet.dts is not None else packet.pts
        if dts is None:  # no timing at all: the arrival time, in this stream's units
            dts = round(chunk.at / self.time_base)
        pts = packet.pts if packet.pts is not None else dts
        if self._offset is None:
            self._offset = dts
        out = dts - self._offset
        if self._last_dts >= 0 and (out <= self._last_dts or (out - self._last_dts) * self.time_base > MAX_JUMP_S):
            gap = max(1, round((chunk.at - self._last_at) / self.time_base))
            self._offset = dts - (self._last_dts + gap)  # a new clock: continue after the real gap
            out = dts - self._offset
        self._last_dts, self._last_at = out, chunk.at
        return max(out, pts - self._offset), out
