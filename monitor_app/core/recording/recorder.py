"""One camera's recorder: its pre-roll always, and a writer while it records.

It reads the camera one of two ways, never both: as a ``FrameTap`` (``offer``: JPEG or raw frames as
received) or, for a URL camera read by PyAV, as a packet listener (``on_packet``: the H.264/H.265/MJPEG
packets before decoding; the decoded frames such a camera offers are tile-sized, not worth keeping).
Both run on the camera's own thread and only append references.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from monitor_app.core.recording.chunks import Chunk, frame_chunk, packet_chunk
from monitor_app.core.recording.preroll import DEFAULT_PREROLL_BYTES, DEFAULT_PREROLL_S, PreRoll
from monitor_app.core.recording.writer import RecordingWriter, WriterStatus
from monitor_app.core.recording_preferences import RecordingPreferences
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.packets import CompressedPacket

DEFAULT_SPLIT_MINUTES = 15.0
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
"""Characters no file name may hold on one platform or another (Windows' list covers the others)."""


@dataclass
class RecordingSettings:
    folder: Path
    preroll_s: float = DEFAULT_PREROLL_S
    preroll_bytes: int = DEFAULT_PREROLL_BYTES
    split_s: float = DEFAULT_SPLIT_MINUTES * 60

    @classmethod
    def from_preferences(cls, chosen: RecordingPreferences) -> RecordingSettings:
        """What Edit ▸ Preferences chose (``core/recording_preferences.py``)."""
        return cls(chosen.folder, chosen.preroll_seconds, chosen.preroll_bytes, chosen.split_minutes * 60)


@dataclass(frozen=True)
class RecorderReport:
    """What the tile and ``--stats-json`` say: the recording now (or None) and the last failure."""

    recording: WriterStatus | None
    elapsed_s: float | None
    frames_not_recorded: int
    """Over every recording of this camera in this run."""
    error: str | None
    preroll_bytes: int = 0


def stats_entry(report: RecorderReport | None) -> dict[str, Any]:
    """A tile's recording figures in ``--stats-json``."""
    if report is None:
        return {}
    status = report.recording
    recording = None
    if status is not None:
        recording = {
            "file": status.file,
            "files": status.files,
            "seconds": status.seconds,
            "bytes": status.bytes,
            "frames": status.frames,
            "elapsed_s": None if report.elapsed_s is None else round(report.elapsed_s, 3),
        }
    return {
        "frames_not_recorded": report.frames_not_recorded,
        "recording": recording,
        "recording_error": report.error,
        "preroll_bytes": report.preroll_bytes,
    }


def recording_name(camera: str, when: datetime) -> str:
    """``Front door_20261201-154500.mkv``: the camera's title made safe for every file system."""
    safe = _UNSAFE.sub("_", camera).strip(" .")[:100] or "camera"
    return f"{safe}_{when:%Y%m%d-%H%M%S}.mkv"


@dataclass
class _Run:
    writer: RecordingWriter
    started: float = field(default_factory=time.monotonic)


class CameraRecorder:
    """Pre-roll and recording of one camera; ``start``/``stop`` from any thread (the GUI's)."""

    def __init__(self, title: str, settings: RecordingSettings, packets: bool = False) -> None:
        self.title = title
        self.settings = settings
        self.packets = packets
        self.preroll = PreRoll(settings.preroll_s, settings.preroll_bytes)
        self._lock = threading.Lock()
        self._run: _Run | None = None
        self._ended: list[RecordingWriter] = []  # this run's finished recordings, for their counts
        self.error: str | None = None

    # The camera's thread -------------------------------------------------------------------
    def offer(self, frame: EncodedFrame) -> None:
        """FrameTap: a frame as it arrived."""
        self._take(frame_chunk(frame))

    def on_packet(self, packet: CompressedPacket) -> None:
        self._take(packet_chunk(packet))

    def _take(self, chunk: Chunk) -> None:
        with self._lock:  # so a start sees each chunk once: in the pre-roll it copies, or in its queue
            self.preroll.add(chunk)
            run = self._run
        if run is not None and not run.writer.put(chunk) and run.writer.error is not None:
            self._finish_failed(run)

    # Any thread --------------------------------------------------------------------------------
    @property
    def recording(self) -> bool:
        run = self._run
        return run is not None and run.writer.error is None

    def start(self, folder: Path | None = None) -> None:
        """Start recording into ``folder`` (the settings' by default), the pre-roll first."""
        folder = folder or self.settings.folder
        with self._lock:
            if self._run is not None and self._run.writer.error is None:
                return
            backlog = self.preroll.snapshot()
            namer = partial(_free_path, folder, self.title)
            writer = RecordingWriter(namer, self.settings.split_s, backlog, name=f"record-{self.title}"[:15])
            old, self._run = self._run, _Run(writer)
            self.error = None
        if old is not None:
            self._retire(old)

    def stop(self) -> None:
        with self._lock:
            run, self._run = self._run, None
        if run is not None:
            self._retire(run)

    def report(self) -> RecorderReport:
        run = self._run
        status = run.writer.status() if run is not None else None
        if status is not None and status.error is not None:
            self._finish_failed(run)  # type: ignore[arg-type]
            status = None
        not_recorded = sum(w.frames_not_recorded for w in self._ended) + (status.frames_not_recorded if status else 0)
        elapsed = time.monotonic() - run.started if run is not None and status is not None else None
        return RecorderReport(status, elapsed, not_recorded, self.error, self.preroll.nbytes)

    # Internals ---------------------------------------------------------------------------------
    def _finish_failed(self, run: _Run) -> None:
        """The disk refused a write: this recording is over; the tile says why until the next start."""
        with self._lock:
            if self._run is not run:
                return
            self._run = None
            self.error = run.writer.error
            self._ended.append(run.writer)

    def _retire(self, run: _Run) -> None:
        run.writer.stop()
        with self._lock:
            self._ended.append(run.writer)
            if run.writer.error is not None:
                self.error = run.writer.error


def _free_path(folder: Path, title: str, when: datetime) -> Path:
    """A file name not taken yet: a split in the same second gets ``-2``, ``-3`` ..."""
    name = recording_name(title, when)
    path = folder / name
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{name[: -len('.mkv')]}-{n}.mkv"
    return path
