"""Layouts: validation names the bad field, saves are atomic and round-trip exactly."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from monitor_app.core.layouts.adhoc import add_discovered_camera, demo_layout
from monitor_app.core.layouts.edits import CameraForm, apply_camera_form, form_for_camera, remove_camera, resize_grid
from monitor_app.core.layouts.errors import LayoutError, NewerLayoutError
from monitor_app.core.layouts.files import format_layout, read_layout, write_layout
from monitor_app.core.layouts.migrations import SCHEMA_VERSION, migrate
from monitor_app.core.layouts.model import MAX_GRID, CameraSpec, ConnectionSpec, Layout, layout_to_dict, parse_layout
from monitor_app.core.resources import resource_path

EXAMPLE = resource_path("example_layout.json")


def _valid() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text())


def test_version_2_layouts_load_and_round_trip_byte_for_byte(tmp_path: Path) -> None:
    for source in (resource_path("example_views_layout.json"), resource_path("demo_layout.json")):
        copy = tmp_path / source.name
        shutil.copy(source, copy)
        write_layout(read_layout(copy), copy)
        assert copy.read_text() == source.read_text()
    assert len(demo_layout().cameras) >= 4
    assert len(demo_layout().views) == 2


def test_the_version_1_example_opens_unchanged_and_is_saved_as_version_2(tmp_path: Path) -> None:
    copy = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, copy)
    layout = read_layout(copy)
    assert copy.read_text() == EXAMPLE.read_text()  # opening never rewrites the file
    assert json.loads(EXAMPLE.read_text())["schema_version"] == 1
    write_layout(layout, copy)
    saved = json.loads(copy.read_text())
    assert saved["schema_version"] == 2 and [v["title"] for v in saved["views"]] == ["Garage and lab"]
    assert layout_to_dict(read_layout(copy)) == layout_to_dict(layout)


def test_edit_save_load_round_trips_the_model(tmp_path: Path) -> None:
    path = tmp_path / "wall.json"
    layout = read_layout(EXAMPLE)
    layout = resize_grid(layout, 3, 4)
    form = CameraForm(title="Back door", kind="url", address="rtsp://10.0.0.9/stream", row=2, column=3)
    layout = apply_camera_form(layout, form)
    layout = remove_camera(layout, layout.cameras[0].id)
    write_layout(layout, path)
    again = read_layout(path)
    assert again == layout
    assert any(c.title == "Back door" and (c.row, c.column) == (2, 3) for c in again.cameras)
    assert format_layout(again) == path.read_text()


def test_editing_a_camera_keeps_the_connection_fields_the_form_does_not_show() -> None:
    layout = parse_layout(
        {
            "schema_version": 1,
            "grid": {"rows": 1, "columns": 2},
            "connections": [
                {"id": "test", "kind": "pattern", "width": 1280, "height": 720, "fps": 30},
                {
                    "id": "door",
                    "kind": "url",
                    "url": "rtsp://cam/main",
                    "sub_url": "rtsp://cam/sub",
                    "open_timeout_s": 9,
                },
            ],
            "cameras": [
                {"id": "test", "title": "Test", "connection": "test", "cell": [0, 0]},
                {"id": "door", "title": "Door", "connection": "door", "cell": [0, 1]},
            ],
        }
    )
    retitled = apply_camera_form(layout, replace(form_for_camera(layout, "test"), title="Bench"), "test")
    assert retitled.connection("test") == layout.connection("test")  # same id and options: the stream keeps running
    assert retitled.cameras[-1].title == "Bench"
    form = form_for_camera(layout, "door")
    assert (form.address, form.settings["sub_url"], form.settings["transport"]) == (
        "rtsp://cam/main",
        "rtsp://cam/sub",
        "auto",  # the default, not in the layout
    )
    edited = apply_camera_form(layout, replace(form, settings={"sub_url": "", "transport": "udp"}), "door")
    door = edited.connection("door")
    assert door is not None
    assert door.options == {"url": "rtsp://cam/main", "open_timeout_s": 9, "transport": "udp"}
    to_hub = apply_camera_form(layout, replace(form, kind="hub", address=":5555", name="door"), "door")
    assert [c.kind for c in to_hub.connections] == ["pattern", "hub"]  # a new kind starts from scratch


def test_the_camera_form_never_shows_a_password_and_an_edit_keeps_it() -> None:
    layout = parse_layout(
        {
            "schema_version": 1,
            "grid": {"rows": 1, "columns": 1},
            "connections": [{"id": "door", "kind": "url", "url": "rtsp://viewer:s3cret@cam:554/main"}],
            "cameras": [{"id": "door", "title": "Door", "connection": "door", "cell": [0, 0]}],
        }
    )
    form = form_for_camera(layout, "door")
    assert form.address == "rtsp://viewer:***@cam:554/main"

    def url_after(**changes: str) -> str:
        conn = apply_camera_form(layout, replace(form, **changes), "door").connection("door")
        assert conn is not None
        return str(conn.options["url"])

    assert url_after(title="Front door") == "rtsp://viewer:s3cret@cam:554/main"
    assert url_after(address="rtsp://viewer:***@cam:554/sub") == "rtsp://viewer:s3cret@cam:554/sub"
    assert url_after(address="rtsp://viewer:new@cam:554/main") == "rtsp://viewer:new@cam:554/main"
    # The mask moved to another host or user is not this password's to fill.
    assert url_after(address="rtsp://viewer:***@other/main") == "rtsp://viewer:***@other/main"
    assert url_after(address="rtsp://admin:***@cam:554/main") == "rtsp://admin:***@cam:554/main"


BAD_FIELDS = [
    (lambda d: d.update(grid={"rows": "2", "columns": 2}), "$.grid.rows", "integer"),
    (lambda d: d["grid"].update(columns=0), "$.grid.columns", "between"),
    (lambda d: d["connections"][0].update(kind="telnet"), "$.connections[0].kind", "one of"),
    (lambda d: d["connections"][0].pop("id"), "$.connections[0].id", "required"),
    (lambda d: d["cameras"][1].update(connection="nope"), "$.cameras[1].connection", "nope"),
    (lambda d: d["cameras"][0].update(cell=[0, "a"]), "$.cameras[0].cell", "row, column"),
    (
        lambda d: d["cameras"][0].update(cell=[9, 9]),
        "$.cameras[0].cell",
        "a 1x2 tile at cell 9,9 does not fit the 2x3 grid",
    ),
    (lambda d: d["cameras"][1].update(cell=d["cameras"][0]["cell"]), "$.cameras[1].cell", "cell 0,0 holds Driveway"),
    (lambda d: d["cameras"][0].update(colour="red"), "$.cameras[0].colour", "not a known field"),
    (lambda d: d.update(cameras={}), "$.cameras", "list"),
    (lambda d: d["cameras"].append(dict(d["cameras"][0], cell=[1, 1])), "$.cameras[", "used by another camera"),
]


@pytest.mark.parametrize(("breaks", "path", "words"), BAD_FIELDS)
def test_a_bad_field_is_named_by_its_json_path(breaks: Any, path: str, words: str) -> None:
    data = _valid()
    breaks(data)
    with pytest.raises(LayoutError) as caught:
        parse_layout(data)
    assert any(p.path.startswith(path) and words in p.message for p in caught.value.problems), caught.value.problems


def test_every_problem_is_reported_at_once() -> None:
    data = _valid()
    data["grid"]["rows"] = "x"
    data["connections"][0]["kind"] = "telnet"
    with pytest.raises(LayoutError) as caught:
        parse_layout(data)
    assert {p.path for p in caught.value.problems} >= {"$.grid.rows", "$.connections[0].kind"}


def test_a_newer_schema_version_is_refused_with_a_clear_message() -> None:
    data = _valid()
    data["schema_version"] = SCHEMA_VERSION + 998
    with pytest.raises(NewerLayoutError, match="newer Camera Monitor"):
        parse_layout(data)


def test_a_crash_mid_save_leaves_the_previous_file_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "wall.json"
    shutil.copy(EXAMPLE, path)
    before = path.read_text()
    layout = resize_grid(read_layout(path), 4, 4)

    def power_cut(*_: object) -> None:
        raise OSError("simulated crash before the rename")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(OSError, match="simulated"):
        write_layout(layout, path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_save_keeps_the_previous_file_as_bak(tmp_path: Path) -> None:
    path = tmp_path / "wall.json"
    shutil.copy(EXAMPLE, path)
    before = path.read_text()
    write_layout(resize_grid(read_layout(path), 4, 4), path)
    assert (tmp_path / "wall.json.bak").read_text() == before
    assert read_layout(path).rows == 4


def test_free_cells_and_grid_growth() -> None:
    layout = Layout(rows=1, columns=1, connections=[ConnectionSpec("p", "pattern")])
    for n in range(5):
        layout.grow_to_fit(n + 1)
        cell = layout.free_cell()
        assert cell is not None
        layout.cameras.append(CameraSpec(f"c{n}", "p", name=f"n{n}", row=cell[0], column=cell[1]))
    assert layout.rows * layout.columns >= 5 and abs(layout.rows - layout.columns) <= 1
    assert len({(c.row, c.column) for c in layout.cameras}) == 5


def test_discovered_cameras_fill_a_one_row_grid_then_go_to_the_camera_list_at_the_largest_grid() -> None:
    layout = Layout(
        rows=1,
        columns=MAX_GRID,
        connections=[ConnectionSpec("hub", "hub", {"endpoint": ":5555"}, auto_add_cameras=True)],
    )
    added = [add_discovered_camera(layout, "hub", f"cam{n}") for n in range(MAX_GRID * MAX_GRID + 3)]
    assert all(cam is not None and cam.placed for cam in added[: MAX_GRID * MAX_GRID])
    extra = added[-3:]  # full: listed, not lost, and never a grid the app could not load again
    assert all(cam is not None and not cam.placed for cam in extra)
    assert [c.id for c in layout.unplaced_cameras()] == [c.id for c in extra if c is not None]
    assert (layout.rows, layout.columns) == (MAX_GRID, MAX_GRID)
    assert layout_to_dict(parse_layout(layout_to_dict(layout))) == layout_to_dict(layout)


def _v1_to_v2(d: dict[str, Any]) -> dict[str, Any]:
    return {**d, "grid": {**d["grid"], "gap": 2}}


def _v2_to_v3(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k != "title"} | {"name": d.get("title", "")}


@pytest.mark.parametrize(
    ("version", "expected_keys"),
    [(1, {"name", "grid"}), (2, {"name", "grid"}), (3, {"title", "grid"})],
)
def test_migrations_run_in_order_up_to_the_target(version: int, expected_keys: set[str]) -> None:
    steps = {1: _v1_to_v2, 2: _v2_to_v3}
    doc = {"schema_version": version, "title": "t", "grid": {"rows": 1, "columns": 1}}
    migrated = migrate(doc, steps, target=3)
    assert migrated["schema_version"] == 3
    assert expected_keys <= set(migrated)
    if version == 1:
        assert migrated["grid"]["gap"] == 2


def test_a_version_without_a_migration_is_refused() -> None:
    with pytest.raises(LayoutError, match="not supported"):
        migrate({"schema_version": 0}, {}, target=1)
