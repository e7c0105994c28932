"""Where the relay's inputs deliver: the newest frame per camera, waiting for the publisher.

The relay decodes nothing. A frame waits in its camera's one-slot mailbox until the publisher
thread takes it; a newer frame of the same camera replaces it (counted as superseded), so a slow
publish side never queues frames, and memory is one frame per camera. Heartbeats and events go
out too (imagenode's ``name|Heartbeat`` and ``name|motion|moving``), through a short bounded queue.
"""

from __future__ import annotations

import collections
import dataclasses
import threading
from dataclasses import dataclass, field

from monitor_app.core.pipeline.health import ConnectionStatus
from monitor_app.core.pipeline.mailbox import LatestSlot
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.region import FULL, Region

MAX_CAMERAS = 1024
"""Names one relay forwards at most: a sender cycling through random names must not grow it without end."""

MAX_NOTES = 256
"""Heartbeats and events waiting for the publisher; older ones go first when it falls behind."""


@dataclass(slots=True)
class CameraCounts:
    """One camera's traffic through the relay, for ``--stats-json``."""

    connection: str
    received: int = 0
    superseded: int = 0  # replaced by a newer frame before the publisher took it
    forwarded: int = 0
    bytes_forwarded: int = 0
    last_received: float = 0.0  # time.time() of the newest frame


@dataclass(frozen=True, slots=True)
class Note:
    """A heartbeat (``text`` None) or an event, to be sent on as imagenode sends it."""

    camera: str
    text: str | None = None


@dataclass
class Ready:
    """What the publisher has to send: cameras whose slot filled, and the notes."""

    cameras: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


class RelayHub:
    """Every camera's newest frame, from every input; the publisher waits on it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._slots: dict[str, LatestSlot[EncodedFrame]] = {}
        self.counts: dict[str, CameraCounts] = {}
        self._ready: list[str] = []
        self._notes: collections.deque[Note] = collections.deque(maxlen=MAX_NOTES)
        self.refused_names = 0

    def sink(self, connection_id: str) -> RelaySink:
        return RelaySink(connection_id, ConnectionStatus(), self)

    def put(self, connection_id: str, frame: EncodedFrame) -> None:
        with self._lock:
            slot = self._slots.get(frame.camera)
            if slot is None:
                if len(self._slots) >= MAX_CAMERAS:
                    self.refused_names += 1
                    return
                slot = self._slots[frame.camera] = LatestSlot()
                self.counts[frame.camera] = CameraCounts(connection_id)
            counts = self.counts[frame.camera]
            counts.received += 1
            counts.last_received = frame.received_at
            if slot.put(frame):
                self._ready.append(frame.camera)
                self._wake.notify()
            else:
                counts.superseded += 1

    def note(self, note: Note) -> None:
        with self._lock:
            self._notes.append(note)
            self._wake.notify()

    def wait(self, timeout_s: float) -> Ready:
        """What became ready, waiting at most ``timeout_s`` for something to."""
        with self._lock:
            if not self._ready and not self._notes:
                self._wake.wait(timeout_s)
            ready = Ready(self._ready, list(self._notes))
            self._ready = []
            self._notes.clear()
            return ready

    def take(self, camera: str) -> EncodedFrame | None:
        with self._lock:
            slot = self._slots.get(camera)
        return slot.take() if slot is not None else None

    def snapshot(self) -> list[tuple[str, CameraCounts]]:
        """Every camera's counts, copied under the lock (inputs add cameras while stats are read)."""
        with self._lock:
            return [(name, dataclasses.replace(counts)) for name, counts in sorted(self.counts.items())]

    def forwarded(self, camera: str, size: int) -> None:
        with self._lock:
            counts = self.counts[camera]
            counts.forwarded += 1
            counts.bytes_forwarded += size


class RelaySink:
    """One input connection's ``ConnectionSink``: every camera it carries is forwarded."""

    def __init__(self, connection_id: str, status: ConnectionStatus, hub: RelayHub) -> None:
        self.connection_id = connection_id
        self.status = status
        self._hub = hub

    def deliver(self, frame: EncodedFrame) -> None:
        self.status.count_message()
        self._hub.put(self.connection_id, frame)

    def heartbeat(self, camera: str) -> None:
        self.status.count_message()
        self._hub.note(Note(camera))

    def event(self, camera: str, text: str) -> None:
        self.status.count_message()
        self._hub.note(Note(camera, text))

    def bad_message(self, reason: str, camera: str | None = None) -> None:
        self.status.count_message(bad=True, reason=reason)  # dropped here: never forwarded

    def camera_link_lost(self, camera: str, reason: str) -> None:
        pass  # a monitor sees the camera go quiet and says so itself

    def wants_frames(self, camera: str) -> bool:
        return True

    def target_size(self, camera: str) -> tuple[int, int] | None:
        return None  # full size: the relay shows nothing, its monitors choose their own sizes

    def target_region(self, camera: str) -> Region:
        return FULL  # the whole picture: the relay forwards frames, it shows none
