"""Layout schema versions and the dict-to-dict steps that bring old files up to date.

To change the format: bump ``SCHEMA_VERSION`` and add ``MIGRATIONS[old] = migrate_old_to_new``
(a pure function on the decoded JSON), with a table-driven test in tests/core.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from monitor_app.core.layouts.errors import LayoutError, NewerLayoutError, Problem, json_type

SCHEMA_VERSION = 1

Migration = Callable[[dict[str, Any]], dict[str, Any]]

MIGRATIONS: dict[int, Migration] = {}
"""``MIGRATIONS[n]`` turns a version-n document into a version n+1 document."""


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
