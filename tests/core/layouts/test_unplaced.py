"""Unplaced cameras ("cell": null): in the layout and running, without a tile or a cell."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from monitor_app.core.layouts.arrange import move_camera, unplace_camera
from monitor_app.core.layouts.diff import diff_layouts
from monitor_app.core.layouts.edits import apply_camera_form, form_for_camera
from monitor_app.core.layouts.files import format_layout, read_layout, write_layout
from monitor_app.core.layouts.model import CameraSpec, parse_layout, view_dict
from tests.core.layouts.walls import picture, wall


def _document(*cameras: dict[str, Any], rows: int = 1, columns: int = 2) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "title": "",
        "grid": {"rows": rows, "columns": columns},
        "connections": [{"id": "hub", "kind": "hub", "endpoint": ":5555", "auto_add_cameras": True}],
        "cameras": list(cameras),
    }


def test_cell_null_round_trips_through_the_file(tmp_path: Path) -> None:
    doc = _document(
        {"id": "a", "title": "A", "connection": "hub", "name": "a", "cell": [0, 0]},
        {"id": "b", "title": "B", "connection": "hub", "name": "b", "cell": None, "span": [2, 2]},
    )
    layout = parse_layout(doc)
    assert [c.id for c in layout.placed_cameras()] == ["a"]
    assert [(c.id, c.row_span, c.column_span) for c in layout.unplaced_cameras()] == [("b", 2, 2)]
    assert view_dict(layout) == doc  # the wall's edits see the version 1 shape
    path = tmp_path / "wall.json"
    write_layout(layout, path)
    saved = json.loads(path.read_text())
    assert [c["id"] for c in saved["cameras"]] == ["a", "b"]  # still in the layout ...
    assert [t["camera"] for t in saved["views"][0]["tiles"]] == ["a"]  # ... without a tile
    assert [c.id for c in read_layout(path).unplaced_cameras()] == ["b"]
    assert format_layout(read_layout(path)) == path.read_text()


@pytest.mark.parametrize(
    ("cameras", "expected"),
    [
        # An unplaced camera takes no cell: the others may use any, and a missing cell still means the first free.
        ([{"cell": None}, {"cell": [0, 0]}, {}], [(False, 0, 0), (True, 0, 0), (True, 0, 1)]),
        ([{"cell": None, "span": [9, 9]}, {"cell": [0, 1]}], [(False, 0, 0), (True, 0, 1)]),  # its span is not checked
        ([{"cell": [0, 0]}, {"cell": [0, 1]}, {"cell": None}], [(True, 0, 0), (True, 0, 1), (False, 0, 0)]),  # full
    ],
)
def test_unplaced_cameras_take_no_cell(cameras: list[dict[str, Any]], expected: list[tuple[bool, int, int]]) -> None:
    items = [{"id": f"c{n}", "title": "", "connection": "hub", "name": f"c{n}", **cam} for n, cam in enumerate(cameras)]
    layout = parse_layout(_document(*items))
    assert [(c.placed, c.row, c.column) for c in layout.cameras] == expected


def test_free_cell_and_cells_ignore_unplaced_cameras() -> None:
    layout = wall("a .", "b")
    assert layout.free_cell() == (0, 1)
    assert layout.used_cells() == {(0, 0)}
    assert CameraSpec("x", "hub", row=3, column=3, placed=False).cells() == set()


def test_a_change_of_placement_alone_keeps_every_connection_and_feed() -> None:
    layout = wall("a b / c d")
    for new in (unplace_camera(layout, "b"), move_camera(unplace_camera(layout, "b"), "b", 1, 1)):
        diff = diff_layouts(layout, new)
        assert diff.stop == () and diff.start == () and diff.remove_feeds == () and diff.add_feeds == ()
        assert set(diff.keep_feeds) == {"a", "b", "c", "d"}
    # Unplaced cameras are cameras with feeds: a fresh start opens them too.
    assert {c.id for c in diff_layouts(None, unplace_camera(layout, "b")).add_feeds} == {"a", "b", "c", "d"}


def test_editing_an_unplaced_camera_keeps_it_in_the_camera_list() -> None:
    layout = wall("a b", "c")
    form = form_for_camera(layout, "c")
    assert not form.placed
    edited = apply_camera_form(layout, replace(form, title="Porch"), "c")
    assert [(c.id, c.title, c.placed) for c in edited.unplaced_cameras()] == [("c", "Porch", False)]
    assert picture(edited) == "a b"
