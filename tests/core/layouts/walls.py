"""Walls drawn as text for the arrangement tests: one letter (a camera id) per cell, "." for a free cell.

``wall("a a b / a a c")`` is a 2x3 grid with a 2x2 tile ``a`` and two single tiles; ``picture``
draws a layout back the same way, so a test reads as before and after.
"""

from __future__ import annotations

from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout, layout_to_dict, parse_layout


def wall(drawing: str, unplaced: str = "") -> Layout:
    """A validated layout of ``drawing`` (rows split by "/"), each camera on one hub, plus ``unplaced`` ones."""
    rows = [line.split() for line in drawing.split("/")]
    cells: dict[str, list[tuple[int, int]]] = {}
    for r, line in enumerate(rows):
        for c, name in enumerate(line):
            if name != ".":
                cells.setdefault(name, []).append((r, c))
    cameras = []
    for name, covered in cells.items():
        row, column = min(r for r, _ in covered), min(c for _, c in covered)
        row_span, column_span = max(r for r, _ in covered) - row + 1, max(c for _, c in covered) - column + 1
        assert len(covered) == row_span * column_span, f"tile {name} is not a rectangle"
        cameras.append(CameraSpec(name, "hub", name=name, title=name.upper(), row=row, column=column,
                                  row_span=row_span, column_span=column_span))  # fmt: skip
    cameras += [CameraSpec(name, "hub", name=name, placed=False) for name in unplaced]
    layout = Layout(len(rows), len(rows[0]), "", [ConnectionSpec("hub", "hub", {"endpoint": ":5555"})], cameras)
    return parse_layout(layout_to_dict(layout))


def picture(layout: Layout) -> str:
    """``layout`` drawn as ``wall`` takes it (checking that no two tiles share a cell)."""
    grid = [["."] * layout.columns for _ in range(layout.rows)]
    for cam in layout.placed_cameras():
        for r, c in cam.cells():
            assert grid[r][c] == ".", f"{cam.id} overlaps {grid[r][c]}"
            grid[r][c] = cam.id
    return " / ".join(" ".join(line) for line in grid)


def unplaced(layout: Layout) -> str:
    return "".join(cam.id for cam in layout.unplaced_cameras())
