"""A recording's writer: a thread behind a bounded queue, so the receiver never waits on a disk.

``put`` runs on the camera's receiver (or reading) thread and returns at once: a chunk that does not fit
in the queue is counted in ``frames_not_recorded``, and after a dropped video packet the packets up to
the next key frame go too (they refer to it). The thread writes the pre-roll first, then the queue,
starts a new file every ``split_s`` at a key frame (or when the stream changes), and stops the
recording at the first write the disk refuses, closing the file so what it holds plays.
"""

from __future__ import annotations

import errno
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import av

from monitor_app.core.recording.chunks import Chunk
from monitor_app.core.recording.muxer import MatroskaMuxer

log = logging.getLogger(__name__)

QUEUE_FRAMES = 512
QUEUE_BYTES = 64 * 1024 * 1024
"""Live chunks waiting for the disk: seconds of any camera; the pre-roll is handed over apart from these."""
BATCH_S = 1.0
"""How often the thread wakes to write what queued, as one batch (one cluster for JPEG frames).
Each wake-up is a GIL hand-over the GUI and decode threads wait on: 32 recording cameras at 30 fps woke
960 times a second when every frame woke its writer; with 32 writers, single ``bench --record`` runs
kept 0.86 of the wall's frame rate at 0.5 s and 0.89 at 1 s (single runs here vary by more than that
difference). A crash loses at most this much of a recording."""
STOP_DRAIN_S = 3.0
"""At a stop, what is queued is written for up to this long; the rest is counted as not recorded."""

FileNamer = Callable[[datetime], Path]
MuxerFactory = Callable[[Path], MatroskaMuxer]


@dataclass(frozen=True)
class WriterStatus:
    file: str | None
    files: int
    seconds: float
    """Recorded time: from the first chunk to the last one taken for the file (the pre-roll included)."""
    bytes: int
    frames: int
    frames_not_recorded: int
    error: str | None
    running: bool


class RecordingWriter:
    """Writes one recording (one or more files) on its own thread; ``stop`` finishes it."""

    def __init__(
        self,
        namer: FileNamer,
        split_s: float,
        backlog: list[Chunk],
        muxer_factory: MuxerFactory = MatroskaMuxer,
        max_frames: int = QUEUE_FRAMES,
        max_bytes: int = QUEUE_BYTES,
        name: str = "recording",
    ) -> None:
        self._namer, self.split_s, self._make_muxer = namer, split_s, muxer_factory
        self._max_frames, self._max_bytes = max_frames, max_bytes
        self._backlog = deque(backlog)
        self._queue: deque[Chunk] = deque()
        self._queued_bytes = 0  # of the queue and of the batch being written: the bounds hold for both
        self._writing_frames = self._writing_bytes = 0
        self._ready = threading.Condition(threading.Lock())
        self._stopping = self._abort = False
        self._need_key = False  # a packet was dropped: the rest refers to it until the next key frame
        self.frames_not_recorded = 0
        self.error: str | None = None
        self._muxer: MatroskaMuxer | None = None
        self._path: Path | None = None  # the file being written, or the last one
        self._file_started = 0.0
        self._files = 0
        self._done_bytes = 0  # of the files already closed
        self._frames = 0
        # The time the recording covers: from the pre-roll's first chunk to the last one taken, queued or written
        # (with a second between batches, what was written lags what the tile has already shown as recorded).
        self._first_at: float | None = backlog[0].at if backlog else None
        self._last_at: float | None = backlog[-1].at if backlog else None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    # Any thread ------------------------------------------------------------------------------
    def put(self, chunk: Chunk) -> bool:
        """Queue ``chunk`` or count it as not recorded; never blocks on the disk."""
        with self._ready:
            if self._stopping or self.error is not None:
                return False
            if self._need_key and chunk.packet is not None and not chunk.keyframe:
                self.frames_not_recorded += 1
                return False
            queued = len(self._queue) + self._writing_frames
            if queued >= self._max_frames or self._queued_bytes + chunk.nbytes > self._max_bytes:
                self.frames_not_recorded += 1
                self._need_key = chunk.packet is not None
                return False
            self._need_key = False
            self._queue.append(chunk)
            self._queued_bytes += chunk.nbytes
            self._first_at = chunk.at if self._first_at is None else self._first_at
            self._last_at = chunk.at
            return True  # no wake-up per frame: the thread comes every BATCH_S and writes what queued

    def stop(self, drain_s: float = STOP_DRAIN_S) -> None:
        """Write what is queued (for up to ``drain_s``), close the file, end the thread."""
        with self._ready:
            self._stopping = True
            self._ready.notify()
        self._thread.join(drain_s)
        if self._thread.is_alive():  # a slow disk: what is still queued is not recorded
            with self._ready:
                self._abort = True
            self._thread.join(5.0)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def status(self) -> WriterStatus:
        muxer = self._muxer
        span = (self._last_at - self._first_at) if self._first_at is not None and self._last_at is not None else 0.0
        return WriterStatus(
            file=str(self._path) if self._path is not None else None,
            files=self._files,
            seconds=round(span, 3),
            bytes=self._done_bytes + (muxer.file_size() if muxer is not None else 0),
            frames=self._frames,
            frames_not_recorded=self.frames_not_recorded,
            error=self.error,
            running=self.running,
        )

    # The writer thread -------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            while (batch := self._next_batch()) is not None:
                self._write_batch(batch)
        except (OSError, av.FFmpegError, ValueError) as exc:
            self._fail(exc)
        finally:
            self._close_file()
            with self._ready:
                self.frames_not_recorded += len(self._queue) + len(self._backlog)
                self._queue.clear()
                self._backlog.clear()

    def _next_batch(self) -> list[Chunk] | None:
        """The pre-roll first, then what queued since the last batch; None once stopped and drained."""
        if self._backlog:
            batch = list(self._backlog)
            self._backlog.clear()
            return batch
        with self._ready:
            while not self._queue:
                if self._stopping:
                    return None
                self._ready.wait(BATCH_S)
            if self._abort:
                return None
            batch = list(self._queue)
            self._queue.clear()
            self._writing_frames, self._writing_bytes = len(batch), self._queued_bytes
            return batch

    def _write_batch(self, batch: list[Chunk]) -> None:
        written = 0
        try:
            for chunk in batch:
                if self._abort:  # a stop gave up waiting on the disk: the rest is counted, not written
                    break
                self._write(chunk)
                written += 1
            if self._muxer is not None:
                self._muxer.flush()
        finally:
            with self._ready:
                self.frames_not_recorded += len(batch) - written
                self._queued_bytes -= self._writing_bytes
                self._writing_frames = self._writing_bytes = 0

    def _write(self, chunk: Chunk) -> None:
        muxer = self._muxer
        if muxer is not None and chunk.keyframe:
            split_due = chunk.at - self._file_started >= self.split_s
            if split_due or not muxer.accepts(chunk):
                self._close_file()
                muxer = None
        if muxer is None:
            if not chunk.keyframe:
                return  # a stream switch mid-GOP: the new file starts at its next key frame
            self._path = self._namer(datetime.fromtimestamp(chunk.at))
            muxer = self._muxer = self._make_muxer(self._path)
            self._file_started = chunk.at
            self._files += 1
        elif not muxer.accepts(chunk):
            return  # a packet of another stream before its key frame
        muxer.write(chunk)
        self._frames += 1

    def _close_file(self) -> None:
        muxer, self._muxer = self._muxer, None
        if muxer is None:
            return
        try:
            muxer.close()
        except (OSError, av.FFmpegError) as exc:  # the index did not fit (a full disk): the clusters play
            log.warning("closing %s: %s", muxer.path, exc)
        self._done_bytes += muxer.file_size()

    def _fail(self, exc: BaseException) -> None:
        code = getattr(exc, "errno", None)
        reason = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up"}.get(code or 0)
        if reason is None:
            reason = getattr(exc, "strerror", None) or str(exc)
        where = self._path.parent if self._path is not None else "the recordings folder"
        self.error = f"Recording stopped: {reason} ({where})"
        log.warning("%s", self.error)
