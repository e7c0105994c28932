"""The layout model: which cameras, from which connections, where in which grid.

``parse_layout`` checks a decoded JSON document and names every bad field by its JSON
path (``$.cameras[2].cell``); ``layout_to_dict`` writes it back in a stable order so that
load + save reproduces a canonical file exactly.

``"cell": null`` makes a camera unplaced: in the layout and the camera list, its feed running, but no
tile (a missing ``"cell"`` still means "the first free cell"). No new ``schema_version``: a file without
unplaced cameras is what older builds wrote, and they refuse ``null`` naming that field, never misread
it; the coming bump to 2 (views) then covers both.
"""

from __future__ import annotations

import copy
from typing import Any

from monitor_app.core.layouts.errors import LayoutError, Problem, json_type
from monitor_app.core.layouts.migrations import SCHEMA_VERSION, migrate
from monitor_app.core.layouts.schema import check_options, kind_of
from monitor_app.core.layouts.spec import MAX_GRID, CameraSpec, ConnectionSpec, Layout, unique_id
from monitor_app.core.sources.kind import has_type, type_name

__all__ = ["MAX_GRID", "CameraSpec", "ConnectionSpec", "Layout", "layout_to_dict", "parse_layout", "unique_id"]


def parse_layout(data: Any) -> Layout:
    """Validate a decoded JSON document; raise ``LayoutError`` naming every bad field.

    A document that is not an object, or whose ``schema_version`` cannot be migrated, is refused
    on that one problem before any field is checked.
    """
    if not isinstance(data, dict):
        raise LayoutError([Problem("$", f"must be a JSON object, not {type(data).__name__}")])
    data = migrate(copy.deepcopy(data))  # raises LayoutError for unknown or newer versions
    checker = _Checker()
    layout = checker.layout(data)
    if checker.problems:
        raise LayoutError(checker.problems)
    return layout


def layout_to_dict(layout: Layout) -> dict[str, Any]:
    cameras = []
    for cam in layout.cameras:
        item: dict[str, Any] = {"id": cam.id, "title": cam.title, "connection": cam.connection}
        if cam.name:
            item["name"] = cam.name
        item["cell"] = [cam.row, cam.column] if cam.placed else None
        if cam.spans:
            item["span"] = [cam.row_span, cam.column_span]
        cameras.append(item)
    connections = []
    for conn in layout.connections:
        entry: dict[str, Any] = {"id": conn.id, "kind": conn.kind, **conn.options}
        if conn.auto_add_cameras:
            entry["auto_add_cameras"] = True
        connections.append(entry)
    return {
        "schema_version": SCHEMA_VERSION,
        "title": layout.title,
        "grid": {"rows": layout.rows, "columns": layout.columns},
        "connections": connections,
        "cameras": cameras,
    }


class _Checker:
    """Collects problems while building the model, so one run reports them all."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def get(self, obj: dict[str, Any], key: str, kind: type | tuple[type, ...], path: str, default: Any = ...) -> Any:
        if key not in obj:
            if default is ...:
                self.fail(f"{path}.{key}", "is required")
                return None
            return default
        value = obj[key]
        if not has_type(value, kind):
            self.fail(f"{path}.{key}", f"must be {type_name(kind)}, not {json_type(value)}")
            return None if default is ... else default
        return value

    def unknown_keys(self, obj: dict[str, Any], allowed: set[str], path: str) -> None:
        for key in obj:
            if key not in allowed:
                self.fail(f"{path}.{key}", "is not a known field")

    def layout(self, data: dict[str, Any]) -> Layout:
        self.unknown_keys(data, {"schema_version", "title", "grid", "connections", "cameras"}, "$")
        layout = Layout(title=self.get(data, "title", str, "$", ""))
        grid = self.get(data, "grid", dict, "$")
        if grid is not None:
            self.unknown_keys(grid, {"rows", "columns"}, "$.grid")
            for key in ("rows", "columns"):
                value = self.get(grid, key, int, "$.grid")
                if value is not None and not 1 <= value <= MAX_GRID:
                    self.fail(f"$.grid.{key}", f"must be between 1 and {MAX_GRID}, not {value}")
                elif value is not None:
                    setattr(layout, key, value)
        for i, item in enumerate(self.get(data, "connections", list, "$", [])):
            conn = self.connection(item, f"$.connections[{i}]", layout)
            if conn is not None:
                layout.connections.append(conn)
        for i, item in enumerate(self.get(data, "cameras", list, "$", [])):
            cam = self.camera(item, f"$.cameras[{i}]", layout)
            if cam is not None:
                layout.cameras.append(cam)
        if grid is not None and not self.problems:
            self.placement(layout)
        return layout

    def connection(self, item: Any, path: str, layout: Layout) -> ConnectionSpec | None:
        if not isinstance(item, dict):
            self.fail(path, f"must be an object, not {json_type(item)}")
            return None
        conn_id = self.get(item, "id", str, path)
        kind = self.get(item, "kind", str, path)
        auto_add = self.get(item, "auto_add_cameras", bool, path, False)
        if conn_id is not None and layout.connection(conn_id) is not None:
            self.fail(f"{path}.id", f"{conn_id!r} is used by another connection")
        if conn_id == "":
            self.fail(f"{path}.id", "must not be empty")
        if kind is None:
            return None
        declared, problems = kind_of(kind, path)
        if declared is None:
            self.problems += problems
            return None
        options, problems = check_options(declared, item, path)
        self.problems += problems
        if conn_id is None:
            return None
        return ConnectionSpec(conn_id, kind, options, auto_add)

    def camera(self, item: Any, path: str, layout: Layout) -> CameraSpec | None:
        if not isinstance(item, dict):
            self.fail(path, f"must be an object, not {json_type(item)}")
            return None
        self.unknown_keys(item, {"id", "title", "connection", "name", "cell", "span"}, path)
        cam_id = self.get(item, "id", str, path)
        connection = self.get(item, "connection", str, path)
        cam = CameraSpec(
            id=cam_id or "",
            connection=connection or "",
            name=self.get(item, "name", str, path, ""),
            title=self.get(item, "title", str, path, ""),
        )
        if cam_id is not None and any(c.id == cam_id for c in layout.cameras):
            self.fail(f"{path}.id", f"{cam_id!r} is used by another camera")
        if connection is not None and layout.connection(connection) is None:
            self.fail(f"{path}.connection", f"no connection has the id {connection!r}")
        if any(c.connection == cam.connection and c.name == cam.name for c in layout.cameras):
            self.fail(
                f"{path}.name", f"another camera already shows {cam.name or 'the stream'!r} of {cam.connection!r}"
            )
        span = self.pair(item, "span", path, minimum=1)
        cam.row_span, cam.column_span = span if span is not None else (1, 1)
        if "cell" in item and item["cell"] is None:
            cam.placed = False
            return cam
        cell = self.pair(item, "cell", path, minimum=0)
        if cell is None and "cell" in item:
            return None
        cam.row, cam.column = cell if cell is not None else (-1, -1)  # -1: place in the first free cell
        return cam

    def pair(self, item: dict[str, Any], key: str, path: str, minimum: int) -> tuple[int, int] | None:
        if key not in item:
            return None
        value = item[key]
        if not (isinstance(value, list) and len(value) == 2 and all(has_type(v, int) and v >= minimum for v in value)):
            self.fail(f"{path}.{key}", f"must be [row, column] with whole numbers >= {minimum}, not {value!r}")
            return None
        return value[0], value[1]

    def placement(self, layout: Layout) -> None:
        """Tiles inside the grid and apart, in words a person reads ("cell 0,1 holds Front door")."""
        grid = f"{layout.rows}x{layout.columns}"
        used: dict[tuple[int, int], CameraSpec] = {}
        for i, cam in enumerate(layout.cameras):
            if cam.row < 0 or not cam.placed:
                continue
            if cam.row + cam.row_span > layout.rows or cam.column + cam.column_span > layout.columns:
                size = f"a {cam.row_span}x{cam.column_span} tile at " if cam.spans else ""
                self.fail(f"$.cameras[{i}].cell", f"{size}cell {cam.row},{cam.column} does not fit the {grid} grid")
                continue
            taken = sorted(cell for cell in cam.cells() if cell in used)
            if taken:
                r, c = taken[0]
                self.fail(f"$.cameras[{i}].cell", f"cell {r},{c} holds {used[(r, c)].label}")
                continue
            used.update(dict.fromkeys(cam.cells(), cam))
        for i, cam in enumerate(layout.cameras):
            if cam.row < 0:
                free = layout.free_cell()
                if free is None:
                    self.fail(f"$.cameras[{i}]", f"no free cell is left: the {grid} grid is full")
                    continue
                cam.row, cam.column = free
