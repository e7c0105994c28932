"""The pre-roll: the last seconds of a camera's chunks, bounded in bytes, starting at a key frame."""

from __future__ import annotations

import threading
from collections import deque

from monitor_app.core.recording.chunks import Chunk

DEFAULT_PREROLL_S = 10.0
DEFAULT_PREROLL_BYTES = 64 * 1024 * 1024
"""Per camera: 10 s of a 720p30 JPEG camera (~100 KB a frame) is ~30 MB; a raw camera hits this first."""


class PreRoll:
    """A ring of references to received chunks; ``add`` runs on the receiver thread and never blocks long.

    Whatever it holds starts at a key frame: a video file cannot start with a frame that refers to
    one it does not have. So trimming the oldest chunk also drops what follows it up to the next key.
    """

    def __init__(self, seconds: float = DEFAULT_PREROLL_S, max_bytes: int = DEFAULT_PREROLL_BYTES) -> None:
        self.seconds = seconds
        self.max_bytes = max_bytes
        self._chunks: deque[Chunk] = deque()
        self._bytes = 0
        self._lock = threading.Lock()  # the receiver adds, the GUI thread takes a copy at a start

    @property
    def nbytes(self) -> int:
        return self._bytes

    def add(self, chunk: Chunk) -> None:
        if self.seconds <= 0:
            return
        with self._lock:
            chunks = self._chunks
            if not chunks and not chunk.keyframe:
                return  # nothing to start from yet: wait for a key frame
            chunks.append(chunk)
            self._bytes += chunk.nbytes
            oldest_kept = chunk.at - self.seconds
            while chunks and (chunks[0].at < oldest_kept or self._bytes > self.max_bytes):
                self._pop()
                while chunks and not chunks[0].keyframe:
                    self._pop()

    def snapshot(self) -> list[Chunk]:
        """The chunks held now, oldest first (a key frame), for a recording that starts."""
        with self._lock:
            return list(self._chunks)

    def clear(self) -> None:
        with self._lock:
            self._chunks.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._chunks)

    def _pop(self) -> None:
        self._bytes -= self._chunks.popleft().nbytes
