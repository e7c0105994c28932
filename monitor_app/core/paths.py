"""The per-user folders for settings, layouts and logs: the platform's usual places, never next to the program.

``CAMERA_MONITOR_CONFIG_DIR`` (tests, portable installs) puts all of them under one folder instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "camera-monitor"
APP_AUTHOR = "CameraMonitor"
CONFIG_DIR_ENV = "CAMERA_MONITOR_CONFIG_DIR"


def _override() -> Path | None:
    folder = os.environ.get(CONFIG_DIR_ENV)
    return Path(folder) if folder else None


def config_dir(create: bool = False) -> Path:
    """Settings (e.g. ``~/.config/camera-monitor``, ``%LOCALAPPDATA%\\CameraMonitor\\camera-monitor``)."""
    override = _override()
    path = override if override else platformdirs.user_config_path(APP_NAME, APP_AUTHOR)
    return _made(path, create)


def layouts_dir(create: bool = False) -> Path:
    """Where the user's layouts are saved by default (``~/.local/share/camera-monitor/layouts`` on Linux)."""
    override = _override()
    path = override / "layouts" if override else platformdirs.user_data_path(APP_NAME, APP_AUTHOR) / "layouts"
    return _made(path, create)


def log_dir(create: bool = False) -> Path:
    """Log files (``~/.local/state/camera-monitor/log``, ``~/Library/Logs/camera-monitor``, ...)."""
    override = _override()
    path = override / "logs" if override else platformdirs.user_log_path(APP_NAME, APP_AUTHOR)
    return _made(path, create)


def _made(path: Path, create: bool) -> Path:
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path
