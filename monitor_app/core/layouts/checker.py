"""Checking a version 2 layout document field by field, collecting every problem with its JSON path.

``model.parse_layout`` migrates older documents first and runs this; the model it builds shows the
first view (see ``spec.py`` on the projection).
"""

from __future__ import annotations

from typing import Any

from monitor_app.core.layouts.errors import Problem, json_type
from monitor_app.core.layouts.schema import check_options, kind_of
from monitor_app.core.layouts.spec import MAX_GRID, CameraSpec, ConnectionSpec, Layout, TileSpec, ViewSpec
from monitor_app.core.layouts.views import MAX_TOUR_S, MIN_TOUR_S, default_view_title, project
from monitor_app.core.layouts.zoom import zoom_from_json
from monitor_app.core.sources.kind import has_type, type_name

TOP_LEVEL = {"schema_version", "title", "connections", "cameras", "views", "tour"}


class Checker:
    """Collects problems while building the model, so one run reports them all."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._tile_paths: dict[tuple[int, str], str] = {}  # (view index, camera) -> the tile's path in the file

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
        self.unknown_keys(data, TOP_LEVEL, "$")
        layout = Layout(title=self.get(data, "title", str, "$", ""))
        for i, item in enumerate(self.get(data, "connections", list, "$", [])):
            conn = self.connection(item, f"$.connections[{i}]", layout)
            if conn is not None:
                layout.connections.append(conn)
        for i, item in enumerate(self.get(data, "cameras", list, "$", [])):
            cam = self.camera(item, f"$.cameras[{i}]", layout)
            if cam is not None:
                layout.cameras.append(cam)
        layout.tour_seconds = self.tour(data, "$")
        views = self.get(data, "views", list, "$")
        if views is not None and not views:
            self.fail("$.views", "must hold at least one view")
        for i, item in enumerate(views or []):
            view = self.view(item, f"$.views[{i}]", layout)
            if view is not None:
                layout.views.append(view)
        if not self.problems:
            order = {cam.id: i for i, cam in enumerate(layout.cameras)}
            for i, view in enumerate(layout.views):
                self.placement(layout, view, i)
                view.tiles.sort(key=lambda t: order[t.camera])  # canonical: in the cameras' order
        if layout.views and not self.problems:
            project(layout, layout.views[0])
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
        self.unknown_keys(item, {"id", "title", "connection", "name"}, path)
        cam_id = self.get(item, "id", str, path)
        connection = self.get(item, "connection", str, path)
        cam = CameraSpec(
            id=cam_id or "",
            connection=connection or "",
            name=self.get(item, "name", str, path, ""),
            title=self.get(item, "title", str, path, ""),
            placed=False,
        )
        if cam_id is not None and any(c.id == cam_id for c in layout.cameras):
            self.fail(f"{path}.id", f"{cam_id!r} is used by another camera")
        if connection is not None and layout.connection(connection) is None:
            self.fail(f"{path}.connection", f"no connection has the id {connection!r}")
        if any(c.connection == cam.connection and c.name == cam.name for c in layout.cameras):
            self.fail(
                f"{path}.name", f"another camera already shows {cam.name or 'the stream'!r} of {cam.connection!r}"
            )
        return cam

    def tour(self, obj: dict[str, Any], path: str) -> int | None:
        tour = self.get(obj, "tour", dict, path, None)
        if tour is None:
            return None
        self.unknown_keys(tour, {"seconds"}, f"{path}.tour")
        seconds = self.get(tour, "seconds", int, f"{path}.tour")
        if seconds is not None and not MIN_TOUR_S <= seconds <= MAX_TOUR_S:
            self.fail(f"{path}.tour.seconds", f"must be between {MIN_TOUR_S} and {MAX_TOUR_S}, not {seconds}")
            return None
        return seconds

    def view(self, item: Any, path: str, layout: Layout) -> ViewSpec | None:
        if not isinstance(item, dict):
            self.fail(path, f"must be an object, not {json_type(item)}")
            return None
        self.unknown_keys(item, {"title", "grid", "tiles", "tour"}, path)
        title = self.get(item, "title", str, path, "") or default_view_title(len(layout.views))
        if any(v.title == title for v in layout.views):
            self.fail(f"{path}.title", f"another view is called {title!r}")
        view = ViewSpec(title, tour_seconds=self.tour(item, path))
        grid = self.get(item, "grid", dict, path)
        if grid is not None:
            self.unknown_keys(grid, {"rows", "columns"}, f"{path}.grid")
            for key in ("rows", "columns"):
                value = self.get(grid, key, int, f"{path}.grid")
                if value is not None and not 1 <= value <= MAX_GRID:
                    self.fail(f"{path}.grid.{key}", f"must be between 1 and {MAX_GRID}, not {value}")
                elif value is not None:
                    setattr(view, key, value)
        for i, tile_item in enumerate(self.get(item, "tiles", list, path, [])):
            tile = self.tile(tile_item, f"{path}.tiles[{i}]", layout, view)
            if tile is not None:
                view.tiles.append(tile)
                self._tile_paths[(len(layout.views), tile.camera)] = f"{path}.tiles[{i}]"
        return view if grid is not None else None

    def tile(self, item: Any, path: str, layout: Layout, view: ViewSpec) -> TileSpec | None:
        if not isinstance(item, dict):
            self.fail(path, f"must be an object, not {json_type(item)}")
            return None
        self.unknown_keys(item, {"camera", "cell", "span", "pinned", "zoom"}, path)
        camera = self.get(item, "camera", str, path)
        pinned = self.get(item, "pinned", bool, path, False)
        zoom, problems = zoom_from_json(item.get("zoom"), f"{path}.zoom")
        self.problems += problems
        if camera is not None and not any(c.id == camera for c in layout.cameras):
            self.fail(f"{path}.camera", f"no camera has the id {camera!r}")
            camera = None
        elif camera is not None and view.tile(camera) is not None:
            self.fail(f"{path}.camera", f"{camera!r} already has a tile in this view")
            camera = None
        span = self.pair(item, "span", path, minimum=1)
        cell = self.pair(item, "cell", path, minimum=0)
        if camera is None or (cell is None and "cell" in item):
            return None
        row, column = cell if cell is not None else (-1, -1)  # -1: place in the first free cell
        row_span, column_span = span if span is not None else (1, 1)
        return TileSpec(camera, row, column, row_span, column_span, pinned, zoom)

    def pair(self, item: dict[str, Any], key: str, path: str, minimum: int) -> tuple[int, int] | None:
        if key not in item:
            return None
        value = item[key]
        if not (isinstance(value, list) and len(value) == 2 and all(has_type(v, int) and v >= minimum for v in value)):
            self.fail(f"{path}.{key}", f"must be [row, column] with whole numbers >= {minimum}, not {value!r}")
            return None
        return value[0], value[1]

    def placement(self, layout: Layout, view: ViewSpec, index: int) -> None:
        """Tiles inside the grid and apart, in words a person reads ("cell 0,1 holds Front door");
        a tile without a cell gets the first free one."""
        grid = f"{view.rows}x{view.columns}"
        labels = {cam.id: cam.label for cam in layout.cameras}
        used: dict[tuple[int, int], str] = {}
        tile_paths = {tile.camera: self._tile_paths[(index, tile.camera)] for tile in view.tiles}
        for tile in view.tiles:
            if tile.row < 0:
                continue
            spans = (tile.row_span, tile.column_span) != (1, 1)
            if tile.row + tile.row_span > view.rows or tile.column + tile.column_span > view.columns:
                size = f"a {tile.row_span}x{tile.column_span} tile at " if spans else ""
                self.fail(
                    f"{tile_paths[tile.camera]}.cell",
                    f"{size}cell {tile.row},{tile.column} does not fit the {grid} grid",
                )
                continue
            cells = _cells(tile)
            taken = sorted(cell for cell in cells if cell in used)
            if taken:
                r, c = taken[0]
                self.fail(f"{tile_paths[tile.camera]}.cell", f"cell {r},{c} holds {labels[used[(r, c)]]}")
                continue
            used.update(dict.fromkeys(cells, tile.camera))
        for tile in view.tiles:
            if tile.row >= 0:
                continue
            free = next(((r, c) for r in range(view.rows) for c in range(view.columns) if (r, c) not in used), None)
            if free is None:
                self.fail(tile_paths[tile.camera], f"no free cell is left: the {grid} grid is full")
                continue
            tile.row, tile.column = free
            used[free] = tile.camera


def _cells(tile: TileSpec) -> set[tuple[int, int]]:
    return {
        (r, c)
        for r in range(tile.row, tile.row + tile.row_span)
        for c in range(tile.column, tile.column + tile.column_span)
    }
