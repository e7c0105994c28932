"""Presets: each a whole, non-overlapping wall; applying one keeps every camera, big tile first."""

from __future__ import annotations

import pytest

from monitor_app.core.layouts.arrange import PRESETS, apply_preset
from monitor_app.core.layouts.model import MAX_GRID
from tests.core.layouts.walls import picture, unplaced, wall

SHAPES = [
    # (name, label, rows, columns, slots, first slot)
    ("1", "1\u00d71", 1, 1, 1, (0, 0, 1, 1)),
    ("2x2", "2\u00d72", 2, 2, 4, (0, 0, 1, 1)),
    ("3x3", "3\u00d73", 3, 3, 9, (0, 0, 1, 1)),
    ("4x4", "4\u00d74", 4, 4, 16, (0, 0, 1, 1)),
    ("5x5", "5\u00d75", 5, 5, 25, (0, 0, 1, 1)),
    ("6x6", "6\u00d76", 6, 6, 36, (0, 0, 1, 1)),
    ("8x8", "8\u00d78", 8, 8, 64, (0, 0, 1, 1)),
    ("1+5", "1 + 5", 3, 3, 6, (0, 0, 2, 2)),
    ("1+7", "1 + 7", 4, 4, 8, (0, 0, 3, 3)),
    ("1+12", "1 + 12", 4, 4, 13, (1, 1, 2, 2)),
    ("2+8", "2 + 8", 4, 4, 10, (0, 0, 2, 2)),
]


def test_presets_are_listed_in_display_order() -> None:
    assert list(PRESETS) == [shape[0] for shape in SHAPES]


@pytest.mark.parametrize(("name", "label", "rows", "columns", "slots", "first"), SHAPES)
def test_each_preset_tiles_its_whole_grid_once(
    name: str, label: str, rows: int, columns: int, slots: int, first: tuple[int, int, int, int]
) -> None:
    preset = PRESETS[name]
    assert (preset.name, preset.label, preset.rows, preset.columns) == (name, label, rows, columns)
    assert (len(preset.slots), preset.slots[0]) == (slots, first)
    covered = [(r, c) for row, col, rs, cs in preset.slots for r in range(row, row + rs) for c in range(col, col + cs)]
    assert sorted(covered) == [(r, c) for r in range(rows) for c in range(columns)]
    assert rows <= MAX_GRID and columns <= MAX_GRID


APPLIED = [
    # (name, before, unplaced before, after, made unplaced)
    ("1+5", "a b c / d e f / g h .", "", "a a b / a a c / d e f", ["g", "h"]),
    ("1+5", "b a", "", "b b a / b b . / . . .", []),  # the first camera in reading order gets the big tile
    ("1+12", "a b / c d", "z", "b c d . / . a a . / . a a . / . . . .", []),
    ("2+8", "a b c", "", "a a b b / a a b b / c . . . / . . . .", []),
    ("2x2", "a a b / a a c / d e f", "", "a b / c d", ["e", "f"]),
    ("1", "a b", "c", "a", ["b"]),
]


@pytest.mark.parametrize(("name", "before", "was_unplaced", "after", "made"), APPLIED)
def test_apply_preset_fills_the_slots_in_reading_order(
    name: str, before: str, was_unplaced: str, after: str, made: list[str]
) -> None:
    layout = wall(before, was_unplaced)
    arranged, unplaced_ids = apply_preset(layout, name)
    assert (picture(arranged), unplaced_ids) == (after, made)
    assert set(unplaced(arranged)) == set(was_unplaced) | set(made)
    assert sorted(c.id for c in arranged.cameras) == sorted(c.id for c in layout.cameras)
