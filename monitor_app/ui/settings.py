"""QSettings for window geometry, recent layouts and the last layout; nothing else lives there."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from monitor_app.core.identity import APP_ID, ORGANIZATION
from monitor_app.core.paths import settings_file

MAX_RECENT = 8


def open_settings() -> QSettings:
    """The app's settings; ``CAMERA_MONITOR_CONFIG_DIR`` (tests, portable installs) puts them in an INI file there."""
    path = settings_file()
    if path is not None:
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APP_ID)


class AppSettings:
    """Typed access to the few things QSettings keeps: geometry, recent layouts, the last layout."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._s = settings or open_settings()

    def recent_layouts(self) -> list[str]:
        value = self._s.value("layouts/recent", [])
        if isinstance(value, str):  # QSettings returns a lone string for a one-item list
            value = [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def add_recent_layout(self, path: str) -> None:
        path = str(Path(path).resolve())
        recent = [path] + [p for p in self.recent_layouts() if p != path]
        self._s.setValue("layouts/recent", recent[:MAX_RECENT])
        self._s.setValue("layouts/last", path)

    def last_layout(self) -> str | None:
        value = self._s.value("layouts/last", "")
        return str(value) if value else None

    def geometry(self) -> QByteArray | None:
        value = self._s.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, geometry: QByteArray) -> None:
        self._s.setValue("window/geometry", geometry)

    def sync(self) -> None:
        self._s.sync()
