"""The camera form: where a new camera goes, and each problem put beside its field, in words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from monitor_app.core.layouts.edits import (
    CameraForm,
    apply_camera_form,
    form_for_camera,
    form_problems,
    proposed_cell,
)
from monitor_app.core.layouts.errors import LayoutError, Problem
from monitor_app.core.layouts.model import Layout
from tests.core.layouts.walls import picture, wall


def _new(layout: Layout, **changes: object) -> CameraForm:
    """The Add Camera form as the dialog proposes it, with ``changes`` the user made."""
    row, column = proposed_cell(layout)
    return replace(CameraForm(title="New", kind="url", address="rtsp://cam/new", row=row, column=column), **changes)


ADDED = [
    # (wall, form changes, wall after: "new" is the added camera)
    ("a b / c .", {}, "a b / c new"),
    ("a b / c d", {}, "a b new / c d ."),  # a full grid grows (columns first)
    ("a b / c d / e f", {}, "a b new / c d . / e f ."),  # kept near square
    ("a . / c .", {"row_span": 2}, "a new / c new"),
    ("a . / c .", {"column_span": 2}, "a new / c ."),  # its span fits nowhere: the proposed cell as 1x1
    ("a . . / . . .", {"row_span": 2, "column_span": 2}, "a new new / . new new"),
    ("a . / . .", {"row": 1, "column": 1}, "a . / . new"),  # a free cell the user chose
]


@pytest.mark.parametrize(("before", "changes", "after"), ADDED)
def test_a_new_camera_on_the_proposed_cell_goes_where_it_fits(before: str, changes: dict[str, int], after: str) -> None:
    layout = wall(before)
    added = apply_camera_form(layout, _new(layout, **changes))
    assert picture(added) == after


REFUSED = [
    # (wall, form changes, {field: message})
    ("a b / c .", {"row": 0, "column": 1}, {"cell": "cell 0,1 holds B"}),  # chosen, not proposed: refused
    ("a b / c d", {"row": 1, "column": 1, "title": "Porch"}, {"cell": "cell 1,1 holds D"}),
    ("a . / . .", {"row": 5, "column": 1}, {"cell": "cell 5,1 does not fit the 2x2 grid"}),
    ("a . / . .", {"row": 1, "column": 1, "row_span": 2}, {"cell": "a 2x1 tile at cell 1,1 does not fit the 2x2 grid"}),
    ("a .", {"address": ""}, {"address": "must not be empty"}),
    ("a .", {"settings": {"transport": "pigeon"}}, {"transport": "must be one of auto, tcp, udp, not 'pigeon'"}),
    ("a .", {"kind": "hub", "address": ":5555", "name": "a"}, {"name": "another camera already shows 'a' of 'hub'"}),
]


@pytest.mark.parametrize(("before", "changes", "expected"), REFUSED)
def test_a_refused_new_camera_names_each_problem_by_its_form_field(
    before: str, changes: dict[str, object], expected: dict[str, str]
) -> None:
    layout = wall(before)
    with pytest.raises(LayoutError) as caught:
        apply_camera_form(layout, _new(layout, **changes))
    assert form_problems(caught.value, layout) == expected
    assert all(p.path.startswith("$.") for p in caught.value.problems)  # the JSON path stays, for the log


def test_an_edited_camera_keeps_its_cell_even_when_taken() -> None:
    layout = wall("a b / c d")
    form = replace(form_for_camera(layout, "b"), row=proposed_cell(layout)[0], column=proposed_cell(layout)[1])
    with pytest.raises(LayoutError) as caught:
        apply_camera_form(layout, form, "b")
    assert form_problems(caught.value, layout) == {"cell": "cell 0,0 holds A"}
    assert [str(p) for p in caught.value.problems] == ["$.cameras[3].cell: cell 0,0 holds A"]


def test_problems_outside_the_form_are_kept_under_the_empty_key() -> None:
    layout = wall("a b")  # the form's camera is the last of the document: index 1 (an edit) or 2 (an addition)
    problems = [Problem("$.cameras[0].cell", "cell 0,0 holds X"), Problem("$.grid.rows", "must be a number")]
    problems += [Problem("$.cameras[2].title", "must be a string"), Problem("$.cameras[2].id", "is used")]
    assert form_problems(LayoutError(problems), layout) == {
        "": "cell 0,0 holds X; must be a number; is used",
        "title": "must be a string",
    }
