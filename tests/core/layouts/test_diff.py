"""The diff between two layouts: which connections restart, which run on, which feeds survive."""

from __future__ import annotations

from dataclasses import replace

from monitor_app.core.layouts.diff import diff_layouts
from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout


def wall() -> Layout:
    return Layout(
        rows=2,
        columns=2,
        connections=[
            ConnectionSpec("hub", "hub", {"endpoint": ":5555"}, auto_add_cameras=True),
            ConnectionSpec("door", "url", {"url": "rtsp://cam/door"}),
            ConnectionSpec("test", "pattern", {"fps": 10}),
        ],
        cameras=[
            CameraSpec("garage", "hub", name="garage", title="Garage"),
            CameraSpec("porch", "hub", name="porch", row=0, column=1),
            CameraSpec("door", "door", title="Front door", row=1, column=0),
            CameraSpec("test", "test", row=1, column=1),
        ],
    )


def test_the_first_layout_starts_everything_in_order() -> None:
    diff = diff_layouts(None, wall())
    assert diff.stop == () and diff.remove_feeds == () and diff.keep == () and diff.keep_feeds == ()
    assert [(s.spec.id, s.title) for s in diff.start] == [("hub", "Garage"), ("door", "Front door"), ("test", "test")]
    assert [c.id for c in diff.add_feeds] == ["garage", "porch", "door", "test"]


def test_moving_and_retitling_cameras_restarts_nothing_and_keeps_every_feed() -> None:
    old = wall()
    new = wall()
    new.cameras[0] = replace(new.cameras[0], row=1, column=1, title="Garage (moved)")
    new.cameras[3] = replace(new.cameras[3], row=0, column=0)
    diff = diff_layouts(old, new)
    assert diff.stop == () and diff.start == () and diff.add_feeds == () and diff.remove_feeds == ()
    assert diff.keep == ("hub", "door", "test")
    assert set(diff.keep_feeds) == {"garage", "porch", "door", "test"}


def test_a_changed_connection_restarts_with_its_cameras_and_the_rest_runs_on() -> None:
    old = wall()
    new = wall()
    new.connections[1] = replace(new.connections[1], options={"url": "rtsp://cam/door", "transport": "udp"})
    diff = diff_layouts(old, new)
    assert diff.stop == ("door",) and diff.restart == ("door",)
    assert [s.spec.options for s in diff.start] == [{"url": "rtsp://cam/door", "transport": "udp"}]
    assert diff.remove_feeds == ("door",) and [c.id for c in diff.add_feeds] == ["door"]
    assert diff.keep == ("hub", "test") and set(diff.keep_feeds) == {"garage", "porch", "test"}


def test_removed_and_added_cameras_and_connections() -> None:
    old = wall()
    new = wall()
    new.connections = [c for c in new.connections if c.id != "test"] + [
        ConnectionSpec("lab", "sub", {"endpoints": [":5556"]})
    ]
    new.cameras = [c for c in new.cameras if c.id not in ("test", "porch")] + [
        CameraSpec("bench", "lab", name="bench", row=1, column=1),
        CameraSpec("porch", "hub", name="back porch", row=0, column=1),  # same id, another stream: a new feed
    ]
    diff = diff_layouts(old, new)
    assert diff.stop == ("test",) and diff.restart == ()
    assert [s.spec.id for s in diff.start] == ["lab"]
    assert set(diff.remove_feeds) == {"porch", "test"}
    assert [c.id for c in diff.add_feeds] == ["bench", "porch"]
    assert diff.keep == ("hub", "door") and set(diff.keep_feeds) == {"garage", "door"}


def test_opening_another_file_starts_afresh_even_where_nothing_changed() -> None:
    diff = diff_layouts(wall(), wall(), fresh=True)
    assert diff.stop == ("hub", "door", "test") and diff.restart == ("hub", "door", "test")
    assert set(diff.remove_feeds) == {c.id for c in wall().cameras} == {c.id for c in diff.add_feeds}
    assert diff.keep == () and diff.keep_feeds == ()
