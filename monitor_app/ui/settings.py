"""QSettings for window geometry, recent layouts, the last layout and the Preferences dialog's choices."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from monitor_app.core.identity import APP_ID, ORGANIZATION
from monitor_app.core.paths import settings_file, snapshots_dir
from monitor_app.core.recording_preferences import MB, RecordingPreferences

MAX_RECENT = 8


def open_settings() -> QSettings:
    """The app's settings; ``CAMERA_MONITOR_CONFIG_DIR`` (tests, portable installs) puts them in an INI file there."""
    path = settings_file()
    if path is not None:
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APP_ID)


class AppSettings:
    """Typed access to the few things QSettings keeps: geometry, recent layouts, the last layout, preferences."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._s = settings or open_settings()
        self._preference_listeners: list[Callable[[], object]] = []

    def when_recording_preferences_saved(self, listener: Callable[[], object]) -> None:
        """``listener`` runs after each ``set_recording_preferences`` (Edit ▸ Preferences accepted)."""
        self._preference_listeners.append(listener)

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

    def session(self, layout_path: str | None) -> list[dict[str, Any]]:
        """The windows the last run left open on ``layout_path`` (None: the demo or an ad-hoc wall); [] if
        it quit on another layout, or wrote nothing readable."""
        if self._s.value("session/layout", "") != (layout_path or ""):
            return []
        try:
            windows = json.loads(str(self._s.value("session/windows", "[]")))
        except ValueError:
            return []
        return [w for w in windows if isinstance(w, dict)] if isinstance(windows, list) else []

    def set_session(self, layout_path: str | None, windows: list[dict[str, Any]]) -> None:
        """One JSON string, not a QSettings group per window: a half-written list is never read back."""
        self._s.setValue("session/layout", layout_path or "")
        self._s.setValue("session/windows", json.dumps(windows))

    # Preferences: a folder not set (or set to nothing) is the platform's default, and stays it when the
    # default moves (CAMERA_MONITOR_CONFIG_DIR in tests and portable installs).
    def snapshots_folder(self) -> Path:
        value = self._s.value("snapshots/folder", "")
        return Path(str(value)) if value else snapshots_dir()

    def set_snapshots_folder(self, folder: Path) -> None:
        self._s.setValue("snapshots/folder", "" if folder == snapshots_dir() else str(folder))

    def recording_preferences(self) -> RecordingPreferences:
        """What the recorder uses: stored values, each checked against its range, else the defaults."""
        default = RecordingPreferences.default()
        folder = self._s.value("recordings/folder", "")
        return RecordingPreferences(
            folder=Path(str(folder)) if folder else default.folder,
            preroll_seconds=self._number("recordings/preroll_seconds", default.preroll_seconds),
            preroll_bytes=round(self._number("recordings/preroll_mb", default.preroll_bytes / MB) * MB),
            split_minutes=self._number("recordings/split_minutes", default.split_minutes),
        ).checked()

    def set_recording_preferences(self, preferences: RecordingPreferences) -> None:
        checked = preferences.checked()
        default_folder = RecordingPreferences.default().folder
        self._s.setValue("recordings/folder", "" if checked.folder == default_folder else str(checked.folder))
        self._s.setValue("recordings/preroll_seconds", checked.preroll_seconds)
        self._s.setValue("recordings/preroll_mb", checked.preroll_bytes / MB)
        self._s.setValue("recordings/split_minutes", checked.split_minutes)
        for listener in self._preference_listeners:
            listener()

    def _number(self, key: str, default: float) -> float:
        """INI files give numbers back as text; anything that is not one is the default."""
        try:
            return float(self._s.value(key, default))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return default

    def sync(self) -> None:
        self._s.sync()
