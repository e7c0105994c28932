"""What the user chose for recording in Preferences: the folder, the pre-roll and the split length.

Qt-free, so the recorder (``core/recording``) reads it without the window; ``ui/settings.py`` loads and
stores it in QSettings through :meth:`RecordingPreferences.checked`, which never lets a bad stored
value (a hand-edited INI file, an older version's) through.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from monitor_app.core.paths import recordings_dir

MB = 1024 * 1024

DEFAULT_PREROLL_SECONDS = 10.0
PREROLL_SECONDS_RANGE = (0.0, 60.0)
"""0 turns pre-roll off; a minute of compressed 1080p is tens of MB, which the byte bound caps anyway."""
DEFAULT_PREROLL_MB = 64
PREROLL_MB_RANGE = (1, 1024)
"""Per camera: 64 MB holds 10 s of a 1080p stream at up to ~50 Mbit/s; 32 cameras at 1 GB each would not fit."""
DEFAULT_SPLIT_MINUTES = 15.0
SPLIT_MINUTES_RANGE = (1.0, 240.0)


@dataclass(frozen=True)
class RecordingPreferences:
    """Where recordings go and how they are cut: read by the recorder, edited in Preferences."""

    folder: Path
    preroll_seconds: float = DEFAULT_PREROLL_SECONDS
    """How much of what just happened a recording starts with (kept in memory per camera)."""
    preroll_bytes: int = DEFAULT_PREROLL_MB * MB
    """The pre-roll's memory bound per camera: the oldest frames go first once it is reached."""
    split_minutes: float = DEFAULT_SPLIT_MINUTES
    """A new file every this many minutes, so a crash or a full disk loses at most one file's tail."""

    @classmethod
    def default(cls) -> RecordingPreferences:
        return cls(folder=recordings_dir())

    def checked(self) -> RecordingPreferences:
        """The same preferences with every number inside its range (NaN and the like: the default)."""
        return RecordingPreferences(
            folder=self.folder,
            preroll_seconds=_clamp(self.preroll_seconds, PREROLL_SECONDS_RANGE, DEFAULT_PREROLL_SECONDS),
            preroll_bytes=int(_clamp(self.preroll_bytes / MB, PREROLL_MB_RANGE, DEFAULT_PREROLL_MB) * MB),
            split_minutes=_clamp(self.split_minutes, SPLIT_MINUTES_RANGE, DEFAULT_SPLIT_MINUTES),
        )


def _clamp(value: float, bounds: tuple[float, float], default: float) -> float:
    if not math.isfinite(value):
        return float(default)
    return float(min(max(value, bounds[0]), bounds[1]))
