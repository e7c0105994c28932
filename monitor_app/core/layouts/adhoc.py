"""Layouts made on the fly: from the command line's --hub/--sub/--url options, and the built-in demo."""

from __future__ import annotations

from monitor_app.core.layouts.files import read_layout
from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout
from monitor_app.core.redact import mask_url
from monitor_app.core.resources import resource_path
from monitor_app.core.sources.registry import source_kind

DEMO_LAYOUT = "demo_layout.json"


def demo_layout() -> Layout:
    return read_layout(resource_path(DEMO_LAYOUT))


def layout_from_addresses(addresses: list[tuple[str, str]]) -> Layout:
    """One connection per (kind, address) of the command line (``--hub :5555``, ``--url ...``).

    Kinds that carry many cameras add a tile for each name as it appears; the others get one tile.
    """
    layout = Layout(rows=1, columns=1, title="Ad-hoc")
    counts: dict[str, int] = {}
    for kind_name, address in addresses:
        kind = source_kind(kind_name)
        if kind.address is None:
            raise ValueError(f"a {kind_name} connection has no address to give on the command line")
        counts[kind_name] = counts.get(kind_name, 0) + 1
        conn_id = f"{kind_name}{counts[kind_name]}"
        value: object = [address] if kind.fields[kind.address].type is list else address
        layout.connections.append(
            ConnectionSpec(conn_id, kind_name, {kind.address: value}, auto_add_cameras=kind.many_cameras)
        )
        if not kind.many_cameras:
            layout.grow_to_fit(len(layout.cameras) + 1)
            row, column = layout.free_cell() or (0, 0)
            layout.cameras.append(CameraSpec(conn_id, conn_id, title=mask_url(address), row=row, column=column))
    return layout


def add_discovered_camera(layout: Layout, connection_id: str, name: str) -> CameraSpec | None:
    """A new camera name on an auto-adding connection: give it the next cell, growing the grid.

    None when the grid is full at its largest size: the layout must stay one the app can load.
    """
    layout.grow_to_fit(len(layout.cameras) + 1)
    cell = layout.free_cell()
    if cell is None:
        return None
    cam = CameraSpec(
        layout.unique_id(name or connection_id), connection_id, name=name, title=name, row=cell[0], column=cell[1]
    )
    layout.cameras.append(cam)
    return cam
