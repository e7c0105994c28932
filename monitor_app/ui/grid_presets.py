"""Grid presets (1, 2x2 … 8x8, 1 + 5, 1 + 7, 1 + 12, 2 + 8): one action each, in a toolbar and a menu.

Each action's icon is drawn from the preset's own slots, so the toolbar shows the shape of the wall
it makes. Alt+1 … Alt+9 choose the first nine.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from monitor_app.core.layouts.presets import PRESETS, Preset

ICON_SIZE = 22
TILE = QColor(90, 160, 255)
EDGE = QColor(20, 24, 30)


def preset_actions(window: QMainWindow, apply: Callable[[str], object]) -> list[QAction]:
    """One action per preset, in ``PRESETS`` order; triggering one calls ``apply(name)``."""
    actions = []
    for number, preset in enumerate(PRESETS.values(), start=1):
        action = QAction(preset_icon(preset), preset.label, window)
        action.setToolTip(f"Arrange the wall as {preset.label}" + (f" (Alt+{number})" if number <= 9 else ""))
        if number <= 9:
            action.setShortcut(QKeySequence(f"Alt+{number}"))
        action.setObjectName(f"preset-{preset.name}")
        action.triggered.connect(lambda _=False, name=preset.name: apply(name))
        window.addAction(action)  # the shortcut works with the menu bar and the toolbar hidden
        actions.append(action)
    return actions


def add_preset_toolbar(window: QMainWindow, menu: QMenu, actions: list[QAction]) -> QToolBar:
    """The presets as a toolbar (hidden in full screen with the menu bar) and as ``menu``'s entries."""
    for action in actions:
        menu.addAction(action)
    bar = QToolBar("Grid presets", window)
    bar.setObjectName("grid-presets")
    bar.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    for action in actions:
        bar.addAction(action)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return bar


def preset_icon(preset: Preset) -> QIcon:
    pixmap = QPixmap(ICON_SIZE, ICON_SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    cell_w, cell_h = (ICON_SIZE - 2) / preset.columns, (ICON_SIZE - 2) / preset.rows
    painter.setPen(QPen(EDGE, 1))
    painter.setBrush(TILE)
    for row, column, row_span, column_span in preset.slots:
        painter.drawRect(QRectF(1 + column * cell_w, 1 + row * cell_h, column_span * cell_w, row_span * cell_h))
    painter.end()
    return QIcon(pixmap)
