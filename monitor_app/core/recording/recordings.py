"""Every camera's recorder, wired to its feed or its source's packets, started and stopped by key.

The pipeline calls ``attach`` when a camera gets a feed and ``detach`` when the feed goes; a recorder
outlives its feed while the camera stays in the layout (a restarted connection), so a recording goes
on across a reconnect. With ``record_new`` every camera records from the moment it is attached
(``--record DIR``). With a pre-roll, every camera is tapped all the time; without one, only while it
records (a camera nobody records then pays nothing).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from monitor_app.core.recording.recorder import CameraRecorder, RecorderReport, RecordingSettings
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.packets import PacketSource, add_packet_listener, remove_packet_listener


class FrameTap(Protocol):
    def offer(self, frame: EncodedFrame) -> None: ...


class TapHost(Protocol):
    """A camera's feed (``core.pipeline.routing.CameraFeed``): where frame taps are added."""

    def add_tap(self, tap: FrameTap) -> None: ...

    def remove_tap(self, tap: FrameTap) -> None: ...


@dataclass
class _Wiring:
    feed: TapHost
    source: PacketSource | None  # set for a camera whose packets are recorded instead of its frames
    attached: bool = False


class Recordings:
    """The recorders of one window's cameras, by camera id."""

    def __init__(self, settings: RecordingSettings) -> None:
        self.settings = settings
        self.record_new: Path | None = None
        """Where every camera records from the moment it is attached (``--record DIR``)."""
        self._recorders: dict[str, CameraRecorder] = {}
        self._wiring: dict[str, _Wiring] = {}
        self._lock = threading.Lock()

    def apply(self, settings: RecordingSettings) -> None:
        """New preferences: recordings started from now on use them; every pre-roll takes its bounds at once."""
        with self._lock:
            self.settings = settings
            for recorder in self._recorders.values():
                recorder.settings = settings
                recorder.preroll.seconds, recorder.preroll.max_bytes = settings.preroll_s, settings.preroll_bytes

    def attach(self, key: str, title: str, feed: TapHost, source: object | None) -> None:
        """Camera ``key`` has a feed (and, for a URL camera read by PyAV, a source giving packets)."""
        packets = source if getattr(source, "gives_packets", False) else None
        with self._lock:
            recorder = self._recorders.get(key)
            if recorder is None or recorder.packets != (packets is not None):
                if recorder is not None:
                    recorder.stop()
                recorder = self._recorders[key] = CameraRecorder(title, self.settings, packets is not None)
            self.detach(key, locked=True)
            self._wiring[key] = _Wiring(feed, packets)  # type: ignore[arg-type]
            if self.record_new is not None and not recorder.recording:
                recorder.start(self.record_new)
            self._wire(key)

    def detach(self, key: str, locked: bool = False) -> None:
        """The camera's feed goes (its tile did, or its connection restarts)."""
        if not locked:
            with self._lock:
                return self.detach(key, locked=True)
        wiring = self._wiring.pop(key, None)
        recorder = self._recorders.get(key)
        if wiring is not None and recorder is not None and wiring.attached:
            _unhook(wiring, recorder)

    def prune(self, keys: Iterable[str]) -> None:
        """Stop and forget the recorders of cameras no longer in ``keys`` (the layout's)."""
        keep = set(keys)
        with self._lock:
            gone = [key for key in self._recorders if key not in keep]
            for key in gone:
                self.detach(key, locked=True)
        for key in gone:
            self._recorders.pop(key).stop()

    # Start, stop, read --------------------------------------------------------------------------
    def start(self, key: str, folder: Path | None = None) -> bool:
        recorder = self._recorders.get(key)
        if recorder is None:
            return False
        recorder.start(folder)
        with self._lock:
            self._wire(key)
        return True

    def stop(self, key: str) -> None:
        recorder = self._recorders.get(key)
        if recorder is not None:
            recorder.stop()
            with self._lock:
                self._wire(key)

    def recording(self, key: str) -> bool:
        recorder = self._recorders.get(key)
        return recorder is not None and recorder.recording

    def report(self, key: str) -> RecorderReport | None:
        recorder = self._recorders.get(key)
        return recorder.report() if recorder is not None else None

    def cameras(self) -> list[str]:
        return list(self._recorders)

    def close(self) -> None:
        """At shutdown (after the receivers stopped): finish every file."""
        self.record_new = None
        with self._lock:
            for key in list(self._wiring):
                self.detach(key, locked=True)
        for recorder in list(self._recorders.values()):
            recorder.stop()

    # Internals ---------------------------------------------------------------------------------
    def _wire(self, key: str) -> None:
        """Tap the camera while it records or keeps a pre-roll; not otherwise (with the lock held)."""
        wiring, recorder = self._wiring.get(key), self._recorders.get(key)
        if wiring is None or recorder is None:
            return
        wanted = recorder.recording or self.settings.preroll_s > 0
        if wanted and not wiring.attached:
            if wiring.source is not None:
                add_packet_listener(wiring.source, recorder.on_packet)
            else:
                wiring.feed.add_tap(recorder)
        elif not wanted and wiring.attached:
            _unhook(wiring, recorder)
        wiring.attached = wanted


def _unhook(wiring: _Wiring, recorder: CameraRecorder) -> None:
    if wiring.source is not None:
        remove_packet_listener(wiring.source, recorder.on_packet)
    else:
        wiring.feed.remove_tap(recorder)
    wiring.attached = False
