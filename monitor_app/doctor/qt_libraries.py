"""Qt's platform plugins and the system libraries they need, asked of ``ldd`` (no Qt is loaded here).

This is the famous "could not load the Qt platform plugin xcb": ``libqxcb.so`` (and
``libQt6XcbQpa.so.6`` behind it) need a dozen ``libxcb-*`` libraries that a minimal system
lacks. Every ``=> not found`` line of ``ldd`` names one; :mod:`system_packages` names its package.

The plugin folder is the one Qt itself would use: ``QT_QPA_PLATFORM_PLUGIN_PATH`` when set
(Qt's own variable, and the seam the tests use to point the check at another file), then
the ``platforms`` folder of each ``QT_PLUGIN_PATH`` entry, then PySide6's.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from monitor_app.doctor.check import Check, Status, fail, ok, warn
from monitor_app.doctor.system_packages import Distribution, install_advice

LDD_TIMEOUT_S = 20.0
WINDOW_ON = {"xcb": "the window on X11", "wayland": "the window on Wayland"}
REINSTALL_QT = (
    "pip install --force-reinstall PySide6-Essentials   (a library of Qt itself is missing: a broken install)"
)


@dataclass(frozen=True)
class Linkage:
    """What ``ldd`` says about one file."""

    path: Path
    found: tuple[str, ...]
    missing: tuple[str, ...]


class LddError(RuntimeError):
    """``ldd`` could not list the file: not installed, or a library on the way is damaged (``file too short``)."""

    def __init__(self, message: str, no_ldd: bool = False) -> None:
        super().__init__(message)
        self.no_ldd = no_ldd


def plugin_dirs(env: Mapping[str, str]) -> list[Path]:
    """The folders Qt searches for platform plugins, in its order."""
    dirs = []
    if env.get("QT_QPA_PLATFORM_PLUGIN_PATH"):
        dirs.append(Path(env["QT_QPA_PLATFORM_PLUGIN_PATH"]))
    dirs += [Path(p) / "platforms" for p in env.get("QT_PLUGIN_PATH", "").split(os.pathsep) if p]
    spec = importlib.util.find_spec("PySide6")  # finds the package without importing it
    if spec is not None and spec.submodule_search_locations:
        dirs += [Path(p) / "Qt" / "plugins" / "platforms" for p in spec.submodule_search_locations]
    return dirs


def find_plugin(platform: str, env: Mapping[str, str]) -> Path | None:
    """The file of the platform plugin ``platform`` (``xcb`` -> ``libqxcb.so``) Qt would load, or None."""
    for folder in plugin_dirs(env):
        candidate = folder / f"libq{platform}.so"
        if candidate.is_file():
            return candidate
    return None


def ldd(path: Path) -> Linkage:
    """Every library ``path`` needs, directly or not, split into found and missing (``=> not found``)."""
    tool = shutil.which("ldd")
    if tool is None:
        raise LddError("ldd is not installed", no_ldd=True)
    try:
        result = subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=LDD_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LddError(f"ldd {path}: {exc}") from None
    found: list[str] = []
    missing: list[str] = []
    for line in result.stdout.splitlines():
        name, arrow, target = line.strip().partition("=>")
        if not arrow:
            continue
        (missing if target.strip() == "not found" else found).append(name.strip())
    if result.returncode != 0 and not found and not missing:
        raise LddError((result.stderr or result.stdout).strip() or f"ldd exited with {result.returncode}")
    return Linkage(path, tuple(dict.fromkeys(found)), tuple(dict.fromkeys(missing)))


def is_qt_library(soname: str) -> bool:
    """A library PySide6 ships itself (Qt's and ICU's), so a missing one means a broken PySide6, not a system package."""
    return soname.startswith(("libQt6", "libicu", "libpyside6", "libshiboken6"))


def plugin_linkage(platform: str, env: Mapping[str, str]) -> list[Linkage] | None:
    """``ldd`` of the plugin and of the ``libQt6*Qpa`` library it is a shell for (``libQt6XcbQpa.so.6``)."""
    plugin = find_plugin(platform, env)
    if plugin is None:
        return None
    results = [ldd(plugin)]
    qt_lib_dir = plugin.parent.parent.parent / "lib"
    for qpa in sorted(qt_lib_dir.glob(f"libQt6{platform.capitalize()}Qpa.so.*"))[:1]:
        results.append(ldd(qpa))
    return results


def check_plugin(platform: str, wanted: bool, env: Mapping[str, str], distribution: Distribution) -> Check:
    """The libraries of one platform plugin: FAIL when missing and this platform is the one to start, else WARN."""
    name = f"{platform} plugin"
    if not sys.platform.startswith("linux"):
        return ok(name, f"not needed on {sys.platform}")
    try:
        linkages = plugin_linkage(platform, env)
    except LddError as exc:
        return _unlisted(name, exc, wanted)
    if linkages is None:
        searched = ", ".join(str(d) for d in plugin_dirs(env)) or "no plugin folder"
        return _missing_plugin(name, platform, wanted, searched)
    missing = tuple(dict.fromkeys(m for linkage in linkages for m in linkage.missing))
    found = {f for linkage in linkages for f in linkage.found}
    files = " + ".join(linkage.path.name for linkage in linkages)
    if not missing:
        return ok(name, f"{files}: all {len(found)} libraries found ({linkages[0].path.parent})")
    status = Status.FAIL if wanted else Status.WARN
    system = [m for m in missing if not is_qt_library(m)]
    fixes = [install_advice(system, distribution)] if system else []
    if len(system) < len(missing):
        fixes.append(REINSTALL_QT)
    them = "them" if len(missing) > 1 else "it"
    window = WINDOW_ON.get(platform, f"the {platform} platform")
    consequence = (
        f"Qt cannot start {platform}" if wanted else f"fine for this run, but {window} cannot open without {them}"
    )
    detail = f"{', '.join(missing)} not found (needed by {files}): {consequence}"
    return Check(name, status, detail, "\n".join(fixes))


def _unlisted(name: str, exc: LddError, wanted: bool) -> Check:
    detail = f"cannot list the plugin's libraries: {exc}"
    if exc.no_ldd:
        return warn(
            name, detail, "install ldd (package libc-bin on Debian/Ubuntu, glibc-common on Fedora, glibc on Arch)"
        )
    fix = "the message names a damaged file: reinstall the package that owns it (dpkg -S, rpm -qf or pacman -Qo FILE)"
    return Check(name, Status.FAIL if wanted else Status.WARN, detail, fix)


def _missing_plugin(name: str, platform: str, wanted: bool, searched: str) -> Check:
    detail = f"libq{platform}.so not found in {searched}"
    if wanted:
        return fail(name, detail, REINSTALL_QT)
    return warn(name, detail, REINSTALL_QT)
