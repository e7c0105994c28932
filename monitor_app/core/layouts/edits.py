"""Edits of a layout, as pure functions: each returns a new validated layout or raises LayoutError.

Every edit goes through the same validation as a file, so the editor can never produce a
layout the app would refuse to open.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from monitor_app.core.layouts.model import Layout, layout_to_dict, parse_layout, unique_id
from monitor_app.core.redact import mask_url, restore_password

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
    sub_url: str = ""  # url: a smaller stream for small tiles
    transport: str = "tcp"  # url: RTSP over tcp or udp


FORM_FIELDS = {"hub": {"endpoint"}, "sub": {"endpoints"}, "url": {"url", "sub_url", "transport"}, "pattern": set()}
"""The connection fields the form sets; an edit keeps every other field of the connection."""


def form_for_camera(layout: Layout, camera_id: str) -> CameraForm:
    cam = next(c for c in layout.cameras if c.id == camera_id)
    conn = layout.connection(cam.connection)
    assert conn is not None
    address = conn.option(ADDRESS_FIELD.get(conn.kind, ""), "")
    if isinstance(address, list):
        address = ", ".join(address)
    address = mask_url(address)  # the form shows no password; apply_camera_form puts it back
    return CameraForm(
        cam.title,
        conn.kind,
        address,
        cam.name,
        cam.row,
        cam.column,
        cam.row_span,
        cam.column_span,
        sub_url=mask_url(conn.option("sub_url", "")),
        transport=conn.option("transport", "tcp"),
    )


def apply_camera_form(layout: Layout, form: CameraForm, camera_id: str | None = None) -> Layout:
    """Add a camera (``camera_id`` None) or change one; connections are shared when the address matches."""
    data = layout_to_dict(layout)
    cameras: list[dict[str, Any]] = data["cameras"]
    connections: list[dict[str, Any]] = data["connections"]
    old = next((c for c in cameras if c["id"] == camera_id), None) if camera_id else None
    inherited: dict[str, Any] | None = None  # the camera's own connection, when the edit keeps its kind
    if old is not None:
        cameras.remove(old)
        old_conn = next(c for c in connections if c["id"] == old["connection"])
        form = _with_passwords_of(form, old_conn)
        if not any(c["connection"] == old["connection"] for c in cameras):
            connections.remove(old_conn)
            if old_conn["kind"] == form.kind:
                inherited = old_conn
    options = _connection_options(form)
    conn = next(
        (c for c in connections if c["kind"] == form.kind and form.kind != "pattern" and _same_address(c, options)),
        None,
    )
    if conn is None and inherited is not None:
        # Same id and every field the form does not show (a pattern's size, timeouts, auto-add):
        # an edit of the title alone leaves the connection as it was, so its stream keeps running.
        kept = {k: v for k, v in inherited.items() if k not in FORM_FIELDS.get(form.kind, set())}
        conn = {**kept, **options}
        connections.append(conn)
    elif conn is None:
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


def _with_passwords_of(form: CameraForm, conn: dict[str, Any]) -> CameraForm:
    """The form with the masked passwords of ``conn``'s URLs restored."""
    if form.kind != "url" or conn["kind"] != "url":
        return form
    return replace(
        form,
        address=restore_password(form.address, conn.get("url", "")),
        sub_url=restore_password(form.sub_url, conn.get("sub_url", "")),
    )


def _connection_options(form: CameraForm) -> dict[str, Any]:
    if form.kind == "pattern":
        return {}
    if form.kind == "sub":
        return {"endpoints": [a.strip() for a in form.address.split(",") if a.strip()]}
    if form.kind == "url":
        options: dict[str, Any] = {"url": form.address}
        if form.sub_url:
            options["sub_url"] = form.sub_url
        if form.transport != "tcp":
            options["transport"] = form.transport
        return options
    return {ADDRESS_FIELD[form.kind]: form.address}


def _same_address(conn: dict[str, Any], options: dict[str, Any]) -> bool:
    return all(conn.get(k) == v for k, v in options.items())
