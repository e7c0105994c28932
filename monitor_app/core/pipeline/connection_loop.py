"""The body of a receiver thread: open, read, reconnect with back-off, until stopped."""

from __future__ import annotations

import logging
import threading
import time

from monitor_app.core.pipeline.backoff import Backoff
from monitor_app.core.pipeline.health import CameraState
from monitor_app.core.pipeline.routing import ConnectionFeeds
from monitor_app.core.redact import mask_text
from monitor_app.core.sources.base import FrameSource, PermanentSourceError, SourceError

log = logging.getLogger(__name__)

READ_TIMEOUT_S = 0.1
"""Every wait in a receiver is at most this long, so it sees its stop flag promptly."""


def run_connection(
    source: FrameSource,
    feeds: ConnectionFeeds,
    stop: threading.Event,
    backoff: Backoff | None = None,
) -> None:
    """Run ``source`` until ``stop`` is set. Never raises: failures become states on the tiles."""
    backoff = backoff or Backoff()
    status = feeds.status
    status.set(CameraState.CONNECTING)
    while not stop.is_set():
        # After a failure the tile keeps showing it (and the reason) while the next try runs.
        status.retry_requested.clear()  # a request made before this try is answered by it
        delay = _run_once(source, feeds, stop, backoff)
        if delay is None:
            break
        _wait_before_retry(delay, stop, status.retry_requested)
    status.retry_at = None


def _wait_before_retry(delay: float, stop: threading.Event, retry: threading.Event) -> None:
    """Sleep ``delay`` seconds, or less when stopping or when the user asks to retry now."""
    deadline = time.monotonic() + delay
    while not stop.is_set() and not retry.is_set():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        retry.wait(min(remaining, READ_TIMEOUT_S))


def _run_once(source: FrameSource, feeds: ConnectionFeeds, stop: threading.Event, backoff: Backoff) -> float | None:
    """Open and read until failure; return the delay before the next try (None when stopping)."""
    status = feeds.status
    try:
        source.open()
    except PermanentSourceError as exc:
        return _failed(feeds, backoff, exc, CameraState.ERROR, backoff.maximum_s)
    except SourceError as exc:
        return _failed(feeds, backoff, exc, CameraState.RECONNECTING)
    except Exception as exc:  # an unexpected bug in a source must not end its thread
        log.exception("opening %s failed", source.description)
        return _failed(feeds, backoff, exc, CameraState.RECONNECTING)
    status.set(CameraState.LIVE)
    log.info("connected: %s", source.description)
    opened_at = time.monotonic()
    try:
        while not stop.is_set():
            source.read(feeds, READ_TIMEOUT_S)
            backoff.connected_for(time.monotonic() - opened_at)
        return None
    except PermanentSourceError as exc:
        return _failed(feeds, backoff, exc, CameraState.ERROR, backoff.maximum_s)
    except SourceError as exc:
        return _failed(feeds, backoff, exc, CameraState.RECONNECTING)
    except Exception as exc:
        log.exception("reading %s failed", source.description)
        return _failed(feeds, backoff, exc, CameraState.RECONNECTING)
    finally:
        try:
            source.close()
        except Exception:
            log.exception("closing %s failed", source.description)


def _failed(
    feeds: ConnectionFeeds,
    backoff: Backoff,
    exc: Exception,
    state: CameraState,
    delay: float | None = None,
) -> float:
    delay = backoff.next_delay() if delay is None else delay
    reason = mask_text(str(exc)) or type(exc).__name__
    feeds.status.set(state, reason, retry_at=time.monotonic() + delay)
    log.warning("%s: %s (%s; next try in %.1f s)", feeds.connection_id, reason, state.value, delay)
    return delay
