"""A layout as data: the grid, its connections and its cameras, and where each tile sits.

``model.py`` builds these from JSON (checking every field) and writes them back; an unplaced
camera (``placed`` False) is one of the layout without a tile, shown in the camera list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
class Layout:
    """A wall: the grid, its connections and its cameras (``parse_layout`` makes one from JSON and checks it)."""

    rows: int = 2
    columns: int = 2
    title: str = ""
    connections: list[ConnectionSpec] = field(default_factory=list)
    cameras: list[CameraSpec] = field(default_factory=list)

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
