"""The contract between a frame source (a socket, a camera, a test pattern) and the rest.

A receiver thread owns one ``FrameSource`` and runs it through ``run_connection``
(``core/pipeline/connection_loop.py``): ``open`` once, ``read`` until it fails or the app stops,
``close``, back off, repeat. Every call returns within a bounded time so the thread sees
its stop flag promptly. Sources push what they read into a ``FrameSink``; they never
touch Qt.
"""

from __future__ import annotations

import abc
from concurrent.futures import Future
from typing import Protocol

from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.region import Region

SINGLE_CAMERA = ""
"""The camera name of a single-stream source (a URL): what it delivers under and asks the sink
about. The sink files such a connection's one tile under this name too (``ANY_CAMERA`` in
``core/pipeline/routing.py``), where it takes the frames of any name."""


class SourceError(Exception):
    """A failure that retrying may fix (host down, stream ended, timeout)."""

    retry_within_s: float | None = None
    """A hint for the back-off (``Backoff.next_delay``): the next try comes at most this long after
    this failure, however many failed before. None: the normal growing delay."""


class PermanentSourceError(SourceError):
    """A failure retrying cannot fix (malformed URL, authentication refused, file missing)."""


class StreamNotReadyError(SourceError):
    """The server answers but has no stream at this address yet (a restreamer whose publisher has not
    started, a 404): the tile waits and tries every few seconds, so the stream shows soon after it starts."""

    retry_within_s = 5.0


class FrameSink(Protocol):
    """Where a source delivers; implemented by ``ConnectionFeeds`` (``core/pipeline/routing.py``)."""

    def deliver(self, frame: EncodedFrame) -> None:
        """A frame for camera ``frame.camera``; older undecoded frames of it are superseded."""

    def heartbeat(self, camera: str) -> None:
        """The camera is alive but sent no frame (imagenode ``name|Heartbeat``); a node's heartbeat
        (``garage``) keeps each of its cameras (``garage driveway``, ...) alive too."""

    def event(self, camera: str, text: str) -> None:
        """News about a camera (imagenode ``name|motion|moving`` -> ``"motion: moving"``), not a frame:
        its tile shows the latest; an event alone never makes a tile."""

    def bad_message(self, reason: str, camera: str | None = None) -> None:
        """A malformed or hostile message was dropped; counted, never fatal."""

    def camera_link_lost(self, camera: str, reason: str) -> None:
        """The peer ``camera`` came from went away (a publisher disconnected); the camera shows
        ``reason`` until it sends again. Sources that cannot tell never call it."""

    def wants_frames(self, camera: str) -> bool:
        """False when nobody shows this camera (tile hidden); a source may skip decoding it."""

    def target_size(self, camera: str) -> tuple[int, int] | None:
        """The (width, height) in device pixels the camera's tile paints at, or None if not shown.

        URL sources use it to pick a sub-stream for small tiles and to scale decoded frames early.
        """

    def target_region(self, camera: str) -> Region:
        """The part of the picture the camera's tile shows (``FULL`` unless zoomed); URL sources crop to it
        as they scale, at the tile's size, so a zoomed tile is sharp."""


class FrameSource(abc.ABC):
    """One connection: a bound or connected socket, a capture device, a generator."""

    #: Shown in the UI, logs and stats; must never contain a password.
    description: str = ""

    @abc.abstractmethod
    def open(self) -> None:
        """Connect or bind, in bounded time; raise ``SourceError`` or ``PermanentSourceError``."""

    @abc.abstractmethod
    def read(self, sink: FrameSink, timeout_s: float) -> None:
        """Wait at most ``timeout_s`` for input, deliver everything available without blocking.

        Raise ``SourceError`` when the connection is lost and must be reopened.
        """

    @abc.abstractmethod
    def close(self) -> None:
        """Release everything; called in the thread that called ``open``."""

    def reachable(self, timeout_s: float) -> bool | None:
        """A cheap check, while closed, that the server is there again (a TCP connect); optional.

        True: it answers, worth opening now; False: it does not; None: cannot tell (the
        default: files, devices, bound sockets), or no answer yet within ``timeout_s`` (ask
        again later). Never blocks much longer than ``timeout_s``.
        """
        return None

    def request_full_frame(self, camera: str) -> Future[EncodedFrame] | None:
        """From any thread: ``camera``'s next frame at its stream's full size, for a source that delivers
        frames scaled down (URL cameras, ``core/sources/full_frame.py``); optional.

        None (the default) when the frames delivered are as they arrived, or nothing is open; never blocks.
        """
        return None

    def endpoint_stats(self) -> list[dict[str, object]]:
        """Per-endpoint counters for ``--stats-json`` (``connections`` list); optional."""
        return []
