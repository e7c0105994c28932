"""The wall's keys: arrows move the selection between tiles; shown alone, PageUp/PageDown step through the cameras."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from PySide6.QtCore import Qt

from monitor_app.core.layouts.arrange import neighbour, reading_order
from monitor_app.core.layouts.spec import Layout

PAGE_KEYS = (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
ARROWS = {Qt.Key.Key_Left: "left", Qt.Key.Key_Right: "right", Qt.Key.Key_Up: "up", Qt.Key.Key_Down: "down"}


class Wall(Protocol):
    """What of ``CameraGrid`` the keys use."""

    full_window_key: str

    @property
    def tiles(self) -> Mapping[str, object]: ...

    def selected_key(self) -> str | None: ...

    def select(self, key: str) -> None: ...

    def step_alone(self, step: int) -> None: ...


def grid_key(wall: Wall, layout: Layout, key: int) -> bool:
    """Act on ``key``; False when it is not one of the wall's."""
    selected = wall.selected_key()
    if selected is None and wall.tiles and (key in ARROWS or key in PAGE_KEYS):
        wall.select(next(iter(reading_order(layout)), ""))
    elif selected is not None and key in ARROWS and not wall.full_window_key:
        target = neighbour(layout, selected, ARROWS[Qt.Key(key)])
        if target is not None:
            wall.select(target)
    elif wall.full_window_key and key in PAGE_KEYS:
        wall.step_alone(1 if key == Qt.Key.Key_PageDown else -1)
    else:
        return False
    return True
