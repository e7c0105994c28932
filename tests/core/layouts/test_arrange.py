"""Arranging the wall by hand: each edit drawn as the wall before and after (see walls.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from monitor_app.core.layouts.arrange import (
    cameras_outside,
    move_camera,
    neighbour,
    place_camera,
    reading_order,
    resize_keeping,
    set_span,
    swap_cameras,
    unplace_camera,
)
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.model import MAX_GRID, CameraSpec, Layout
from tests.core.layouts.walls import picture, unplaced, wall

Edit = Callable[[Layout], Layout]

EDITS: list[tuple[str, str, str, Edit, str, str]] = [
    # (what, before, unplaced before, edit, after, unplaced after)
    ("move to a free cell", "a . / . .", "", lambda w: move_camera(w, "a", 1, 1), ". . / . a", ""),
    ("move onto a tile swaps", "a b / c d", "", lambda w: move_camera(w, "a", 0, 1), "b a / c d", ""),
    (
        "a span travels with its tile",
        "a a . / a a . / . . .",
        "",
        lambda w: move_camera(w, "a", 1, 1),
        ". . . / . a a / . a a",
        "",
    ),
    ("a span is clipped to the grid", "a a / . .", "", lambda w: move_camera(w, "a", 1, 1), ". . / . a", ""),
    ("the one dropped on swaps when its span fits", "a b b", "", lambda w: move_camera(w, "a", 0, 2), "b b a", ""),
    (
        "else it goes to the first free area for its span",
        "a b b / . . .",
        "",
        lambda w: move_camera(w, "a", 0, 1),
        ". a . / b b .",
        "",
    ),
    (
        "several tiles dropped on go to free cells in reading order",
        "a a b / a a c / . . .",
        "",
        lambda w: move_camera(w, "a", 0, 1),
        "b a a / c a a / . . .",
        "",
    ),
    ("from the camera list onto a full wall", "a b / c d", "e", lambda w: move_camera(w, "e", 0, 1), "a e / c d", "b"),
    ("from the camera list to a free cell", ". b", "a", lambda w: move_camera(w, "a", 0, 0), "a b", ""),
    ("swap single tiles", "a b / c d", "", lambda w: swap_cameras(w, "a", "d"), "d b / c a", ""),
    (
        "swap spans whole",
        "a a b b / a a b b / . . . .",
        "",
        lambda w: swap_cameras(w, "a", "b"),
        "b b a a / b b a a / . . . .",
        "",
    ),
    ("a span cut to the other's spot", "a a b / a a c", "", lambda w: swap_cameras(w, "a", "b"), "b . a / . . c", ""),
    (
        "a span cut where it would cover the other's spot",
        "b a a / . a a",
        "",
        lambda w: swap_cameras(w, "a", "b"),
        "a b . / a . .",
        "",
    ),
    ("swap with the camera list", "a b", "c", lambda w: swap_cameras(w, "c", "b"), "a c", "b"),
    ("swap a tile with itself", "a b", "", lambda w: swap_cameras(w, "a", "a"), "a b", ""),
    (
        "a span pushes a neighbour to a free cell",
        "a b . / . . .",
        "",
        lambda w: set_span(w, "a", 1, 2),
        "a a b / . . .",
        "",
    ),
    (
        "a pushed tile keeps its span where it fits",
        "a b b . / . b b . / . . . .",
        "",
        lambda w: set_span(w, "a", 1, 2),
        "a a b b / . . b b / . . . .",
        "",
    ),
    ("else it shrinks to 1x1", "a b b / . b b", "", lambda w: set_span(w, "a", 2, 2), "a a b / a a .", ""),
    ("else it goes to the camera list", "a b / c d", "", lambda w: set_span(w, "a", 2, 2), "a a / a a", "bcd"),
    ("a span is clipped to the grid", "a .", "", lambda w: set_span(w, "a", 5, 5), "a a", ""),
    ("a span shrinks", "a a / a a", "", lambda w: set_span(w, "a", 1, 1), "a . / . .", ""),
    ("unplace", "a b", "", lambda w: unplace_camera(w, "a"), ". b", "a"),
    (
        "place in the first area for its span",
        ". . / c .",
        "b",
        lambda w: place_camera(set_span(w, "b", 1, 2), "b"),
        "b b / c .",
        "",
    ),
    (
        "place by itself: a free cell as 1x1 when its span fits nowhere",
        ". b / c .",
        "",
        lambda w: place_camera(set_span(unplace_camera(w, "b"), "b", 2, 2), "b"),
        "b . / c .",
        "",
    ),
    ("place on a full grid grows it", "b c / d e", "a", lambda w: place_camera(w, "a"), "b c a / d e .", ""),
    ("place on a cell", ". b / . .", "a", lambda w: place_camera(w, "a", 1, 0), ". b / a .", ""),
    ("place a placed camera: it stays", "a b", "", lambda w: place_camera(w, "a"), "a b", ""),
]


@pytest.mark.parametrize(
    ("before", "was_unplaced", "edit", "after", "now_unplaced"),
    [case[1:] for case in EDITS],
    ids=[case[0] for case in EDITS],
)
def test_each_edit_draws_the_expected_wall(
    before: str, was_unplaced: str, edit: Edit, after: str, now_unplaced: str
) -> None:
    layout = wall(before, was_unplaced)
    edited = edit(layout)
    assert (picture(edited), unplaced(edited)) == (after, now_unplaced)
    assert sorted(c.id for c in edited.cameras) == sorted(c.id for c in layout.cameras)
    assert picture(layout) == " / ".join(" ".join(row.split()) for row in before.split("/"))  # never in place


def test_an_unplaced_camera_keeps_its_span_for_when_it_is_placed_again() -> None:
    hidden = unplace_camera(wall("a a / . ."), "a")
    assert (hidden.cameras[0].row_span, hidden.cameras[0].column_span) == (1, 2)
    assert picture(place_camera(hidden, "a")) == "a a / . ."


RESIZES = [
    # (before, unplaced before, rows, columns, after, made unplaced)
    ("a b c / d e f", "", 2, 2, "a b / d e", ["c", "f"]),
    ("a . c / . . .", "", 2, 2, "a c / . .", []),
    ("a a a / . . .", "", 1, 2, "a a", []),
    ("a b", "", 2, 3, "a b . / . . .", []),
    ("a b / c .", "d", 1, 1, "a", ["b", "c"]),
    ("a . / . b", "", 1, 1, "a", ["b"]),
]


@pytest.mark.parametrize(("before", "was_unplaced", "rows", "columns", "after", "made"), RESIZES)
def test_resize_keeping_re_places_what_no_longer_fits_and_names_what_has_no_room(
    before: str, was_unplaced: str, rows: int, columns: int, after: str, made: list[str]
) -> None:
    layout = wall(before, was_unplaced)
    resized, unplaced_ids = resize_keeping(layout, rows, columns)
    assert (picture(resized), unplaced_ids) == (after, made)
    assert set(unplaced(resized)) == set(was_unplaced) | set(made)
    assert [c.id for c in cameras_outside(layout, rows, columns)] == made


@pytest.mark.parametrize(("rows", "columns"), [(0, 2), (2, MAX_GRID + 1)])
def test_a_grid_out_of_range_is_refused(rows: int, columns: int) -> None:
    with pytest.raises(LayoutError, match="between 1 and"):
        resize_keeping(wall("a"), rows, columns)


@pytest.mark.parametrize(
    ("edit", "path", "words"),
    [
        (lambda w: move_camera(w, "a", 2, 0), "$.cameras[0].cell", "cell 2,0 does not fit the 2x2 grid"),
        (lambda w: set_span(w, "a", 0, 1), "$.cameras[0].span", "must be at least 1x1, not 0x1"),
        (lambda w: move_camera(w, "zz", 0, 0), "$.cameras", "no camera has the id 'zz'"),
    ],
)
def test_impossible_edits_are_refused_in_words(edit: Edit, path: str, words: str) -> None:
    with pytest.raises(LayoutError) as caught:
        edit(wall("a . / . ."))
    assert [(p.path, p.message) for p in caught.value.problems] == [(path, words)]


def test_placing_on_the_largest_full_grid_is_refused() -> None:
    full = wall(" / ".join(["."] * MAX_GRID), "z")
    full.rows, full.columns = MAX_GRID, MAX_GRID
    full.cameras += [
        CameraSpec(f"c{n}", "hub", name=f"c{n}", row=n // MAX_GRID, column=n % MAX_GRID) for n in range(256)
    ]
    with pytest.raises(LayoutError) as caught:
        place_camera(full, "z")
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("$.cameras[0].cell", f"no free cell is left: the {MAX_GRID}x{MAX_GRID} grid is full")
    ]


NEIGHBOURS = [
    # (wall, from, direction, expected)
    ("a b c / d e f / g h i", "e", "left", "d"),
    ("a b c / d e f / g h i", "e", "right", "f"),
    ("a b c / d e f / g h i", "e", "up", "b"),
    ("a b c / d e f / g h i", "e", "down", "h"),
    ("a b c / d e f / g h i", "a", "left", None),
    ("a b c / d e f / g h i", "a", "up", None),
    ("a b c / d e f / g h i", "i", "right", None),
    ("a a b / a a c / d e f", "a", "right", "b"),
    ("a a b / a a c / d e f", "a", "down", "d"),
    ("a a b / a a c / d e f", "e", "up", "a"),
    ("a a b / a a c / d e f", "c", "left", "a"),
    ("a a b / a a c / d e f", "c", "down", "f"),
    ("a a b / a a c / d e f", "b", "right", None),
    ("a . . / . . b", "a", "right", "b"),  # nothing in its row: the nearest beyond
    ("a . c / . b .", "a", "right", "c"),  # one in its row comes before a nearer one below
]


@pytest.mark.parametrize(("drawing", "start", "direction", "expected"), NEIGHBOURS)
def test_arrow_keys_step_to_the_nearest_tile_that_way(
    drawing: str, start: str, direction: str, expected: str | None
) -> None:
    assert neighbour(wall(drawing), start, direction) == expected


def test_an_unplaced_camera_has_no_neighbours_and_no_place_in_reading_order() -> None:
    layout = wall("b a / . c", "d")
    assert neighbour(layout, "d", "right") is None
    assert reading_order(layout) == ["b", "a", "c"]
    assert reading_order(wall("a a b / a a c / d e .")) == ["a", "b", "c", "d", "e"]
