"""Edits of a layout, as pure functions: each returns a new validated layout or raises LayoutError.

Every edit goes through the same validation as a file, so the editor can never produce a
layout the app would refuse to open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monitor_app.core.layout import Layout, layout_to_dict, parse_layout, unique_id

ADDRESS_FIELD = {"hub": "endpoint", "sub": "endpoints", "url": "url"}


@dataclass
class CameraForm:
    """What the camera dialog edits; ``address`` is an endpoint, a comma-separated list or a URL."""

    title: str = ""
    kind: str = "pattern"
    address: str = ""
    name: str = ""
    row: int = 0
    column: int = 0
    row_span: int = 1
    column_span: int = 1


def form_for_camera(layout: Layout, camera_id: str) -> CameraForm:
    cam = next(c for c in layout.cameras if c.id == camera_id)
    conn = layout.connection(cam.connection)
    assert conn is not None
    address = conn.option(ADDRESS_FIELD.get(conn.kind, ""), "")
    if isinstance(address, list):
        address = ", ".join(address)
    return CameraForm(cam.title, conn.kind, address, cam.name, cam.row, cam.column, cam.row_span, cam.column_span)


def apply_camera_form(layout: Layout, form: CameraForm, camera_id: str | None = None) -> Layout:
    """Add a camera (``camera_id`` None) or change one; connections are shared when the address matches."""
    data = layout_to_dict(layout)
    cameras: list[dict[str, Any]] = data["cameras"]
    connections: list[dict[str, Any]] = data["connections"]
    old = next((c for c in cameras if c["id"] == camera_id), None) if camera_id else None
    if old is not None:
        cameras.remove(old)
        still_used = any(c["connection"] == old["connection"] for c in cameras)
        if not still_used:
            connections[:] = [c for c in connections if c["id"] != old["connection"]]
    options = _connection_options(form)
    conn = next(
        (c for c in connections if c["kind"] == form.kind and form.kind != "pattern" and _same_address(c, options)),
        None,
    )
    if conn is None:
        conn_id = unique_id([c["id"] for c in connections], form.title or form.kind)
        conn = {"id": conn_id, "kind": form.kind, **options}
        if form.kind in ("hub", "sub"):
            conn["auto_add_cameras"] = False
        connections.append(conn)
    camera = {
        "id": camera_id or unique_id([c["id"] for c in cameras], form.title or form.name or "camera"),
        "title": form.title,
        "connection": conn["id"],
        "cell": [form.row, form.column],
        "span": [form.row_span, form.column_span],
    }
    if form.kind in ("hub", "sub") and form.name:
        camera["name"] = form.name
    cameras.append(camera)
    return parse_layout(data)


def remove_camera(layout: Layout, camera_id: str) -> Layout:
    data = layout_to_dict(layout)
    removed = [c for c in data["cameras"] if c["id"] == camera_id]
    data["cameras"] = [c for c in data["cameras"] if c["id"] != camera_id]
    used = {c["connection"] for c in data["cameras"]}
    for cam in removed:  # a connection that shows nothing any more is closed, unless it adds cameras itself
        data["connections"] = [
            c
            for c in data["connections"]
            if c["id"] != cam["connection"] or c["id"] in used or c.get("auto_add_cameras")
        ]
    return parse_layout(data)


def resize_grid(layout: Layout, rows: int, columns: int) -> Layout:
    data = layout_to_dict(layout)
    data["grid"] = {"rows": rows, "columns": columns}
    return parse_layout(data)


def _connection_options(form: CameraForm) -> dict[str, Any]:
    if form.kind == "pattern":
        return {}
    if form.kind == "sub":
        return {"endpoints": [a.strip() for a in form.address.split(",") if a.strip()]}
    return {ADDRESS_FIELD[form.kind]: form.address}


def _same_address(conn: dict[str, Any], options: dict[str, Any]) -> bool:
    return all(conn.get(k) == v for k, v in options.items())
