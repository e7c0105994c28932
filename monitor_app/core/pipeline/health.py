"""Health of connections and cameras: states, counters, frame rate and latency.

Counters are written by receiver and decode threads and read by the GUI, so every
update holds a small lock. ``CameraHealth.snapshot`` reads the camera's counters under the
camera's lock and the connection's state, error, retry time, reconnects and live-since under
the connection's, so each group is consistent in itself (never a new state with an old
error); the two groups are read one after the other, not at one instant.

A camera may also have a state of its own, set by its source: the publisher it comes from
disconnected while the connection as a whole runs on (one endpoint of a subscriber). It lasts
until the camera's next frame or heartbeat; a connection that failed as a whole overrides it.
"""

from __future__ import annotations

import enum
import threading
import time
from collections import deque
from dataclasses import dataclass

STALL_AFTER_S = 3.0
"""A camera with no frame (nor heartbeat) for this long is shown as stalled."""

LATENCY_REFRESH_S = 1.0
"""Latency percentiles are recomputed at most this often."""

FPS_FRESH_S = 1.0
"""A tile shown again measures its frame rate for this long (two frames at least) before the new figure
replaces the one it had when it was hidden."""
FPS_HOLD_S = 3.0
"""After this long shown, the measured rate stands whatever it is (a camera that really stopped shows 0)."""


class CameraState(str, enum.Enum):
    """What a tile shows about its camera; the value is the ``state`` in ``--stats-json``."""

    CONNECTING = "connecting"
    LIVE = "live"
    STALLED = "stalled"
    RECONNECTING = "reconnecting"
    ERROR = "error"


class ConnectionStatus:
    """What the receiver thread knows about its connection as a whole."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.state = CameraState.CONNECTING
        self.error = ""
        self.retry_at: float | None = None  # time.monotonic() of the next reconnect try
        self.reconnects = 0
        self.bad_messages = 0
        self.messages = 0
        self.last_bad_reason = ""  # why the newest malformed message was refused
        self.live_since: float | None = None  # monotonic time the connection last (re)opened
        self.retry_requested = threading.Event()  # the user asked to skip the wait before the next try

    def set(self, state: CameraState, error: str = "", retry_at: float | None = None) -> None:
        with self._lock:
            if state is CameraState.RECONNECTING and self.state is not CameraState.RECONNECTING:
                self.reconnects += 1
            if state is CameraState.LIVE and self.state is not CameraState.LIVE:
                self.live_since = time.monotonic()
            self.state, self.error, self.retry_at = state, error, retry_at

    def retry_now(self) -> None:
        """Cut the back-off short: the receiver tries again within a read timeout."""
        self.retry_requested.set()

    def count_message(self, bad: bool = False, reason: str = "") -> None:
        with self._lock:
            self.messages += 1
            if bad:
                self.bad_messages += 1
                self.last_bad_reason = reason or self.last_bad_reason

    def count_bad_frame(self, reason: str) -> None:
        """A message already counted turned out bad (its frame would not decode)."""
        with self._lock:
            self.bad_messages += 1
            self.last_bad_reason = reason or self.last_bad_reason

    def snapshot(self) -> ConnectionSnapshot:
        with self._lock:
            return ConnectionSnapshot(self.state, self.error, self.bad_messages, self.last_bad_reason)


@dataclass(frozen=True, slots=True)
class ConnectionSnapshot:
    """A connection's own state at one moment, for the wall when no tile shows it."""

    state: CameraState
    error: str
    bad_messages: int
    last_bad_reason: str


@dataclass(frozen=True, slots=True)
class HealthSnapshot:
    """A camera's health at one moment, for its tile and ``--stats-json``."""

    state: CameraState
    error: str
    frames_received: int
    frames_decoded: int
    frames_displayed: int
    frames_dropped: int
    bad_messages: int
    reconnects: int
    fps: float
    """Frames displayed per second; while the tile is hidden, and just after, the rate it last had."""
    last_frame_age_s: float | None
    latency_ms_p50: float | None
    latency_ms_p99: float | None
    retry_in_s: float | None
    event: str | None = None
    """The camera's latest event (imagenode ``name|motion|moving`` -> ``"motion: moving"``)."""


class CameraHealth:
    """Counters and timing of one camera; the state combines them with its connection's."""

    def __init__(self, connection: ConnectionStatus, stall_after_s: float = STALL_AFTER_S) -> None:
        self.connection = connection
        self.stall_after_s = stall_after_s
        self._lock = threading.Lock()
        self.frames_received = 0
        self.frames_decoded = 0
        self.frames_displayed = 0
        self.frames_dropped = 0
        self.bad_messages = 0
        self._last_seen: float | None = None  # monotonic time of the last frame or heartbeat
        self._display_times: deque[float] = deque(maxlen=240)
        self._last_displayed: object = None  # the frame counted last: a second window painting it is not another
        self._latencies_ms: deque[float] = deque(maxlen=600)
        self._latency: tuple[float | None, float | None] = (None, None)  # p50, p99 at _latency_at
        self._latency_at = -LATENCY_REFRESH_S
        self._own_state: tuple[CameraState, str] | None = None  # set by the source, cleared by a frame
        self._event: str | None = None  # the latest event's text
        # The displayed rate when the tile was hidden; reported while hidden and until a fresh one exists
        # (a hidden tile decodes nothing, so its rate would read 0 for seconds after it is shown again).
        self._held_fps: float | None = None
        self._shown_at: float | None = None  # None while hidden

    def frame_received(self) -> None:
        with self._lock:
            self.frames_received += 1
            self._last_seen = time.monotonic()
            self._own_state = None

    def heartbeat(self) -> None:
        with self._lock:
            self._last_seen = time.monotonic()
            self._own_state = None

    def event(self, text: str) -> None:
        """An event (not a frame): its text is shown until the next one."""
        with self._lock:
            self._event = text

    def set_own_state(self, state: CameraState, reason: str) -> None:
        """A state of this camera alone (its publisher dropped), shown until its next frame or heartbeat."""
        with self._lock:
            self._own_state = (state, reason)

    def frame_decoded(self) -> None:
        with self._lock:
            self.frames_decoded += 1

    def frames_dropped_add(self, count: int = 1) -> None:
        with self._lock:
            self.frames_dropped += count

    def bad_message(self) -> None:
        with self._lock:
            self.bad_messages += 1

    def frame_displayed(self, sent_at: float | None, frame: object = None) -> None:
        """Record a frame reaching the screen; ``sent_at`` is the sender's wall-clock stamp. ``frame``: the
        decoded frame itself, so one shown in two windows is counted once."""
        now = time.monotonic()
        with self._lock:
            if frame is not None:
                if frame is self._last_displayed:
                    return
                self._last_displayed = frame
            self.frames_displayed += 1
            self._display_times.append(now)
            if sent_at is not None:
                self._latencies_ms.append(max(0.0, (time.time() - sent_at) * 1000.0))

    def display_hidden(self) -> None:
        """The camera's tile is no longer seen: its last displayed rate stands until it is measured again."""
        now = time.monotonic()
        with self._lock:
            if self._held_fps is None or self._shown_at is not None:
                self._held_fps = self._fps(now)
            self._shown_at = None
            self._display_times.clear()  # the rate after the tile returns counts only frames shown since

    def display_shown(self) -> None:
        """The camera's tile is seen again: fresh frames replace the held rate (see ``FPS_FRESH_S``)."""
        with self._lock:
            if self._shown_at is None:
                self._shown_at = time.monotonic()

    def _fps(self, now: float) -> float:
        """Frames displayed per second, or the held rate while hidden and just after (holds the lock)."""
        rate = _rate(self._display_times, now)
        if self._held_fps is None:
            return rate
        if self._shown_at is None:
            return self._held_fps
        shown_for = now - self._shown_at
        if (shown_for >= FPS_FRESH_S and len(self._display_times) >= 2) or shown_for >= FPS_HOLD_S:
            self._held_fps = None
            return rate
        return self._held_fps

    def snapshot(self) -> HealthSnapshot:
        now = time.monotonic()
        with self._lock:
            age = None if self._last_seen is None else now - self._last_seen
            fps = self._fps(now)
            # Sorting 600 values 4x a second per tile adds up; the first stamped frame shows at once.
            if now - self._latency_at >= LATENCY_REFRESH_S or (self._latency[0] is None and self._latencies_ms):
                lat = sorted(self._latencies_ms)
                self._latency = (_percentile(lat, 0.50), _percentile(lat, 0.99))
                self._latency_at = now
            latency = self._latency
            own_state, event = self._own_state, self._event
            counters = (
                self.frames_received,
                self.frames_decoded,
                self.frames_displayed,
                self.frames_dropped,
                self.bad_messages,
            )
        conn = self.connection
        with conn._lock:  # the fields ConnectionStatus.set changes together, read together
            conn_state, conn_error, retry_at = conn.state, conn.error, conn.retry_at
            reconnects, live_since = conn.reconnects, conn.live_since
        state = self._state(conn_state, age, live_since)
        retry_in = None if retry_at is None else max(0.0, retry_at - now)
        error = conn_error if state in (CameraState.ERROR, CameraState.RECONNECTING) else ""
        if own_state is not None and conn_state not in (CameraState.ERROR, CameraState.RECONNECTING):
            (state, error), retry_in = own_state, None  # ZeroMQ retries by itself: no countdown to show
        return HealthSnapshot(
            state=state,
            error=error,
            frames_received=counters[0],
            frames_decoded=counters[1],
            frames_displayed=counters[2],
            frames_dropped=counters[3],
            bad_messages=counters[4],
            reconnects=reconnects,
            fps=fps,
            last_frame_age_s=age,
            latency_ms_p50=latency[0],
            latency_ms_p99=latency[1],
            retry_in_s=retry_in if state in (CameraState.RECONNECTING, CameraState.ERROR) else None,
            event=event,
        )

    def _state(self, connection_state: CameraState, age: float | None, live_since: float | None) -> CameraState:
        if connection_state in (CameraState.ERROR, CameraState.RECONNECTING):
            return connection_state
        if age is None:
            return CameraState.CONNECTING
        now = time.monotonic()
        if age > self.stall_after_s:
            return CameraState.STALLED  # no picture for too long, whatever the connection is doing
        if live_since is not None and now - age < live_since:
            # Reopened and no frame on the new connection yet: connecting, until that takes too long.
            return CameraState.CONNECTING if now - live_since <= self.stall_after_s else CameraState.STALLED
        return CameraState.LIVE


def _rate(times: deque[float], now: float, window_s: float = 2.0) -> float:
    count, oldest = 0, now
    for t in reversed(times):  # newest first: stop at the window's edge instead of scanning all
        if now - t > window_s:
            break
        count, oldest = count + 1, t
    if count < 2:
        return 0.0
    span = max(now - oldest, 1e-6)
    return (count - 1) / span if span < window_s else count / window_s


def _percentile(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, round(q * (len(sorted_values) - 1)))
    return round(sorted_values[index], 2)
