"""Edits of a layout, as pure functions: each returns a new validated layout or raises LayoutError.

Every edit goes through the same validation as a file, so the editor can never produce a
layout the app would refuse to open. What the camera form shows of each kind (its address
and its editor fields) comes from the kind's declaration in the registry; ``form_problems`` puts
each problem of a refused edit beside the form field it is about.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from monitor_app.core.layouts.arrange import place_camera, spot_is_free
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.model import Layout, parse_view, unique_id, view_dict
from monitor_app.core.layouts.schema import COMMON_FIELDS
from monitor_app.core.layouts.zoom import Zoom
from monitor_app.core.redact import mask_url, restore_password
from monitor_app.core.sources.kind import FieldType, SourceKind
from monitor_app.core.sources.registry import KINDS, source_kind

_CAMERA_FIELD = re.compile(r"\$\.cameras\[(\d+)\](?:\.(\w+))?")
_CONNECTION_FIELD = re.compile(r"\$\.connections\[\d+\]\.(\w+)")
_CAMERA_KEYS = {"": "cell", "cell": "cell", "span": "cell", "title": "title", "name": "name"}
"""A camera's fields in the document -> the form fields that set them ("" is the camera itself: no free cell)."""


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
    settings: dict[str, str] = field(default_factory=dict)
    """The kind's other editor fields (``SourceKind.editor_fields``), as the dialog shows them."""
    placed: bool = True
    """False: the camera stays in the camera list, without a tile (row and column are then ignored)."""


def form_fields(kind: SourceKind) -> set[str]:
    """The connection fields the form sets; an edit keeps every other field of the connection."""
    return set(kind.editor_fields()) | ({kind.address} if kind.address else set())


def form_for_camera(layout: Layout, camera_id: str) -> CameraForm:
    cam = next(c for c in layout.cameras if c.id == camera_id)
    conn = layout.connection(cam.connection)
    assert conn is not None
    kind = source_kind(conn.kind)
    # The form shows no password; apply_camera_form puts it back.
    address = _as_text(kind, kind.address, conn.option(kind.address, "")) if kind.address else ""
    settings = {
        name: _as_text(kind, name, conn.option(name, spec.default if spec.default is not None else ""))
        for name, spec in kind.editor_fields().items()
    }
    return CameraForm(
        cam.title,
        conn.kind,
        address,
        cam.name,
        cam.row,
        cam.column,
        cam.row_span,
        cam.column_span,
        settings,
        cam.placed,
    )


def proposed_cell(layout: Layout) -> tuple[int, int]:
    """The cell the Add Camera form starts with: the first free one, (0, 0) on a full grid."""
    return layout.free_cell() or (0, 0)


def apply_camera_form(layout: Layout, form: CameraForm, camera_id: str | None = None) -> Layout:
    """Add a camera (``camera_id`` None) or change one; connections are shared when the address matches.

    A new camera left on ``proposed_cell`` where its tile does not fit (the grid is full, or its span
    covers another tile or leaves the grid) goes where ``place_camera`` puts it: the first free area
    for its span, else a free cell as 1x1, else a grown grid. A cell the user chose is kept, and
    refused ("cell 0,1 holds Front door") when taken; so is every cell of an edited camera.
    """
    automatic = (
        camera_id is None
        and form.placed
        and (form.row, form.column) == proposed_cell(layout)
        and not spot_is_free(layout, form.row, form.column, form.row_span, form.column_span)
    )
    kind = source_kind(form.kind)
    data = view_dict(layout)
    cameras: list[dict[str, Any]] = data["cameras"]
    connections: list[dict[str, Any]] = data["connections"]
    old = next((c for c in cameras if c["id"] == camera_id), None) if camera_id else None
    inherited: dict[str, Any] | None = None  # the camera's own connection, when the edit keeps its kind
    options = _connection_options(kind, form)
    if old is not None:
        cameras.remove(old)
        old_conn = next(c for c in connections if c["id"] == old["connection"])
        if old_conn["kind"] == form.kind:
            options = _with_passwords_of(kind, options, old_conn)
        if not any(c["connection"] == old["connection"] for c in cameras):
            connections.remove(old_conn)
            if old_conn["kind"] == form.kind:
                inherited = old_conn
    conn = next(
        (c for c in connections if c["kind"] == form.kind and kind.address and _same_address(c, options)),
        None,
    )
    if conn is None and inherited is not None:
        # Same id and every field the form does not show (a pattern's size, timeouts, auto-add):
        # an edit of the title alone leaves the connection as it was, so its stream keeps running.
        kept = {k: v for k, v in inherited.items() if k not in form_fields(kind)}
        conn = {**kept, **options}
        connections.append(conn)
    elif conn is None:
        conn_id = unique_id([c["id"] for c in connections], form.title or form.kind)
        conn = {"id": conn_id, "kind": form.kind, **options}
        connections.append(conn)
    camera = {
        "id": camera_id or unique_id([c["id"] for c in cameras], form.title or form.name or "camera"),
        "title": form.title,
        "connection": conn["id"],
        "cell": [form.row, form.column] if form.placed and not automatic else None,
        "span": [form.row_span, form.column_span],
    }
    if kind.many_cameras and form.name:
        camera["name"] = form.name
    cameras.append(camera)
    edited = parse_view(data, layout)
    return place_camera(edited, camera["id"]) if automatic else edited


def form_problems(exc: LayoutError, layout: Layout) -> dict[str, str]:
    """The problems of a refused ``apply_camera_form(layout, ...)``, by the form field they are about.

    Keys: "cell" (the cell and span), "title", "name", "address", a kind's setting name (``CameraForm.settings``),
    and "" for the rest; several problems of one field are joined by "; ". The form's camera is the last
    of the document, so problems of a camera before it are not the form's (edits never break them).
    """
    fields: dict[str, list[str]] = {}
    addresses = {kind.address for kind in KINDS.values() if kind.address}
    for problem in exc.problems:
        key = ""
        if camera := _CAMERA_FIELD.fullmatch(problem.path):
            if int(camera[1]) >= len(layout.cameras) - 1:
                key = _CAMERA_KEYS.get(camera[2] or "", "")
        elif connection := _CONNECTION_FIELD.fullmatch(problem.path):
            name = connection[1]
            if name in addresses:
                key = "address"
            elif name not in COMMON_FIELDS:
                key = name
        fields.setdefault(key, []).append(problem.message)
    return {key: "; ".join(messages) for key, messages in fields.items()}


def remove_camera(layout: Layout, camera_id: str) -> Layout:
    data = view_dict(layout)
    removed = [c for c in data["cameras"] if c["id"] == camera_id]
    data["cameras"] = [c for c in data["cameras"] if c["id"] != camera_id]
    used = {c["connection"] for c in data["cameras"]}
    for cam in removed:  # a connection that shows nothing any more is closed, unless it adds cameras itself
        data["connections"] = [
            c
            for c in data["connections"]
            if c["id"] != cam["connection"] or c["id"] in used or c.get("auto_add_cameras")
        ]
    return parse_view(data, layout)


def resize_grid(layout: Layout, rows: int, columns: int) -> Layout:
    data = view_dict(layout)
    data["grid"] = {"rows": rows, "columns": columns}
    return parse_view(data, layout)


def _as_text(kind: SourceKind, name: str, value: Any) -> str:
    """A connection field as the form shows it: lists comma-separated, passwords masked."""
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    return mask_url(str(value)) if kind.fields[name].secret_url else str(value)


def _connection_options(kind: SourceKind, form: CameraForm) -> dict[str, Any]:
    """The fields the form sets, typed as the kind declares them; defaults and blanks left out."""
    shown = kind.editor_fields()
    values = {name: text for name, text in form.settings.items() if name in shown}  # a kind change leaves others
    if kind.address:
        values[kind.address] = form.address
    options: dict[str, Any] = {}
    for name, text in values.items():
        spec = kind.fields[name]
        value = _from_text(spec.type, text)
        if name == kind.address or (value != "" and value != spec.default):
            options[name] = value
    return options


def _from_text(kind: FieldType, text: str) -> Any:
    """What the user typed, as the field's type; left as text when it does not parse, so that
    validation names the field ("must be an integer, not a string")."""
    types = kind if isinstance(kind, tuple) else (kind,)
    if list in types:
        return [a.strip() for a in text.split(",") if a.strip()]
    for number in (int, float):
        if number in types:
            try:
                return number(text)
            except ValueError:
                continue
    if bool in types and text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def _with_passwords_of(kind: SourceKind, options: dict[str, Any], conn: dict[str, Any]) -> dict[str, Any]:
    """``options`` with the masked passwords of ``conn``'s URLs restored."""
    return {
        name: restore_password(value, conn.get(name, "")) if kind.fields[name].secret_url else value
        for name, value in options.items()
    }


def _same_address(conn: dict[str, Any], options: dict[str, Any]) -> bool:
    return all(conn.get(k) == v for k, v in options.items())


def with_zooms(layout: Layout, zooms: dict[str, Zoom | None]) -> Layout:
    """``layout`` with those cameras' digital zoom (a tile's view, not an undoable edit: ``ui/zoom_keeper``);
    ``layout`` itself when none changes. A ``Zoom`` is valid by construction: nothing to re-validate."""
    changed = {cam.id for cam in layout.cameras if cam.id in zooms and zooms[cam.id] != cam.zoom}
    if not changed:
        return layout
    cameras = [dataclasses.replace(cam, zoom=zooms[cam.id]) if cam.id in changed else cam for cam in layout.cameras]
    return dataclasses.replace(layout, cameras=cameras, connections=list(layout.connections))
