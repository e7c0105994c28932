"""What changing from one layout to another means for what runs: the connections and feeds to keep.

A pure function of two layouts, so the rules are tested without Qt or threads: a connection
whose options changed restarts, an untouched one runs on, and a camera that still shows the
same stream of an untouched connection keeps its feed (and its counters) even when it moves,
or leaves the wall for the camera list (unplaced) and comes back: placement is not compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout


@dataclass(frozen=True)
class ConnectionStart:
    """A connection to open, and the title of its first camera (single-camera sources show it)."""

    spec: ConnectionSpec
    title: str


@dataclass(frozen=True)
class LayoutDiff:
    """The steps from the running layout to the next one, in the order they are taken."""

    stop: tuple[str, ...] = ()
    """Connections to stop: removed, changed, or every one when starting afresh."""
    remove_feeds: tuple[str, ...] = ()
    """Cameras whose feed goes: removed, moved to another stream, or on a stopped connection."""
    start: tuple[ConnectionStart, ...] = ()
    """Connections to open: new, or changed (then also in ``stop``)."""
    add_feeds: tuple[CameraSpec, ...] = ()
    """Cameras that need a new feed, after their connection has started."""
    keep: tuple[str, ...] = ()
    """Connections that run on untouched."""
    keep_feeds: tuple[str, ...] = ()
    """Cameras whose feed survives, even when moved or retitled."""

    @property
    def restart(self) -> tuple[str, ...]:
        """Connections stopped and opened again with new options."""
        started = {s.spec.id for s in self.start}
        return tuple(cid for cid in self.stop if cid in started)


def diff_layouts(old: Layout | None, new: Layout, fresh: bool = False) -> LayoutDiff:
    """The steps from ``old`` (None: nothing runs yet) to ``new``.

    ``fresh``: stop everything and start over (another layout file was opened).
    """
    old_connections = {c.id: c for c in old.connections} if old else {}
    new_connections = {c.id: c for c in new.connections}
    stopped = [cid for cid, spec in old_connections.items() if fresh or new_connections.get(cid) != spec]
    same_stream = set() if fresh or old is None else {(c.id, c.connection, c.name) for c in old.cameras}
    kept_feeds = [
        c.id for c in new.cameras if (c.id, c.connection, c.name) in same_stream and c.connection not in stopped
    ]
    started = [
        ConnectionStart(spec, _first_title(new, spec.id))
        for cid, spec in new_connections.items()
        if cid in stopped or cid not in old_connections
    ]
    return LayoutDiff(
        stop=tuple(stopped),
        remove_feeds=tuple(c.id for c in (old.cameras if old else []) if c.id not in kept_feeds),
        start=tuple(started),
        add_feeds=tuple(c for c in new.cameras if c.id not in kept_feeds),
        keep=tuple(cid for cid in new_connections if cid in old_connections and cid not in stopped),
        keep_feeds=tuple(kept_feeds),
    )


def _first_title(layout: Layout, connection_id: str) -> str:
    return next((c.label for c in layout.cameras if c.connection == connection_id), connection_id)
