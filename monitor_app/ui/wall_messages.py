"""What the wall says in words where no tile shows it: each connection's state, error and refused messages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from monitor_app.core.pipeline.health import CameraState, ConnectionSnapshot
from monitor_app.ui.state_style import STATE_LABELS

FAILED = (CameraState.ERROR, CameraState.RECONNECTING)
"""Connection states the wall names in its banner."""

ConnectionHealth = tuple[str, str, ConnectionSnapshot]
"""``CameraPipeline.connection_health`` entries: (connection id, description, its own state)."""


def empty_wall_text(has_connections: bool, connections: list[ConnectionHealth], unplaced: int = 0) -> str:
    if unplaced:
        lines = [f"No camera on the wall: {unplaced} in the camera list (View ▸ Camera List, F2)."]
    else:
        lines = ["No cameras yet."]
    lines += [connection_text(description, status) for _, description, status in connections]
    if not has_connections:
        lines.append("Use Layout ▸ Add Camera… or File ▸ Open Layout…")
    return "\n".join(lines)


def connection_text(description: str, status: ConnectionSnapshot) -> str:
    if status.state in FAILED:
        text = f"{description}: {STATE_LABELS[status.state]}: {status.error}"
    else:
        text = f"Waiting for cameras on {description}"
    if status.bad_messages:
        plural = "s" if status.bad_messages != 1 else ""
        last = f", the last: {status.last_bad_reason}" if status.last_bad_reason else ""
        text += f"\n    {status.bad_messages} malformed message{plural} refused{last}"
    return text


def plain_label(parent: QWidget, style: str) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # errors and reasons quote what peers sent: never markup
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


def set_text(label: QLabel, text: str) -> None:
    if label.text() != text:  # relaid out only when it changes, not on every health tick
        label.setText(text)
