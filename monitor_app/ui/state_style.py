"""How each camera state looks on a tile, and how the selected tile stands out."""

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

FAILING_STATES = frozenset({CameraState.STALLED, CameraState.RECONNECTING, CameraState.ERROR})
"""States whose tile gets a border in its state colour."""
FAILURE_BORDER_PX = 2

SELECTION_COLOUR = QColor(0, 220, 255)
"""The selected (focused) tile's frame: a bright cyan no state uses, drawn inside a failure border."""
SELECTION_BORDER_PX = 3
