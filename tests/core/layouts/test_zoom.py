"""Digital zoom as data: the region math of the wheel and the drag, and the layout file's ``zoom`` field."""

from __future__ import annotations

import dataclasses

import pytest

from monitor_app.core.layouts.edits import with_zooms
from monitor_app.core.layouts.spec import CameraSpec, ConnectionSpec, Layout
from monitor_app.core.layouts.zoom import (
    MAX_FACTOR,
    Zoom,
    clamped,
    pan,
    region_of,
    zoom_at,
    zoom_from_json,
    zoom_to_json,
)
from monitor_app.core.sources.region import FULL, Region


def picture_point(zoom: Zoom | None, point: tuple[float, float]) -> tuple[float, float]:
    """The place of the picture at ``point`` of the view."""
    view = region_of(zoom)
    return view.x + point[0] * view.width, view.y + point[1] * view.height


@pytest.mark.parametrize("point", [(0.5, 0.5), (0.3, 0.6), (0.7, 0.4), (0.45, 0.55)])
@pytest.mark.parametrize("start", [None, Zoom(2.0, 0.5, 0.5), Zoom(3.0, 0.4, 0.6)])
def test_zooming_around_the_cursor_keeps_the_point_under_it(start: Zoom | None, point: tuple[float, float]) -> None:
    before = picture_point(start, point)
    factor = (start.factor if start else 1.0) * 1.25
    zoomed = zoom_at(start, point, factor)
    assert zoomed is not None and zoomed.factor == pytest.approx(factor)
    assert picture_point(zoomed, point) == pytest.approx(before)


def test_zoom_is_bounded_from_1x_to_8x() -> None:
    assert zoom_at(Zoom(7.0), (0.5, 0.5), 100.0) == Zoom(MAX_FACTOR, 0.5, 0.5)
    assert zoom_at(Zoom(2.0, 0.3, 0.3), (0.5, 0.5), 0.5) is None  # at 1x: no zoom at all
    assert zoom_at(None, (0.2, 0.2), 1.0) is None
    assert Zoom(40.0).region().width == pytest.approx(1 / 8)  # a hand-made factor is bounded too


def test_the_view_stays_inside_the_picture_at_the_edges() -> None:
    corner = zoom_at(None, (0.0, 1.0), 4.0)  # the bottom-left corner: it stays there
    assert corner is not None and corner.region() == Region(0.0, 0.75, 0.25, 0.25)
    assert clamped(2.0, -1.0, 5.0) == Zoom(2.0, 0.25, 0.75)
    assert Zoom(2.0, 0.05, 0.95).region() == Region(0.0, 0.5, 0.5, 0.5)
    # Zooming out near an edge slides the view back inside rather than showing beyond the picture.
    out = zoom_at(Zoom(8.0, 0.9375, 0.5), (1.0, 0.5), 2.0)
    assert out is not None
    region = out.region()
    assert region.x + region.width == pytest.approx(1.0) and region.width == pytest.approx(0.5)


def test_the_picture_follows_the_drag_and_stops_at_the_edge() -> None:
    zoom = Zoom(4.0, 0.5, 0.5)
    moved = pan(zoom, 0.5, 0.0)  # half a view to the right: the picture's left part comes in
    assert moved == Zoom(4.0, 0.5 - 0.5 / 4, 0.5)
    assert pan(zoom, 10.0, -10.0) == Zoom(4.0, 0.125, 0.875)  # as far as the picture goes
    assert pan(None, 0.3, 0.3) is None


def test_a_zoom_reads_back_from_its_json() -> None:
    zoom = Zoom(2.5, 0.4, 0.6)
    assert zoom_to_json(zoom) == {"factor": 2.5, "center": [0.4, 0.6]}
    assert zoom_from_json(zoom_to_json(zoom), "$.cameras[0].zoom") == (zoom, [])
    assert zoom_from_json(None, "$.cameras[0].zoom") == (None, [])
    assert zoom_from_json({"factor": 1}, "$.cameras[0].zoom") == (None, [])  # 1x is no zoom
    read, problems = zoom_from_json({"factor": 4, "center": [0.0, 1.0]}, "$.z")
    assert read == Zoom(4.0, 0.125, 0.875) and not problems  # moved inside, as the wheel would


@pytest.mark.parametrize(
    ("value", "path", "words"),
    [
        ({"factor": 9, "center": [0.5, 0.5]}, "$.cameras[2].zoom.factor", "from 1 to 8, not 9"),
        ({"factor": 0.5}, "$.cameras[2].zoom.factor", "from 1 to 8"),
        ({"factor": "2"}, "$.cameras[2].zoom.factor", "not a string"),
        ({"factor": True}, "$.cameras[2].zoom.factor", "not true/false"),
        ({"center": [0.5, 0.5]}, "$.cameras[2].zoom.factor", "not null"),
        ({"factor": 2, "center": [0.5, 1.5]}, "$.cameras[2].zoom.center", "from 0 to 1"),
        ({"factor": 2, "center": [0.5]}, "$.cameras[2].zoom.center", "[x, y]"),
        ({"factor": 2, "centre": [0.5, 0.5]}, "$.cameras[2].zoom.centre", "is not a known field"),
        (3, "$.cameras[2].zoom", "must be an object"),
    ],
)
def test_a_bad_zoom_is_refused_naming_the_field(value: object, path: str, words: str) -> None:
    zoom, problems = zoom_from_json(value, "$.cameras[2].zoom")
    assert zoom is None
    assert [p.path for p in problems] == [path]
    assert words in problems[0].message


def test_with_zooms_changes_only_those_cameras_and_leaves_the_layout_alone_otherwise() -> None:
    layout = Layout(rows=1, columns=2)
    layout.connections.append(ConnectionSpec("p", "pattern"))
    layout.cameras += [CameraSpec("a", "p"), CameraSpec("b", "p", name="b", column=1)]
    assert with_zooms(layout, {"a": None}) is layout
    zoomed = with_zooms(layout, {"a": Zoom(2.0), "gone": Zoom(3.0)})
    assert [c.zoom for c in zoomed.cameras] == [Zoom(2.0), None]
    assert layout.cameras[0].zoom is None  # a new layout: the undo history's snapshots stay as they were
    assert dataclasses.replace(zoomed.cameras[0], zoom=None) == layout.cameras[0]
    assert region_of(None) is FULL
