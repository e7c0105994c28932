"""Builds the ``FrameSource`` for a layout connection, by its kind."""

from __future__ import annotations

from collections.abc import Callable

from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec
from monitor_app.core.sources.base import FrameSource
from monitor_app.core.sources.pattern import TestPatternSource

SourceFactory = Callable[[ConnectionSpec, list[CameraSpec]], FrameSource]


def _pattern(conn: ConnectionSpec, cameras: list[CameraSpec]) -> FrameSource:
    title = cameras[0].label if cameras else conn.id
    return TestPatternSource(
        name=title,
        width=conn.option("width", 640),
        height=conn.option("height", 360),
        fps=conn.option("fps", 30.0),
        jpeg_quality=conn.option("jpeg_quality"),
        hue=sum(map(ord, conn.id)) * 37,
    )


def _hub(conn: ConnectionSpec, cameras: list[CameraSpec]) -> FrameSource:
    from monitor_app.core.sources.zmq_hub import create_hub_source

    return create_hub_source(conn)


def _sub(conn: ConnectionSpec, cameras: list[CameraSpec]) -> FrameSource:
    from monitor_app.core.sources.zmq_sub import create_sub_source

    return create_sub_source(conn)


def _url(conn: ConnectionSpec, cameras: list[CameraSpec]) -> FrameSource:
    from monitor_app.core.sources.url import create_url_source

    return create_url_source(conn, cameras)


# Network kinds are imported on first use: a layout of test patterns never loads pyzmq or FFmpeg.
FACTORIES: dict[str, SourceFactory] = {"pattern": _pattern, "hub": _hub, "sub": _sub, "url": _url}


class UnsupportedKindError(ValueError):
    pass


def create_source(conn: ConnectionSpec, cameras: list[CameraSpec]) -> FrameSource:
    """The source for ``conn``; ``cameras`` are the layout's cameras bound to it."""
    factory = FACTORIES.get(conn.kind)
    if factory is None:
        raise UnsupportedKindError(f"connection kind {conn.kind!r} is not available in this build")
    try:
        return factory(conn, cameras)
    except ImportError as exc:  # a kind whose module is not part of this build yet
        raise UnsupportedKindError(f"connection kind {conn.kind!r} is not available in this build ({exc})") from None


def single_stream(conn: ConnectionSpec) -> bool:
    """Kinds that carry exactly one camera, bound with an empty name."""
    return conn.kind in ("pattern", "url")
