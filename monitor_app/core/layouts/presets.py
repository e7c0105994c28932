"""Ready-made walls: a grid and its tiles (slots), filled with the cameras in reading order.

The big tiles come first in ``slots``, so the first camera (the top-left one) gets the big view.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from monitor_app.core.layouts.model import Layout, parse_view, view_dict

TIMES = "\u00d7"
"""The multiplication sign of the labels: "2", sign, "2"."""

Slot = tuple[int, int, int, int]
"""(row, column, row_span, column_span)."""


@dataclass(frozen=True)
class Preset:
    """One ready-made wall: ``slots`` in the order cameras fill them."""

    name: str
    label: str
    rows: int
    columns: int
    slots: tuple[Slot, ...]


def _preset(name: str, label: str, size: int, big: tuple[Slot, ...] = ()) -> Preset:
    """A ``size`` x ``size`` wall: the ``big`` tiles, then a single tile on every cell they leave."""
    covered = {(r, c) for row, col, rs, cs in big for r in range(row, row + rs) for c in range(col, col + cs)}
    singles = tuple((r, c, 1, 1) for r in range(size) for c in range(size) if (r, c) not in covered)
    return Preset(name, label, size, size, big + singles)


PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        _preset("1", f"1{TIMES}1", 1),
        *(_preset(f"{n}x{n}", f"{n}{TIMES}{n}", n) for n in (2, 3, 4, 5, 6, 8)),
        _preset("1+5", "1 + 5", 3, ((0, 0, 2, 2),)),
        _preset("1+7", "1 + 7", 4, ((0, 0, 3, 3),)),
        _preset("1+12", "1 + 12", 4, ((1, 1, 2, 2),)),
        _preset("2+8", "2 + 8", 4, ((0, 0, 2, 2), (0, 2, 2, 2))),
    )
}
"""Every preset, in the order the UI lists them."""


def apply_preset(layout: Layout, name: str) -> tuple[Layout, list[str]]:
    """The wall as preset ``name`` (a key of ``PRESETS``) arranges it; the ids made unplaced.

    The placed cameras, in reading order of their cells, fill the slots in order; those beyond
    the last slot go to the camera list, and the unplaced ones stay there.
    """
    preset = PRESETS[name]
    new = copy.deepcopy(layout)
    new.rows, new.columns = preset.rows, preset.columns
    placed = sorted(new.placed_cameras(), key=lambda c: (c.row, c.column))
    for cam, (row, column, row_span, column_span) in zip(placed, preset.slots, strict=False):
        cam.row, cam.column, cam.row_span, cam.column_span = row, column, row_span, column_span
    beyond = placed[len(preset.slots) :]
    for cam in beyond:
        cam.placed, cam.row, cam.column = False, 0, 0
    return parse_view(view_dict(new), new), [cam.id for cam in beyond]
