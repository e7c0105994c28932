"""Layouts made on the fly: from the command line's --hub/--sub/--url options, the built-in demo,
and the cameras that appear by themselves (and leave again when they stop for good)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Container, Mapping, Sequence
from typing import Any

from monitor_app.core.layouts.arrange import unplace_camera
from monitor_app.core.layouts.files import read_layout
from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout
from monitor_app.core.layouts.natural_order import natural_key
from monitor_app.core.redact import mask_url
from monitor_app.core.resources import resource_path
from monitor_app.core.sources.registry import source_kind

DEMO_LAYOUT = "demo_layout.json"

FORGET_SILENT_AFTER_S = 120.0
"""A camera that appeared by itself leaves the wall after this long without a frame or heartbeat,
unless the user placed it; if its name sends again it comes back as new."""


def demo_layout() -> Layout:
    return read_layout(resource_path(DEMO_LAYOUT))


Address = tuple[str, str] | tuple[str, str, Mapping[str, Any]]
"""(kind, address) from the command line, or (kind, address, more options): ``("sub", ":5555", {"bind": True})``."""


def layout_from_addresses(addresses: Sequence[Address]) -> Layout:
    """One connection per (kind, address[, options]) of the command line (``--hub :5555``, ``--url ...``).

    Kinds that carry many cameras add a tile for each name as it appears; the others get one tile.
    """
    layout = Layout(rows=1, columns=1, title="Ad-hoc")
    counts: dict[str, int] = {}
    for kind_name, address, *more in addresses:
        kind = source_kind(kind_name)
        options = kind.address_options(address)
        counts[kind_name] = counts.get(kind_name, 0) + 1
        conn_id = f"{kind_name}{counts[kind_name]}"
        layout.connections.append(
            ConnectionSpec(
                conn_id,
                kind_name,
                {**options, **(more[0] if more else {})},
                auto_add_cameras=kind.many_cameras,
            )
        )
        if not kind.many_cameras:
            layout.grow_to_fit(len(layout.used_cells()) + 1)
            row, column = layout.free_cell() or (0, 0)
            layout.cameras.append(CameraSpec(conn_id, conn_id, title=mask_url(address), row=row, column=column))
    return layout


def add_discovered_camera(
    layout: Layout, connection_id: str, name: str, movable: Container[str] = ()
) -> CameraSpec | None:
    """A new camera name on an auto-adding connection: give it a cell, growing the grid (in place).

    ``movable``: the ids the app placed itself and the user has not touched (``DiscoveredCameras``).
    The new camera takes its natural-order place ("cam-2" before "cam-10") among the movable 1x1
    tiles of its connection, and the later ones shift along their cells into the first free one;
    no other tile moves. With none movable it takes the first free cell.

    On a full grid at its largest size the camera goes to the camera list (unplaced) rather than being
    refused. None when the name has a camera already, placed or not (one the user hid stays hidden),
    or the connection has gone.
    """
    if layout.connection(connection_id) is None or any(
        cam.connection == connection_id and cam.name == name for cam in layout.cameras
    ):
        return None
    layout.grow_to_fit(len(layout.used_cells()) + 1)
    cell = layout.free_cell()
    if cell is None:  # no room even at 16x16: listed, never lost, and never a grid the app cannot load
        unplaced = CameraSpec(
            layout.unique_id(name or connection_id), connection_id, name=name, title=name, placed=False
        )
        layout.cameras.append(unplaced)
        return unplaced
    cam = CameraSpec(
        layout.unique_id(name or connection_id), connection_id, name=name, title=name, row=cell[0], column=cell[1]
    )
    group = [c for c in layout.placed_cameras() if c.connection == connection_id and c.id in movable and not c.spans]
    cells = sorted([(c.row, c.column) for c in group] + [cell])
    for moved, (row, column) in zip(sorted([*group, cam], key=lambda c: natural_key(c.name)), cells, strict=True):
        moved.row, moved.column = row, column
    layout.cameras.append(cam)
    return cam


def hide_camera(layout: Layout, camera_id: str) -> Layout:
    """The user's "remove" on an auto-adding connection: off the wall, but kept (unplaced) in the layout,
    so that its next frame does not bring it straight back as a new tile."""
    return unplace_camera(layout, camera_id)


def without_cameras(layout: Layout, camera_ids: Collection[str]) -> Layout:
    """``layout`` less some cameras; the connections stay (an auto-adding one waits for new names)."""
    cameras = [cam for cam in layout.cameras if cam.id not in camera_ids]
    return dataclasses.replace(layout, connections=list(layout.connections), cameras=cameras)


class DiscoveredCameras:
    """The cameras that appeared by themselves in this session and that the user has not placed.

    A camera of the layout as it was opened, or one the user edited since, is placed and stays
    until the user removes it; the others leave once silent for ``FORGET_SILENT_AFTER_S``.
    """

    def __init__(self) -> None:
        self._last_alive: dict[str, float] = {}  # camera id -> monotonic time it last sent

    def __contains__(self, camera_id: object) -> bool:
        return camera_id in self._last_alive

    def added(self, camera_id: str, now: float) -> None:
        self._last_alive[camera_id] = now

    def edited(self, old: Layout, new: Layout) -> None:
        """The user changed ``old`` into ``new``: a camera the edit changed or removed is no longer ours."""
        before = {cam.id: cam for cam in old.cameras}
        after = {cam.id: cam for cam in new.cameras}
        for camera_id in [c for c in self._last_alive if before.get(c) != after.get(c)]:
            del self._last_alive[camera_id]

    def take_silent(self, frame_age: Callable[[str], float | None], now: float) -> list[str]:
        """Forget and return the cameras silent for longer than ``FORGET_SILENT_AFTER_S``.

        ``frame_age``: seconds since a camera's last frame or heartbeat, None when its feed has had
        none (a restarted connection): then the time it was last seen counts.
        """
        for camera_id in self._last_alive:
            age = frame_age(camera_id)
            if age is not None:
                self._last_alive[camera_id] = now - age
        silent = [c for c, alive in self._last_alive.items() if now - alive > FORGET_SILENT_AFTER_S]
        for camera_id in silent:
            del self._last_alive[camera_id]
        return silent
