"""Arranging the wall by hand, as pure functions: move, swap, span, place, unplace, resize, step.

Each returns a new validated layout (it goes through ``parse_layout`` like every edit) and never
loses, duplicates or overlaps a tile: a tile pushed out of its place goes to the first free area
that fits its span, else to a free cell as 1x1, else to the camera list (unplaced). Connections
are never touched, so ``diff_layouts`` keeps every feed running through any of these.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from monitor_app.core.layouts.errors import LayoutError, Problem
from monitor_app.core.layouts.model import MAX_GRID, CameraSpec, Layout, parse_view, view_dict
from monitor_app.core.layouts.natural_order import natural_key
from monitor_app.core.layouts.presets import PRESETS, Preset, apply_preset

__all__ = [
    "DIRECTIONS",
    "PRESETS",
    "Preset",
    "apply_preset",
    "cameras_outside",
    "move_camera",
    "natural_key",
    "neighbour",
    "place_camera",
    "reading_order",
    "resize_keeping",
    "set_span",
    "spot_is_free",
    "swap_cameras",
    "unplace_camera",
]

Cell = tuple[int, int]

DIRECTIONS = {"left": (0, -1), "right": (0, 1), "up": (-1, 0), "down": (1, 0)}
"""Arrow-key directions for ``neighbour``, as (row, column) steps."""


def move_camera(layout: Layout, camera_id: str, row: int, column: int) -> Layout:
    """Drop a tile (placed or not) with its span, clipped to the grid, on cell ``row, column``.

    A single tile dropped on swaps places with the moved one when it fits where that one was;
    otherwise every tile dropped on is re-homed (first free area for its span, else 1x1, else unplaced).
    """
    new = copy.deepcopy(layout)
    cam = _camera(new, camera_id)
    _check_cell(new, cam, row, column)
    was = (cam.row, cam.column) if cam.placed else None
    _put(cam, row, column, *_clipped(new, row, column, cam.row_span, cam.column_span))
    target = cam.cells()
    hit = [o for o in _others(new, cam) if o.cells() & target]
    rest = set().union(*(o.cells() for o in _others(new, cam) if o not in hit)) | target
    if len(hit) == 1 and was is not None and _free(new, *was, hit[0].row_span, hit[0].column_span, rest):
        _put(hit[0], *was, hit[0].row_span, hit[0].column_span)
    else:
        _rehome(new, hit, rest)
    return _checked(new)


def swap_cameras(layout: Layout, a: str, b: str) -> Layout:
    """Swap two tiles' places; each keeps its span, cut down where it does not fit the other's spot.

    Swapping with an unplaced camera puts that one in the tile's place and the tile in the camera list.
    """
    new = copy.deepcopy(layout)
    first, second = _camera(new, a), _camera(new, b)
    if first is second or not (first.placed or second.placed):
        return _checked(new)
    if not second.placed:
        first, second = second, first
    others = set().union(*(o.cells() for o in new.cameras if o.placed and o not in (first, second)))
    if not first.placed:  # from the camera list into second's place
        spot = (second.row, second.column)
        _put(first, *spot, *_largest(new, *spot, first.row_span, first.column_span, others))
        _unplace(second)
        return _checked(new)
    a_spot, b_spot = (first.row, first.column), (second.row, second.column)
    _put(first, *b_spot, *_largest(new, *b_spot, first.row_span, first.column_span, others | {a_spot}))
    _put(second, *a_spot, *_largest(new, *a_spot, second.row_span, second.column_span, others | first.cells()))
    return _checked(new)


def set_span(layout: Layout, camera_id: str, row_span: int, column_span: int) -> Layout:
    """Give a tile a new span, clipped to the grid; the tiles it now covers are re-homed, never lost."""
    new = copy.deepcopy(layout)
    cam = _camera(new, camera_id)
    if row_span < 1 or column_span < 1:
        raise LayoutError([Problem(_path(new, cam, "span"), f"must be at least 1x1, not {row_span}x{column_span}")])
    if not cam.placed:  # kept for when it is placed again
        cam.row_span, cam.column_span = min(row_span, MAX_GRID), min(column_span, MAX_GRID)
        return _checked(new)
    _put(cam, cam.row, cam.column, *_clipped(new, cam.row, cam.column, row_span, column_span))
    hit = [o for o in _others(new, cam) if o.cells() & cam.cells()]
    rest = set().union(*(o.cells() for o in _others(new, cam) if o not in hit)) | cam.cells()
    _rehome(new, hit, rest)
    return _checked(new)


def unplace_camera(layout: Layout, camera_id: str) -> Layout:
    """Take a tile off the wall into the camera list; its feed and its span stay."""
    new = copy.deepcopy(layout)
    _unplace(_camera(new, camera_id))
    return _checked(new)


def place_camera(layout: Layout, camera_id: str, row: int | None = None, column: int | None = None) -> Layout:
    """Put a camera on the wall: at ``row, column`` as ``move_camera`` does, or (None) by itself.

    By itself: the first free area that fits its span, else the first free cell as 1x1, else a
    grid grown by one cell (up to ``MAX_GRID``). A camera already placed stays where it is.
    """
    if row is not None and column is not None:
        return move_camera(layout, camera_id, row, column)
    new = copy.deepcopy(layout)
    cam = _camera(new, camera_id)
    if cam.placed or _auto_place(new, cam, new.used_cells()):
        return _checked(new)
    new.grow_to_fit(len(new.used_cells()) + 1)
    if not _auto_place(new, cam, new.used_cells()):
        full = f"no free cell is left: the {new.rows}x{new.columns} grid is full"
        raise LayoutError([Problem(_path(new, cam, "cell"), full)])
    return _checked(new)


def resize_keeping(layout: Layout, rows: int, columns: int) -> tuple[Layout, list[str]]:
    """The grid resized, keeping every camera: a tile whose first cell is still inside keeps it (its
    span clipped); the others, in reading order, go to free areas of the new grid, else unplaced.

    Returns the new layout and the ids of the cameras made unplaced.
    """
    for key, value in (("rows", rows), ("columns", columns)):
        if not 1 <= value <= MAX_GRID:
            raise LayoutError([Problem(f"$.grid.{key}", f"must be between 1 and {MAX_GRID}, not {value}")])
    new = copy.deepcopy(layout)
    new.rows, new.columns = rows, columns
    used: set[Cell] = set()
    outside = []
    for cam in _in_reading_order(new.placed_cameras()):
        if cam.row < rows and cam.column < columns:
            _put(cam, cam.row, cam.column, *_clipped(new, cam.row, cam.column, cam.row_span, cam.column_span))
            used |= cam.cells()
        else:
            outside.append(cam)
    _rehome(new, outside, used)
    return _checked(new), [cam.id for cam in outside if not cam.placed]


def cameras_outside(layout: Layout, rows: int, columns: int) -> list[CameraSpec]:
    """The placed cameras that a ``rows`` x ``columns`` grid has no room for: the ones ``resize_keeping``
    would put in the camera list, to name in the question before it."""
    _, unplaced = resize_keeping(layout, rows, columns)
    return [cam for cam in layout.cameras if cam.id in unplaced]


def spot_is_free(layout: Layout, row: int, column: int, row_span: int = 1, column_span: int = 1) -> bool:
    """A tile of that span fits the grid at ``row, column`` without covering another tile."""
    return _free(layout, row, column, row_span, column_span, layout.used_cells())


def reading_order(layout: Layout) -> list[str]:
    """The placed cameras by row, then column of their first cell (PageUp/PageDown steps along it)."""
    return [cam.id for cam in _in_reading_order(layout.placed_cameras())]


def neighbour(layout: Layout, camera_id: str, direction: str) -> str | None:
    """The placed camera next to ``camera_id`` in ``direction`` (see ``DIRECTIONS``), None at the edge.

    Nearest by the tiles' centres; a tile sharing rows (for left/right) or columns (up/down) comes
    first, then the smallest step along the direction, then the smallest step across it.
    """
    dr, dc = DIRECTIONS[direction]
    cam = _camera(layout, camera_id)
    if not cam.placed:
        return None
    cy, cx = _centre(cam)
    best: tuple[tuple[bool, float, float, int, int], str] | None = None
    for other in _others(layout, cam):
        oy, ox = _centre(other)
        along = (oy - cy) * dr + (ox - cx) * dc
        if along <= 0:
            continue
        across = abs((oy - cy) * dc) + abs((ox - cx) * dr)
        if dr:
            shared = other.column < cam.column + cam.column_span and cam.column < other.column + other.column_span
        else:
            shared = other.row < cam.row + cam.row_span and cam.row < other.row + other.row_span
        key = (not shared, along, across, other.row, other.column)
        if best is None or key < best[0]:
            best = key, other.id
    return best[1] if best else None


def _camera(layout: Layout, camera_id: str) -> CameraSpec:
    cam = next((c for c in layout.cameras if c.id == camera_id), None)
    if cam is None:
        raise LayoutError([Problem("$.cameras", f"no camera has the id {camera_id!r}")])
    return cam


def _path(layout: Layout, cam: CameraSpec, key: str) -> str:
    return f"$.cameras[{layout.cameras.index(cam)}].{key}"


def _check_cell(layout: Layout, cam: CameraSpec, row: int, column: int) -> None:
    if not (0 <= row < layout.rows and 0 <= column < layout.columns):
        problem = f"cell {row},{column} does not fit the {layout.rows}x{layout.columns} grid"
        raise LayoutError([Problem(_path(layout, cam, "cell"), problem)])


def _others(layout: Layout, cam: CameraSpec) -> list[CameraSpec]:
    return [o for o in layout.cameras if o.placed and o is not cam]


def _in_reading_order(cameras: Iterable[CameraSpec]) -> list[CameraSpec]:
    return sorted(cameras, key=lambda c: (c.row, c.column))


def _centre(cam: CameraSpec) -> tuple[float, float]:
    return cam.row + cam.row_span / 2, cam.column + cam.column_span / 2


def _put(cam: CameraSpec, row: int, column: int, row_span: int, column_span: int) -> None:
    cam.placed, cam.row, cam.column, cam.row_span, cam.column_span = True, row, column, row_span, column_span


def _unplace(cam: CameraSpec) -> None:
    cam.placed, cam.row, cam.column = False, 0, 0


def _clipped(layout: Layout, row: int, column: int, row_span: int, column_span: int) -> tuple[int, int]:
    return max(1, min(row_span, layout.rows - row)), max(1, min(column_span, layout.columns - column))


def _free(layout: Layout, row: int, column: int, row_span: int, column_span: int, used: set[Cell]) -> bool:
    if row < 0 or column < 0 or row + row_span > layout.rows or column + column_span > layout.columns:
        return False
    return all((r, c) not in used for r in range(row, row + row_span) for c in range(column, column + column_span))


def _first_free(layout: Layout, row_span: int, column_span: int, used: set[Cell]) -> Cell | None:
    for r in range(layout.rows - row_span + 1):
        for c in range(layout.columns - column_span + 1):
            if _free(layout, r, c, row_span, column_span, used):
                return r, c
    return None


def _largest(layout: Layout, row: int, column: int, row_span: int, column_span: int, used: set[Cell]) -> Cell:
    """The largest span up to ``row_span`` x ``column_span`` free at ``row, column`` (1x1 at least)."""
    spans = [(r, c) for r in range(row_span, 0, -1) for c in range(column_span, 0, -1)]
    for span in sorted(spans, key=lambda s: -s[0] * s[1]):
        if _free(layout, row, column, *span, used):
            return span
    return 1, 1


def _auto_place(layout: Layout, cam: CameraSpec, used: set[Cell]) -> bool:
    """Put ``cam`` in the first free area that fits its span (clipped to the grid), else 1x1; False if full."""
    span = (min(cam.row_span, layout.rows), min(cam.column_span, layout.columns))
    for rs, cs in (span, (1, 1)):
        spot = _first_free(layout, rs, cs, used)
        if spot is not None:
            _put(cam, *spot, rs, cs)
            used |= cam.cells()
            return True
    return False


def _rehome(layout: Layout, cameras: list[CameraSpec], used: set[Cell]) -> None:
    """Re-place pushed-out tiles in reading order; those with no room left become unplaced."""
    for cam in _in_reading_order(cameras):
        if not _auto_place(layout, cam, used):
            _unplace(cam)


def _checked(layout: Layout) -> Layout:
    return parse_view(view_dict(layout), layout)
