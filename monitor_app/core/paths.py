"""The per-user folders for settings, layouts, logs, snapshots and recordings: the platform's usual places,
never next to the program.

``CAMERA_MONITOR_CONFIG_DIR`` (tests, portable installs) puts all of them under one folder instead.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import platformdirs

from monitor_app.core.identity import APP_ID, CONFIG_DIR_ENV, ORGANIZATION

SETTINGS_FILE_NAME = f"{APP_ID}.ini"
NEW_LAYOUT_NAME = "layout.json"


def _override() -> Path | None:
    folder = os.environ.get(CONFIG_DIR_ENV)
    return Path(folder) if folder else None


def config_dir(create: bool = False) -> Path:
    """The configuration folder (``~/.config/camera-monitor``, ``%LOCALAPPDATA%\\CameraMonitor\\camera-monitor``).

    Without ``CAMERA_MONITOR_CONFIG_DIR`` nothing is kept here yet: QSettings files the window's
    settings in its own native place (see :func:`settings_file`).
    """
    override = _override()
    path = override if override else platformdirs.user_config_path(APP_ID, ORGANIZATION)
    return _made(path, create)


def settings_file() -> Path | None:
    """The INI file the settings go in when ``CAMERA_MONITOR_CONFIG_DIR`` is set.

    None otherwise: then QSettings keeps them in the platform's native store for
    (``ORGANIZATION``, ``APP_ID``): ``~/.config/CameraMonitor/camera-monitor.conf`` on Linux,
    the registry on Windows, a plist on macOS.
    """
    return config_dir() / SETTINGS_FILE_NAME if _override() else None


def layouts_dir(create: bool = False) -> Path:
    """The folder for the user's layouts (``~/.local/share/camera-monitor/layouts`` on Linux).

    :func:`new_layout_path` proposes it for a layout that has no file yet.
    """
    override = _override()
    path = override / "layouts" if override else platformdirs.user_data_path(APP_ID, ORGANIZATION) / "layouts"
    return _made(path, create)


def new_layout_path(name: str = NEW_LAYOUT_NAME) -> Path:
    """Where to propose saving a layout that has no file yet: ``name`` in :func:`layouts_dir`, created if missing.

    If the folder cannot be created (a read-only home), the bare ``name``: the working directory.
    """
    try:
        return layouts_dir(create=True) / name
    except OSError:
        return Path(name)


def log_dir(create: bool = False) -> Path:
    """Log files (``~/.local/state/camera-monitor/log``, ``~/Library/Logs/camera-monitor``, ...)."""
    override = _override()
    path = override / "logs" if override else platformdirs.user_log_path(APP_ID, ORGANIZATION)
    return _made(path, create)


def snapshots_dir(create: bool = False) -> Path:
    """Snapshots of a camera (``~/Pictures/camera-monitor``: the user's pictures folder, an app subfolder)."""
    override = _override()
    path = override / "snapshots" if override else platformdirs.user_pictures_path() / APP_ID
    return _made(path, create)


def recordings_dir(create: bool = False) -> Path:
    """Recorded video (``~/Videos/camera-monitor``: the user's videos folder, an app subfolder)."""
    override = _override()
    path = override / "recordings" if override else platformdirs.user_videos_path() / APP_ID
    return _made(path, create)


def recovery_dir(create: bool = False) -> Path:
    """Where the window keeps its autosaved copy of unsaved layout changes (never the user's own file)."""
    override = _override()
    path = override / "recovery" if override else platformdirs.user_state_path(APP_ID, ORGANIZATION) / "recovery"
    return _made(path, create)


def folder_problem(path: Path) -> str | None:
    """Why files cannot be written in ``path`` (in words for the user), or None if they can.

    Tried for real: a file is written and deleted, as the app will (permissions, a read-only disk, a
    file where a folder should be, ACLs all answer the same way). Folders missing on the way are
    made for the try and removed again, so choosing a folder that does not exist yet changes nothing.
    """
    if not path.is_absolute():
        return f"{path} is not a full path: choose a folder"
    existing = nearest_existing(path)
    if not existing.is_dir():
        return f"{existing} is a file, not a folder"
    try:
        try_writing(path)
    except OSError as exc:
        return f"{path} cannot be written: {exc.strerror or exc}"
    return None


def nearest_existing(path: Path) -> Path:
    """``path``, or the nearest of its parents that exists."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def try_writing(path: Path) -> None:
    """Create what is missing of ``path``, write and delete a file in it, then remove the folders made here;
    ``OSError`` says why not (``folder_problem``, and ``camera-monitor doctor``)."""
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    made: list[Path] = []
    try:
        for folder in reversed(missing):
            folder.mkdir()
            made.append(folder)
        handle, name = tempfile.mkstemp(prefix=".write-test-", dir=path)
        try:
            os.write(handle, b"camera-monitor\n")
        finally:
            os.close(handle)
            os.unlink(name)
    finally:
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()


def _made(path: Path, create: bool) -> Path:
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path
