"""How a connection's options are checked: against the fields its kind declares in the registry.

The fields every connection has (``id``, ``kind``, ``auto_add_cameras``) are checked in
``model.py``; each kind's own fields are declared once, in its module under ``core/sources``.
"""

from __future__ import annotations

from typing import Any

from monitor_app.core.layouts.errors import Problem, json_type
from monitor_app.core.sources.kind import SourceKind, has_type, type_name
from monitor_app.core.sources.registry import KINDS

COMMON_FIELDS = {"id", "kind", "auto_add_cameras"}


def kind_of(name: Any, path: str) -> tuple[SourceKind | None, list[Problem]]:
    """The declared kind called ``name``, or the problem with it."""
    kind = KINDS.get(name) if isinstance(name, str) else None
    if kind is None:
        return None, [Problem(f"{path}.kind", f"must be one of {', '.join(KINDS)}, not {name!r}")]
    return kind, []


def check_options(kind: SourceKind, item: dict[str, Any], path: str) -> tuple[dict[str, Any], list[Problem]]:
    """The options of connection ``item`` as its kind declares them, and every problem found."""
    problems: list[Problem] = []
    options: dict[str, Any] = {}
    for key, value in item.items():
        if key in COMMON_FIELDS:
            continue
        spec = kind.fields.get(key)
        if spec is None:
            problems.append(Problem(f"{path}.{key}", "is not a known field"))
        elif not has_type(value, spec.type):
            problems.append(Problem(f"{path}.{key}", f"must be {type_name(spec.type)}, not {json_type(value)}"))
        elif spec.check is not None and (problem := spec.check(value)):
            problems.append(Problem(f"{path}.{key}", problem))
        else:
            options[key] = value
    for key, spec in kind.fields.items():
        if spec.required and key not in item:
            problems.append(Problem(f"{path}.{key}", "is required"))
    if kind.cross_check is not None and not problems:
        problems += [
            Problem(f"{path}.{key}", problem) for key, problem in kind.cross_check(kind.with_defaults(options))
        ]
    return options, problems
