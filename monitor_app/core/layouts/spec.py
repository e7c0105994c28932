"""A layout as data: its connections, its cameras, and its views (which cameras where, in which grid).

``model.py`` builds these from JSON (checking every field) and writes them back. A layout holds
one or more views over the same cameras; the view being shown is *projected* onto the cameras:
``Layout.rows``/``columns`` and each ``CameraSpec``'s cell, span and ``placed`` are that view's,
so every edit of the wall (arrange, presets, the camera form) is an edit of the view shown, and
``views.py`` stores the projection back into ``Layout.views`` when another view is shown or the
layout is saved. An unplaced camera (``placed`` False) has no tile in the view shown: it is in the
camera list, its connection drained, nothing of it decoded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from monitor_app.core.layouts.zoom import Zoom

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
    placed: bool = True
    """False: in the camera list, no tile (row and column are then 0; the span is kept for placing it again)."""
    pinned: bool = False
    """Its tile stays where it is while a camera tour cycles the view's other tiles."""
    zoom: Zoom | None = None
    """The tile's digital zoom (``core/layouts/zoom.py``); None: the whole picture. JSON: ``zoom_to_json``."""

    @property
    def label(self) -> str:
        return self.title or self.name or self.id

    @property
    def spans(self) -> bool:
        """Covers more than one cell (when placed)."""
        return (self.row_span, self.column_span) != (1, 1)

    def cells(self) -> set[tuple[int, int]]:
        """The grid cells the tile covers; none when the camera is unplaced."""
        if not self.placed:
            return set()
        return {
            (r, c)
            for r in range(self.row, self.row + self.row_span)
            for c in range(self.column, self.column + self.column_span)
        }


@dataclass
class TileSpec:
    """Where one camera sits in one view."""

    camera: str
    row: int = 0
    column: int = 0
    row_span: int = 1
    column_span: int = 1
    pinned: bool = False
    zoom: Zoom | None = None


@dataclass
class ViewSpec:
    """A named wall over the layout's cameras: its grid and its tiles (a camera at most once)."""

    title: str
    rows: int = 2
    columns: int = 2
    tiles: list[TileSpec] = field(default_factory=list)
    tour_seconds: int | None = None
    """A camera tour's step: the view's unpinned cameras are shown one at a time, this often."""

    def tile(self, camera_id: str) -> TileSpec | None:
        return next((t for t in self.tiles if t.camera == camera_id), None)


@dataclass
class Layout:
    """Connections, cameras and views, with the view shown projected onto ``rows``, ``columns`` and the
    cameras' cells (``parse_layout`` makes one from JSON and checks it)."""

    rows: int = 2
    columns: int = 2
    title: str = ""
    connections: list[ConnectionSpec] = field(default_factory=list)
    cameras: list[CameraSpec] = field(default_factory=list)
    views: list[ViewSpec] = field(default_factory=list)
    """Every view; ``views[current_view]`` may lag the projection (``views.views_of`` brings it up to date).
    Empty: the layout has one view, the projection (what code that builds a Layout by hand makes)."""
    current_view: int = 0
    tour_seconds: int | None = None
    """A tour of the views: the next view is shown this often."""

    def connection(self, connection_id: str) -> ConnectionSpec | None:
        return next((c for c in self.connections if c.id == connection_id), None)

    def placed_cameras(self) -> list[CameraSpec]:
        """The cameras with a tile, in layout order."""
        return [cam for cam in self.cameras if cam.placed]

    def unplaced_cameras(self) -> list[CameraSpec]:
        """The cameras in the camera list only, in layout order."""
        return [cam for cam in self.cameras if not cam.placed]

    def used_cells(self) -> set[tuple[int, int]]:
        """The cells the placed cameras cover."""
        return set().union(*(cam.cells() for cam in self.cameras))

    def free_cell(self) -> tuple[int, int] | None:
        used = self.used_cells()
        for r in range(self.rows):
            for c in range(self.columns):
                if (r, c) not in used:
                    return r, c
        return None

    def unique_id(self, base: str) -> str:
        return unique_id([c.id for c in self.cameras], base)

    def grow_to_fit(self, count: int) -> None:
        """Enlarge the grid (columns first, keeping it near square) until ``count`` cells exist (see used_cells)."""
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
