"""The layout model: which cameras, from which connections, where in which views.

``parse_layout`` checks a decoded JSON document and names every bad field by its JSON path
(``$.views[1].tiles[2].cell``); ``layout_to_dict`` writes it back, as version 2, in a stable order
so that load + save reproduces a canonical file exactly.

A version 1 file (one grid, each camera with its ``cell``; ``"cell": null`` unplaced) is migrated in
memory (``migrations.v1_to_v2``) and its problems are named by the paths of the file as written
(``$.cameras[2].cell``); it stays version 1 on disk until the user saves it.

The edits of the wall (``arrange``, ``edits``, ``presets``) work on the view shown, in the version 1
shape: ``view_dict`` gives it, ``parse_view`` checks the edited dict and puts the layout's other
views back (``views.with_views_of``).
"""

from __future__ import annotations

import copy
from typing import Any

from monitor_app.core.layouts.checker import Checker
from monitor_app.core.layouts.errors import LayoutError, Problem
from monitor_app.core.layouts.migrations import SCHEMA_VERSION, migrate, v1_path, v1_unplaced
from monitor_app.core.layouts.spec import MAX_GRID, CameraSpec, ConnectionSpec, Layout, ViewSpec, unique_id
from monitor_app.core.layouts.views import views_of, with_views_of
from monitor_app.core.layouts.zoom import zoom_to_json

__all__ = [
    "MAX_GRID",
    "CameraSpec",
    "ConnectionSpec",
    "Layout",
    "layout_to_dict",
    "parse_layout",
    "parse_view",
    "unique_id",
    "view_dict",
]


def parse_layout(data: Any) -> Layout:
    """Validate a decoded JSON document; raise ``LayoutError`` naming every bad field.

    A document that is not an object, or whose ``schema_version`` cannot be migrated, is refused
    on that one problem before any field is checked.
    """
    if not isinstance(data, dict):
        raise LayoutError([Problem("$", f"must be a JSON object, not {type(data).__name__}")])
    original = data
    translate = v1_path(data) if data.get("schema_version") == 1 else None
    data = migrate(copy.deepcopy(data))  # raises LayoutError for unknown or newer versions
    checker = Checker()
    layout = checker.layout(data)
    if checker.problems:
        problems = checker.problems
        if translate is not None:
            problems = [Problem(translate(p.path), p.message) for p in problems]
        raise LayoutError(problems)
    if translate is not None:
        _keep_unplaced_spans(original, layout)
    return layout


def layout_to_dict(layout: Layout) -> dict[str, Any]:
    """The whole layout as a version 2 document, every view included (the one shown as it is now)."""
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "title": layout.title,
        "connections": _connections(layout),
        "cameras": [_camera(cam) for cam in layout.cameras],
        "views": [_view(view) for view in views_of(layout)],
    }
    if layout.tour_seconds is not None:
        document["tour"] = {"seconds": layout.tour_seconds}
    return document


def view_dict(layout: Layout) -> dict[str, Any]:
    """The view shown as a version 1 document (one grid, cells on the cameras): what edits change."""
    cameras = []
    for cam in layout.cameras:
        item = _camera(cam)
        item["cell"] = [cam.row, cam.column] if cam.placed else None
        if cam.spans:
            item["span"] = [cam.row_span, cam.column_span]
        if cam.zoom is not None and cam.placed:
            item["zoom"] = zoom_to_json(cam.zoom)
        cameras.append(item)
    return {
        "schema_version": 1,
        "title": layout.title,
        "grid": {"rows": layout.rows, "columns": layout.columns},
        "connections": _connections(layout),
        "cameras": cameras,
    }


def parse_view(data: dict[str, Any], before: Layout) -> Layout:
    """``view_dict(before)`` as edited, checked (``LayoutError`` names the version 1 paths), with
    ``before``'s other views, view titles, pins and tours kept."""
    edited = parse_layout(data)
    pins = {cam.id for cam in before.cameras if cam.pinned and cam.placed}
    for cam in edited.cameras:
        cam.pinned = cam.placed and cam.id in pins
    return with_views_of(edited, before)


def _keep_unplaced_spans(v1: dict[str, Any], layout: Layout) -> None:
    """A version 1 unplaced camera (``"cell": null``) keeps its span for placing it again: no tile holds it.
    (Version 2 keeps no span for a camera without a tile; the camera list places it 1x1.)"""
    spans = {item["id"]: item["span"] for item in v1["cameras"] if v1_unplaced(item) and "span" in item}
    for cam in layout.cameras:
        if not cam.placed and cam.id in spans:
            cam.row_span, cam.column_span = spans[cam.id]


def _camera(cam: CameraSpec) -> dict[str, Any]:
    item: dict[str, Any] = {"id": cam.id, "title": cam.title, "connection": cam.connection}
    if cam.name:
        item["name"] = cam.name
    return item


def _connections(layout: Layout) -> list[dict[str, Any]]:
    connections = []
    for conn in layout.connections:
        entry: dict[str, Any] = {"id": conn.id, "kind": conn.kind, **conn.options}
        if conn.auto_add_cameras:
            entry["auto_add_cameras"] = True
        connections.append(entry)
    return connections


def _view(view: ViewSpec) -> dict[str, Any]:
    tiles = []
    for tile in view.tiles:
        item: dict[str, Any] = {"camera": tile.camera, "cell": [tile.row, tile.column]}
        if (tile.row_span, tile.column_span) != (1, 1):
            item["span"] = [tile.row_span, tile.column_span]
        if tile.pinned:
            item["pinned"] = True
        if tile.zoom is not None:
            item["zoom"] = zoom_to_json(tile.zoom)
        tiles.append(item)
    entry: dict[str, Any] = {"title": view.title, "grid": {"rows": view.rows, "columns": view.columns}, "tiles": tiles}
    if view.tour_seconds is not None:
        entry["tour"] = {"seconds": view.tour_seconds}
    return entry
