"""The layout model: which cameras, from which connections, where in which grid.

``parse_layout`` checks a decoded JSON document and names every bad field by its JSON
path (``$.cameras[2].cell``); ``layout_to_dict`` writes it back in a stable order so that
load + save reproduces a canonical file exactly.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from monitor_app.core.layouts.errors import LayoutError, Problem, json_type
from monitor_app.core.layouts.migrations import SCHEMA_VERSION, migrate
from monitor_app.core.layouts.schema import check_options, kind_of
from monitor_app.core.sources.kind import has_type, type_name

MAX_GRID = 16


@dataclass
class ConnectionSpec:
    """One connection of a layout: its source kind and that kind's options."""

    id: str
    kind: str
    options: dict[str, Any] = field(default_factory=dict)
    auto_add_cameras: bool = False

    def option(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)


@dataclass
class CameraSpec:
    """One tile of a layout: which camera of which connection, and its cells in the grid."""

    id: str
    connection: str
    name: str = ""
    """The camera's name on its connection (imagezmq ``msg``); "" for single-stream kinds."""
    title: str = ""
    row: int = 0
    column: int = 0
    row_span: int = 1
    column_span: int = 1

    @property
    def label(self) -> str:
        return self.title or self.name or self.id

    def cells(self) -> set[tuple[int, int]]:
        return {
            (r, c)
            for r in range(self.row, self.row + self.row_span)
            for c in range(self.column, self.column + self.column_span)
        }


@dataclass
class Layout:
    """A wall: the grid, its connections and its cameras (``parse_layout`` makes one from JSON and checks it)."""

    rows: int = 2
    columns: int = 2
    title: str = ""
    connections: list[ConnectionSpec] = field(default_factory=list)
    cameras: list[CameraSpec] = field(default_factory=list)

    def connection(self, connection_id: str) -> ConnectionSpec | None:
        return next((c for c in self.connections if c.id == connection_id), None)

    def free_cell(self) -> tuple[int, int] | None:
        used = set().union(*(cam.cells() for cam in self.cameras)) if self.cameras else set()
        for r in range(self.rows):
            for c in range(self.columns):
                if (r, c) not in used:
                    return r, c
        return None

    def unique_id(self, base: str) -> str:
        return unique_id([c.id for c in self.cameras], base)

    def grow_to_fit(self, count: int) -> None:
        """Enlarge the grid (columns first, keeping it near square) until ``count`` cells exist."""
        while self.rows * self.columns < count and min(self.rows, self.columns) < MAX_GRID:
            if (self.columns <= self.rows and self.columns < MAX_GRID) or self.rows == MAX_GRID:
                self.columns += 1
            else:
                self.rows += 1


def unique_id(taken: list[str], base: str) -> str:
    """A readable id from ``base`` ("Front door" -> "front-door"), suffixed until unused."""
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in base.strip().lower()) or "camera"
    candidate, n = stem, 2
    while candidate in taken:
        candidate, n = f"{stem}-{n}", n + 1
    return candidate


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
        item["cell"] = [cam.row, cam.column]
        if (cam.row_span, cam.column_span) != (1, 1):
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
        cell = self.pair(item, "cell", path, minimum=0)
        span = self.pair(item, "span", path, minimum=1)
        if cell is None and "cell" in item:
            return None
        cam.row, cam.column = cell if cell is not None else (-1, -1)  # -1: place in the first free cell
        cam.row_span, cam.column_span = span if span is not None else (1, 1)
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
        used: dict[tuple[int, int], str] = {}
        for i, cam in enumerate(layout.cameras):
            if cam.row < 0:
                continue
            if cam.row + cam.row_span > layout.rows or cam.column + cam.column_span > layout.columns:
                self.fail(f"$.cameras[{i}].cell", f"tile does not fit the {layout.rows}x{layout.columns} grid")
                continue
            for cell in cam.cells():
                if cell in used:
                    self.fail(f"$.cameras[{i}].cell", f"overlaps camera {used[cell]!r} at {list(cell)}")
                    break
                used[cell] = cam.id
        for i, cam in enumerate(layout.cameras):
            if cam.row < 0:
                free = layout.free_cell()
                if free is None:
                    self.fail(f"$.cameras[{i}]", "has no cell and the grid is full")
                    continue
                cam.row, cam.column = free
