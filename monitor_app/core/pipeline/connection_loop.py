"""The body of a receiver thread: open, read, reconnect with back-off, until stopped."""

from __future__ import annotations

import logging
import threading
import time
from typing import NamedTuple, Protocol

from monitor_app.core.pipeline.backoff import Backoff
from monitor_app.core.pipeline.health import CameraState, ConnectionStatus
from monitor_app.core.redact import mask_text
from monitor_app.core.sources.base import FrameSink, FrameSource, PermanentSourceError, SourceError

log = logging.getLogger(__name__)

READ_TIMEOUT_S = 0.1
"""Every wait in a receiver is at most this long, so it sees its stop flag promptly."""
PROBE_EVERY_S = 0.5
"""While waiting to retry, ask the source this often whether its server is back (``FrameSource.reachable``)."""


class ConnectionSink(FrameSink, Protocol):
    """Where a connection delivers, and whose status shows its state: the window's ``ConnectionFeeds``
    (``core/pipeline/routing.py``), or the relay's ``RelaySink`` (``monitor_app/relay/sink.py``)."""

    connection_id: str
    status: ConnectionStatus


class _Retry(NamedTuple):
    delay: float
    probe: bool  # may a server that is back cut the wait short (not for what retrying cannot fix)


def run_connection(
    source: FrameSource,
    feeds: ConnectionSink,
    stop: threading.Event,
    backoff: Backoff | None = None,
) -> None:
    """Run ``source`` until ``stop`` is set. Never raises: failures become states on the tiles."""
    backoff = backoff or Backoff()
    status = feeds.status
    status.set(CameraState.CONNECTING)
    watch = _ServerWatch(source)
    while not stop.is_set():
        # After a failure the tile keeps showing it (and the reason) while the next try runs.
        status.retry_requested.clear()  # a request made before this try is answered by it
        retry = _run_once(source, feeds, stop, backoff, watch)
        if retry is None:
            break
        _wait_before_retry(retry.delay, stop, status.retry_requested, watch if retry.probe else None)
    status.retry_at = None


class _ServerWatch:
    """Asks a closed source whether its server is back; only a change from down to up counts.

    A server that accepts connections while its stream keeps failing (an NVR whose camera is
    off, a server answering errors, a frozen process whose port still accepts) must not cut
    every back-off short: the probe has to have seen it down first.
    """

    def __init__(self, source: FrameSource) -> None:
        self._source = source
        self._seen_down = False

    def came_back(self) -> bool:
        try:
            answer = self._source.reachable(READ_TIMEOUT_S)
        except Exception:  # an optional check must never end the thread
            log.exception("checking %s failed", self._source.description)
            return False
        if answer is False:
            self._seen_down = True
        elif answer and self._seen_down:
            self._seen_down = False
            log.info("%s answers again: retrying now", self._source.description)
            return True
        return False

    def reset(self) -> None:
        """The connection delivered: what the probe saw before says nothing about the next drop."""
        self._seen_down = False


def _wait_before_retry(
    delay: float, stop: threading.Event, retry: threading.Event, watch: _ServerWatch | None = None
) -> None:
    """Sleep ``delay`` seconds, or less when stopping, when the user asks to retry now or the server is back."""
    now = time.monotonic()
    deadline, probe_at = now + delay, now
    while not stop.is_set() and not retry.is_set():
        now = time.monotonic()
        if now >= deadline:
            break
        if watch is not None and now >= probe_at:
            probe_at = now + PROBE_EVERY_S
            if watch.came_back():
                break
            continue  # the check took up to READ_TIMEOUT_S: look at the flags again first
        until = deadline if watch is None else min(deadline, probe_at)
        retry.wait(min(until - now, READ_TIMEOUT_S))


def _run_once(
    source: FrameSource, feeds: ConnectionSink, stop: threading.Event, backoff: Backoff, watch: _ServerWatch
) -> _Retry | None:
    """Open and read until failure; return how to wait before the next try (None when stopping)."""
    status = feeds.status
    try:
        source.open()
    except Exception as exc:  # SourceError, or an unexpected bug in a source: neither may end its thread
        if not isinstance(exc, SourceError):
            log.exception("opening %s failed", source.description)
        return _failed(feeds, backoff, exc)
    status.set(CameraState.LIVE)
    log.info("connected: %s", source.description)
    delivered = _delivered(status)
    try:
        while not stop.is_set():
            source.read(feeds, READ_TIMEOUT_S)
        return None
    except Exception as exc:
        if not isinstance(exc, SourceError):
            log.exception("reading %s failed", source.description)
        if _delivered(status) > delivered:  # it was streaming: a drop, not a failed try
            backoff.succeeded()
            watch.reset()
        return _failed(feeds, backoff, exc)
    finally:
        try:
            source.close()
        except Exception:
            log.exception("closing %s failed", source.description)


def _delivered(status: ConnectionStatus) -> int:
    """Frames and heartbeats the connection has delivered so far (malformed messages do not count)."""
    return status.messages - status.bad_messages


def _failed(feeds: ConnectionSink, backoff: Backoff, exc: Exception) -> _Retry:
    """Show the failure on the tiles; what retrying cannot fix waits long (or for Reconnect Now)."""
    if isinstance(exc, PermanentSourceError):
        state, delay = CameraState.ERROR, backoff.permanent_s
    else:
        hint = exc.retry_within_s if isinstance(exc, SourceError) else None
        state, delay = CameraState.RECONNECTING, backoff.next_delay(hint)
    reason = mask_text(str(exc)) or type(exc).__name__
    feeds.status.set(state, reason, retry_at=time.monotonic() + delay)
    log.warning("%s: %s (%s; next try in %.1f s)", feeds.connection_id, reason, state.value, delay)
    return _Retry(delay, probe=state is CameraState.RECONNECTING)
