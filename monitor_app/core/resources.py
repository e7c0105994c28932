"""Finds bundled resources (demo layout, icon, stylesheet) installed, frozen or in a source tree."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path


def resource_path(name: str) -> Path:
    """Path of ``resources/NAME``; the package maps the top-level resources/ to ``monitor_app.resources``."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:  # PyInstaller one-folder build
        candidate = Path(frozen_root) / "monitor_app" / "resources" / name
        if candidate.exists():
            return candidate
    try:
        traversable = resources.files("monitor_app.resources").joinpath(name)
        if traversable.is_file():
            return Path(str(traversable))
    except ModuleNotFoundError:
        pass
    source_tree = Path(__file__).resolve().parents[2] / "resources" / name
    if source_tree.exists():
        return source_tree
    raise FileNotFoundError(f"resource {name!r} is missing from this installation")
