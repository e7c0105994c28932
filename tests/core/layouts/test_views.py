"""Views: the version 1 to 2 migration, version 2 checks, showing views and the undoable view edits."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from monitor_app.core.layouts.arrange import move_camera, unplace_camera
from monitor_app.core.layouts.edits import remove_camera
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.migrations import v1_to_v2
from monitor_app.core.layouts.model import layout_to_dict, parse_layout
from monitor_app.core.layouts.views import (
    add_view,
    current_view,
    delete_view,
    duplicate_view,
    move_view,
    rename_view,
    set_pinned,
    set_tour,
    show_view,
    views_of,
)
from monitor_app.core.resources import resource_path

CONNECTIONS = [{"id": "hub", "kind": "hub", "endpoint": "tcp://*:5555"}]


def _v1(*cameras: dict[str, Any], title: str = "Wall") -> dict[str, Any]:
    return {
        "schema_version": 1,
        "title": title,
        "grid": {"rows": 2, "columns": 2},
        "connections": CONNECTIONS,
        "cameras": list(cameras),
    }


def _v2(*views: dict[str, Any], cameras: tuple[str, ...] = ("a", "b", "c")) -> dict[str, Any]:
    return {
        "schema_version": 2,
        "title": "Site",
        "connections": CONNECTIONS,
        "cameras": [{"id": c, "title": c.upper(), "connection": "hub", "name": c} for c in cameras],
        "views": list(views),
    }


def _view(title: str, *tiles: dict[str, Any], rows: int = 2, columns: int = 2) -> dict[str, Any]:
    return {"title": title, "grid": {"rows": rows, "columns": columns}, "tiles": list(tiles)}


MIGRATIONS = [
    (
        "placed, spanned and unplaced cameras",
        _v1(
            {"id": "a", "title": "A", "connection": "hub", "name": "a", "cell": [0, 0], "span": [1, 2]},
            {"id": "b", "title": "B", "connection": "hub", "name": "b", "cell": None},
            {"id": "c", "title": "C", "connection": "hub", "name": "c"},
        ),
        {
            "cameras": [
                {"id": "a", "title": "A", "connection": "hub", "name": "a"},
                {"id": "b", "title": "B", "connection": "hub", "name": "b"},
                {"id": "c", "title": "C", "connection": "hub", "name": "c"},
            ],
            "views": [
                {
                    "title": "Wall",
                    "grid": {"rows": 2, "columns": 2},
                    "tiles": [{"camera": "a", "cell": [0, 0], "span": [1, 2]}, {"camera": "c"}],
                }
            ],
        },
    ),
    (
        "no title: the view is called Main",
        _v1(title=""),
        {"cameras": [], "views": [{"title": "Main", "grid": {"rows": 2, "columns": 2}, "tiles": []}]},
    ),
    (
        "garbage is carried over for the checks to name",
        {"schema_version": 1, "title": "x", "cameras": [7], "grid": "big"},
        {"cameras": [7], "views": [{"title": "x", "grid": "big", "tiles": []}]},
    ),
]


@pytest.mark.parametrize(("document", "expected"), [m[1:] for m in MIGRATIONS], ids=[m[0] for m in MIGRATIONS])
def test_version_1_migrates_dict_to_dict(document: dict[str, Any], expected: dict[str, Any]) -> None:
    before = copy.deepcopy(document)
    migrated = v1_to_v2(document)
    assert document == before  # pure: the caller's document is untouched
    assert {k: migrated[k] for k in expected} == expected
    assert "grid" not in migrated


@pytest.mark.parametrize(
    ("camera", "path"),
    [
        ({"id": "b", "title": "B", "connection": "hub", "name": "b", "cell": [5, 0]}, "$.cameras[1].cell"),
        ({"id": "b", "title": "B", "connection": "hub", "name": "b", "cell": "x"}, "$.cameras[1].cell"),
        ({"id": "b", "title": "B", "connection": "hub", "name": "b", "cell": [0, 0]}, "$.cameras[1].cell"),
        ({"id": "b", "title": "B", "connection": "nope", "name": "b", "cell": [1, 1]}, "$.cameras[1].connection"),
        ({"id": "b", "title": "B", "connection": "hub", "name": "b", "zoom": 2}, "$.cameras[1].zoom"),
    ],
)
def test_a_version_1_file_is_told_its_problems_by_its_own_paths(camera: dict[str, Any], path: str) -> None:
    first = {"id": "a", "title": "A", "connection": "hub", "name": "a", "cell": [0, 0]}
    with pytest.raises(LayoutError) as caught:
        parse_layout(_v1(first, camera))
    assert [p.path for p in caught.value.problems] == [path]


def test_a_version_1_grid_problem_names_the_grid() -> None:
    document = _v1()
    document["grid"] = {"rows": 0, "columns": 2}
    with pytest.raises(LayoutError) as caught:
        parse_layout(document)
    assert [p.path for p in caught.value.problems] == ["$.grid.rows"]


@pytest.mark.parametrize(
    ("views", "path", "words"),
    [
        ([], "$.views", "at least one view"),
        ([_view("A", {"camera": "zz", "cell": [0, 0]})], "$.views[0].tiles[0].camera", "no camera"),
        (
            [_view("A", {"camera": "a", "cell": [0, 0]}, {"camera": "a", "cell": [1, 1]})],
            "$.views[0].tiles[1].camera",
            "already",
        ),
        (
            [_view("A"), _view("B", {"camera": "b", "cell": [0, 0]}, {"camera": "a", "cell": [0, 0]})],
            "$.views[1].tiles[1].cell",
            "holds B",
        ),
        ([_view("A"), _view("A")], "$.views[1].title", "another view"),
        ([{**_view("A"), "tour": {"seconds": 0}}], "$.views[0].tour.seconds", "between 1 and 600"),
        ([_view("A", {"camera": "a", "cell": [0, 0], "pinned": "yes"})], "$.views[0].tiles[0].pinned", "true or false"),
    ],
)
def test_version_2_problems_name_the_view_and_tile(views: list[dict[str, Any]], path: str, words: str) -> None:
    with pytest.raises(LayoutError) as caught:
        parse_layout(_v2(*views))
    assert [p.path for p in caught.value.problems] == [path]
    assert words in caught.value.problems[0].message


def test_a_camera_may_be_in_several_views_and_showing_one_projects_it() -> None:
    layout = parse_layout(
        _v2(
            _view("Front", {"camera": "a", "cell": [0, 0], "span": [2, 2]}),
            _view("All", {"camera": "a", "cell": [0, 0]}, {"camera": "b", "cell": [0, 1]}, rows=1),
        )
    )
    assert [(c.id, c.placed) for c in layout.cameras] == [("a", True), ("b", False), ("c", False)]
    assert (layout.rows, layout.cameras[0].row_span) == (2, 2)
    second = show_view(layout, 1)
    assert [(c.id, c.placed) for c in second.cameras] == [("a", True), ("b", True), ("c", False)]
    assert (second.rows, second.columns, second.cameras[0].row_span) == (1, 2, 1)
    assert layout.current_view == 0 and second.current_view == 1  # the argument is left alone
    assert show_view(second, 2).current_view == 0  # wraps round, as Ctrl+PgDn does


def test_an_edit_of_the_view_shown_keeps_the_other_views() -> None:
    layout = show_view(
        parse_layout(
            _v2(
                _view("Front", {"camera": "a", "cell": [0, 0]}, {"camera": "b", "cell": [0, 1]}),
                _view("Back", {"camera": "b", "cell": [0, 0]}, {"camera": "c", "cell": [1, 1]}),
            )
        ),
        1,
    )
    moved = move_camera(layout, "c", 0, 1)
    assert [v.title for v in views_of(moved)] == ["Front", "Back"]
    assert views_of(moved)[0] == views_of(layout)[0]
    assert views_of(moved)[1].tile("c").column == 1  # type: ignore[union-attr]
    # Leaving this view's wall leaves the camera in the layout and in the other view.
    gone_here = unplace_camera(moved, "b")
    assert [t.camera for t in views_of(gone_here)[0].tiles] == ["a", "b"]
    # Removing the camera from the layout removes it from every view.
    removed = remove_camera(moved, "b")
    assert [[t.camera for t in v.tiles] for v in views_of(removed)] == [["a"], ["c"]]


def test_view_edits_are_new_layouts_that_round_trip() -> None:
    layout = parse_layout(_v2(_view("Front", {"camera": "a", "cell": [0, 0]})))
    added = add_view(layout)
    assert [v.title for v in views_of(added)] == ["Front", "View 2"] and added.current_view == 1
    assert not any(c.placed for c in added.cameras)  # a new view starts empty
    duplicated = duplicate_view(layout)
    assert [v.title for v in views_of(duplicated)] == ["Front", "Front (copy)"]
    assert current_view(duplicated).tiles == views_of(layout)[0].tiles
    renamed = rename_view(duplicated, 1, "Gate")
    assert [v.title for v in views_of(renamed)] == ["Front", "Gate"]
    with pytest.raises(LayoutError, match="another view"):
        rename_view(renamed, 1, "Front")
    moved = move_view(renamed, 1, -1)
    assert [v.title for v in views_of(moved)] == ["Gate", "Front"] and current_view(moved).title == "Gate"
    deleted = delete_view(moved, 0)
    assert [v.title for v in views_of(deleted)] == ["Front"] and deleted.current_view == 0
    with pytest.raises(LayoutError, match="at least one view"):
        delete_view(deleted, 0)
    toured = set_pinned(set_tour(set_tour(moved, 8), 3, view=1), "a", True)
    with pytest.raises(LayoutError, match="between 1 and 600"):
        set_tour(moved, 601)
    text = json.dumps(layout_to_dict(toured))
    again = parse_layout(json.loads(text))
    assert layout_to_dict(again) == layout_to_dict(show_view(toured, 0))
    assert again.tour_seconds == 8 and views_of(again)[1].tour_seconds == 3
    assert views_of(again)[0].tiles[0].pinned


def test_the_shipped_version_2_example_validates_with_its_views() -> None:
    layout = parse_layout(json.loads(resource_path("example_views_layout.json").read_text()))
    assert [v.title for v in layout.views] == ["Overview", "Lab"]
    assert layout.tour_seconds == 20 and layout.views[1].tour_seconds == 5
    assert [t.camera for t in layout.views[1].tiles if t.pinned] == ["driveway"]


def test_zoom_is_kept_per_tile_of_each_view_through_edits_and_the_file() -> None:
    from monitor_app.core.layouts.zoom import Zoom

    layout = parse_layout(
        _v2(
            _view("Front", {"camera": "a", "cell": [0, 0], "zoom": {"factor": 2, "center": [0.25, 0.5]}}),
            _view("Back", {"camera": "a", "cell": [1, 1]}),
        )
    )
    assert layout.cameras[0].zoom == Zoom(2, 0.25, 0.5)
    moved = move_camera(layout, "a", 1, 0)  # an edit through the version 1 working form keeps it
    assert moved.cameras[0].zoom == Zoom(2, 0.25, 0.5)
    back = show_view(moved, 1)
    assert back.cameras[0].zoom is None  # the other view's tile is not zoomed
    again = parse_layout(json.loads(json.dumps(layout_to_dict(back))))
    assert again.cameras[0].zoom == Zoom(2, 0.25, 0.5) and views_of(again)[1].tiles[0].zoom is None
    with pytest.raises(LayoutError) as caught:
        parse_layout(_v2(_view("Front", {"camera": "a", "cell": [0, 0], "zoom": {"factor": 20}})))
    assert caught.value.problems[0].path.startswith("$.views[0].tiles[0].zoom")
