"""Reading and writing layout files without ever losing the user's last good file.

A save (``core/atomic_file.py``) writes a temporary file beside the target, fsyncs it, keeps
the previous file as ``NAME.bak`` and renames the new one into place, so a crash at any point
leaves either the old or the new file whole.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from monitor_app.core.atomic_file import write_text_atomic
from monitor_app.core.layouts.errors import LayoutError, Problem
from monitor_app.core.layouts.model import Layout, layout_to_dict, parse_layout


class LayoutFileError(LayoutError):
    """The file gives no JSON to check: missing, unreadable, not UTF-8 or not valid JSON.

    Its one problem names the file. JSON that is not a valid layout raises a plain
    ``LayoutError`` (from ``parse_layout``) instead, naming each bad field.
    """


def read_layout(path: str | os.PathLike[str]) -> Layout:
    """Load and validate a layout file; raise ``LayoutFileError`` or ``LayoutError`` (one line per problem)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LayoutFileError([Problem(str(path), "no such file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LayoutFileError([Problem(str(path), f"cannot be read: {exc}")]) from None
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LayoutFileError(
            [Problem(str(path), f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")]
        ) from None
    return parse_layout(data)


def format_layout(layout: Layout) -> str:
    """Canonical text: one connection, camera or tile a line, so diffs show what changed."""
    data = layout_to_dict(layout)
    lines = ["{"]
    scalars = [k for k in data if not isinstance(data[k], list)]
    for key in scalars:
        lines.append(f"  {json.dumps(key)}: {_one_line(data[key])},")
    lists = [k for k in data if isinstance(data[k], list)]
    for n, key in enumerate(lists):
        items = data[key]
        closing = "" if n == len(lists) - 1 else ","
        if not items:
            lines.append(f"  {json.dumps(key)}: []{closing}")
            continue
        lines.append(f"  {json.dumps(key)}: [")
        for i, item in enumerate(items):
            comma = "," if i < len(items) - 1 else ""
            lines.extend(_view_lines(item, comma) if key == "views" else [f"    {_one_line(item)}{comma}"])
        lines.append(f"  ]{closing}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _view_lines(view: dict[str, Any], comma: str) -> list[str]:
    """A view: its title, grid and tour on the first line, then a tile a line."""
    head = _one_line({k: v for k, v in view.items() if k != "tiles"})[:-1]
    tiles = view["tiles"]
    if not tiles:
        return [f'    {head}, "tiles": []}}{comma}']
    lines = [f'    {head}, "tiles": [']
    lines.extend(f"      {_one_line(tile)}{',' if i < len(tiles) - 1 else ''}" for i, tile in enumerate(tiles))
    lines.append(f"    ]}}{comma}")
    return lines


def _one_line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_layout(layout: Layout, path: str | os.PathLike[str]) -> None:
    """Atomically replace ``path`` with ``layout``, keeping the previous file as ``path.bak``."""
    path = Path(path)
    text = format_layout(layout)
    parse_layout(json.loads(text))  # never write what we could not read back
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text, durable=True, backup=True)
