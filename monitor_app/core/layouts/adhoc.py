"""Layouts made on the fly: from --hub/--sub/--url options, and the built-in demo."""

from __future__ import annotations

from monitor_app.core.layouts.files import read_layout
from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout
from monitor_app.core.redact import mask_url
from monitor_app.core.resources import resource_path

DEMO_LAYOUT = "demo_layout.json"


def demo_layout() -> Layout:
    return read_layout(resource_path(DEMO_LAYOUT))


def layout_from_endpoints(hubs: list[str], subs: list[str], urls: list[str]) -> Layout:
    """One connection per option. Hub and SUB cameras get tiles as their names appear."""
    layout = Layout(rows=1, columns=1, title="Ad-hoc")
    for n, endpoint in enumerate(hubs, 1):
        layout.connections.append(ConnectionSpec(f"hub{n}", "hub", {"endpoint": endpoint}, auto_add_cameras=True))
    for n, endpoint in enumerate(subs, 1):
        layout.connections.append(ConnectionSpec(f"sub{n}", "sub", {"endpoints": [endpoint]}, auto_add_cameras=True))
    for n, url in enumerate(urls, 1):
        conn_id = f"url{n}"
        layout.connections.append(ConnectionSpec(conn_id, "url", {"url": url}))
        layout.grow_to_fit(len(layout.cameras) + 1)
        row, column = layout.free_cell() or (0, 0)
        layout.cameras.append(CameraSpec(conn_id, conn_id, title=mask_url(url), row=row, column=column))
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
