"""Layout schema versions and the dict-to-dict steps that bring old files up to date.

To change the format: bump ``SCHEMA_VERSION`` and add ``MIGRATIONS[old] = migrate_old_to_new``
(a pure function on the decoded JSON), with a table-driven test in tests/core.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from monitor_app.core.layouts.errors import LayoutError, NewerLayoutError, Problem, json_type

SCHEMA_VERSION = 2

Migration = Callable[[dict[str, Any]], dict[str, Any]]

TILE_FIELDS = ("cell", "span", "zoom")
"""What a version 1 camera says of its tile (``zoom`` only in the edits' working form, ``model.view_dict``)."""

V1_VIEW_TITLE = "Main"
"""The title of a version 1 file's one view when the file has no title of its own."""


def v1_unplaced(cam: Any) -> bool:
    """A version 1 camera with ``"cell": null``: in the layout, without a tile."""
    return isinstance(cam, dict) and "cell" in cam and cam["cell"] is None


def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 (one grid, each camera with its cell) to version 2 (cameras without cells, one view).

    Garbage is carried over as it is (a camera that is not an object stays in ``cameras``), so the
    checks that follow name it; ``v1_path`` turns their paths back into the version 1 file's.
    """
    data = dict(data)
    cameras = data.get("cameras")
    tiles: list[Any] = []
    if isinstance(cameras, list):
        data["cameras"] = []
        for cam in cameras:
            if not isinstance(cam, dict):
                data["cameras"].append(cam)
                continue
            data["cameras"].append({k: v for k, v in cam.items() if k not in TILE_FIELDS})
            if v1_unplaced(cam):
                continue
            tile = {"camera": cam.get("id")}
            tile.update({k: cam[k] for k in TILE_FIELDS if k in cam})
            tiles.append(tile)
    view: dict[str, Any] = {"title": data.get("title") or V1_VIEW_TITLE, "tiles": tiles}
    if "grid" in data:
        view["grid"] = data.pop("grid")
    data["views"] = [view]
    return data


MIGRATIONS: dict[int, Migration] = {1: v1_to_v2}
"""``MIGRATIONS[n]`` turns a version-n document into a version n+1 document."""

_TILE = re.compile(r"\$\.views\[0\]\.tiles\[(\d+)\]")


def v1_path(data: dict[str, Any]) -> Callable[[str], str]:
    """For a version 1 document ``data``: a problem's path in its migrated form -> the path in the file
    (``$.views[0].tiles[1].cell`` -> ``$.cameras[2].cell``), so errors name what the user wrote."""
    cameras = data.get("cameras")
    tile_cameras = (
        [i for i, cam in enumerate(cameras) if isinstance(cam, dict) and not v1_unplaced(cam)]
        if isinstance(cameras, list)
        else []
    )

    def translate(path: str) -> str:
        path = _TILE.sub(lambda m: f"$.cameras[{tile_cameras[int(m[1])]}]", path)
        path = re.sub(r"^(\$\.cameras\[\d+\])\.camera$", r"\1.id", path)
        return path.replace("$.views[0].grid", "$.grid").replace("$.views[0]", "$")

    return translate


def migrate(
    data: dict[str, Any], migrations: dict[int, Migration] | None = None, target: int = SCHEMA_VERSION
) -> dict[str, Any]:
    """Return ``data`` at version ``target``; raise LayoutError/NewerLayoutError when impossible."""
    steps = MIGRATIONS if migrations is None else migrations
    version = data.get("schema_version")
    if version is None:
        raise LayoutError([Problem("$.schema_version", f"is required (this app writes version {target})")])
    if isinstance(version, bool) or not isinstance(version, int):
        raise LayoutError([Problem("$.schema_version", f"must be a whole number, not {json_type(version)}")])
    if version > target:
        raise NewerLayoutError(version, target)
    while version < target:
        step = steps.get(version)
        if step is None:
            raise LayoutError([Problem("$.schema_version", f"version {version} is not supported")])
        data = step(data)
        version += 1
        data["schema_version"] = version
    return data
