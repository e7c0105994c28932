"""Cameras that appear by themselves line up in natural order; one the user hid stays hidden."""

from __future__ import annotations

import pytest

from monitor_app.core.layouts.adhoc import DiscoveredCameras, add_discovered_camera, hide_camera
from monitor_app.core.layouts.arrange import natural_key
from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout, layout_to_dict, parse_layout
from tests.core.layouts.walls import picture


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["cam-10", "cam-2", "cam-1"], ["cam-1", "cam-2", "cam-10"]),
        (["cam-05", "cam-10", "cam-01", "cam-02"], ["cam-01", "cam-02", "cam-05", "cam-10"]),
        (["Garage", "attic", "Bench"], ["attic", "Bench", "Garage"]),
        (["pi2 cam10", "pi10 cam1", "pi2 cam9"], ["pi2 cam9", "pi2 cam10", "pi10 cam1"]),
        (["b", "a10", "a9", ""], ["", "a9", "a10", "b"]),
        (["cam-1", "Cam-1", "cam-01"], ["Cam-1", "cam-01", "cam-1"]),  # equal counts: a stable, total order
    ],
)
def test_natural_key_counts_digits_as_numbers_and_ignores_case(names: list[str], expected: list[str]) -> None:
    assert sorted(names, key=natural_key) == expected


def _hub_wall(rows: int = 1, columns: int = 1) -> Layout:
    return Layout(
        rows,
        columns,
        connections=[
            ConnectionSpec("hub", "hub", {"endpoint": ":5555"}, auto_add_cameras=True),
            ConnectionSpec("lab", "sub", {"endpoints": ["tcp://lab:5556"]}, auto_add_cameras=True),
        ],
    )


def _discover(layout: Layout, seen: DiscoveredCameras, connection: str, *names: str) -> None:
    for name in names:
        cam = add_discovered_camera(layout, connection, name, movable=seen)
        assert cam is not None
        seen.added(cam.id, 0.0)


def test_scrambled_arrivals_end_in_natural_order() -> None:
    layout, seen = _hub_wall(), DiscoveredCameras()
    _discover(layout, seen, "hub", "cam-10", "cam-02", "cam-05", "cam-01")
    assert picture(layout) == "cam-01 cam-02 / cam-05 cam-10"
    assert layout_to_dict(parse_layout(layout_to_dict(layout))) == layout_to_dict(layout)


def test_only_the_connections_own_discovered_tiles_move() -> None:
    layout, seen = _hub_wall(2, 3), DiscoveredCameras()
    layout.cameras.append(CameraSpec("door", "hub", name="cam-3", row=0, column=0))  # placed by the user
    _discover(layout, seen, "hub", "cam-5")
    _discover(layout, seen, "lab", "bench-9")
    _discover(layout, seen, "hub", "cam-1")
    _discover(layout, seen, "lab", "bench-1")
    # cam-1 takes cam-5's cell, cam-5 the next free one; the user's camera and lab's order their own.
    assert picture(layout) == "door cam-1 bench-1 / cam-5 bench-9 ."


def test_without_movable_cameras_a_new_name_takes_the_first_free_cell() -> None:
    layout = _hub_wall(1, 3)
    for name in ("cam-10", "cam-2"):
        add_discovered_camera(layout, "hub", name)
    assert picture(layout) == "cam-10 cam-2 ."


def test_a_hidden_camera_does_not_come_back() -> None:
    layout, seen = _hub_wall(1, 2), DiscoveredCameras()
    _discover(layout, seen, "hub", "cam-1", "cam-2")
    hidden = hide_camera(layout, "cam-1")
    seen.edited(layout, hidden)  # the user's edit: cam-1 is no longer the app's to move or forget
    assert "cam-1" not in seen and "cam-2" in seen
    assert [c.id for c in hidden.unplaced_cameras()] == ["cam-1"] and picture(hidden) == ". cam-2"
    assert add_discovered_camera(hidden, "hub", "cam-1", movable=seen) is None
    assert [c.id for c in hidden.cameras] == ["cam-1", "cam-2"]


def test_unplaced_cameras_leave_room_for_new_ones() -> None:
    layout = _hub_wall(1, 1)
    layout.cameras.append(CameraSpec("old", "hub", name="old", placed=False))
    cam = add_discovered_camera(layout, "hub", "new")
    assert cam is not None and (layout.rows, layout.columns) == (1, 1) and picture(layout) == "new"
