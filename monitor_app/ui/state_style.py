"""How each camera state looks on a tile."""

from __future__ import annotations

from PySide6.QtGui import QColor

from monitor_app.core.pipeline.health import CameraState

STATE_COLOURS = {
    CameraState.CONNECTING: QColor(90, 160, 255),
    CameraState.LIVE: QColor(60, 200, 90),
    CameraState.STALLED: QColor(240, 180, 40),
    CameraState.RECONNECTING: QColor(255, 130, 40),
    CameraState.ERROR: QColor(235, 60, 60),
}

STATE_LABELS = {
    CameraState.CONNECTING: "Connecting…",
    CameraState.LIVE: "Live",
    CameraState.STALLED: "Stalled",
    CameraState.RECONNECTING: "Reconnecting",
    CameraState.ERROR: "Error",
}
