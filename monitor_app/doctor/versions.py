"""The versions a bug report needs: ours, Python's, Qt's, the system's and every runtime dependency's.

The dependencies are read from the installed package's metadata (``Requires-Dist`` of
``camera-monitor``, extras left out), so the list follows ``pyproject.toml`` by itself.
"""

from __future__ import annotations

import importlib.metadata
import platform
import re

from monitor_app.core.identity import APP_ID
from monitor_app.doctor.check import Check, fail, ok, warn

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EXTRA = re.compile(r"\bextra\s*==")


def runtime_requirements() -> list[str]:
    """The distribution names ``camera-monitor`` depends on at run time, in its order, each once."""
    names: list[str] = []
    for requirement in importlib.metadata.requires(APP_ID) or []:
        if _EXTRA.search(requirement):
            continue
        match = _NAME.match(requirement)
        if match and match.group(1) not in names:
            names.append(match.group(1))
    return names


def base_versions(qt_version: str | None, system: str) -> dict[str, str]:
    try:
        ours = importlib.metadata.version(APP_ID)
    except importlib.metadata.PackageNotFoundError:
        ours = "not installed (run from a checkout)"
    return {
        APP_ID: ours,
        "python": f"{platform.python_version()} ({platform.python_implementation()}, {platform.machine()})",
        "qt": qt_version or "unknown (PySide6 did not start)",
        "system": f"{system}; {platform.platform()}",
    }


def dependency_versions() -> tuple[dict[str, str], Check]:
    """(distribution -> version, a check that FAILs when one is missing)."""
    try:
        names = runtime_requirements()
    except importlib.metadata.PackageNotFoundError:
        fix = "install it: pip install camera-monitor (pip install -e . in a checkout)"
        return {}, warn("dependencies", f"{APP_ID} is not installed, so its dependency list is unknown", fix)
    versions: dict[str, str] = {}
    missing = []
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
            missing.append(name)
    if missing:
        fix = f"pip install {' '.join(missing)}   (or reinstall camera-monitor, which pulls them in)"
        return versions, fail("dependencies", f"not installed: {', '.join(missing)}", fix)
    return versions, ok("dependencies", f"all {len(names)} runtime dependencies installed ({', '.join(names)})")
