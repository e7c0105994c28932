"""The menu a right-click on a tile opens."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from monitor_app.core.layouts.presets import TIMES
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.ui.camera_grid import CameraGrid
from monitor_app.ui.layout_editing import LayoutEditing

SPANS = ((1, 1), (1, 2), (2, 1), (2, 2), (3, 3))
"""(rows, columns) the Span submenu offers; dragging a tile's corner gives any other."""


def tile_menu(
    parent: QWidget, key: str, span: tuple[int, int], grid: CameraGrid, pipeline: CameraPipeline, editing: LayoutEditing
) -> QMenu:
    """Show alone or back to the grid, reset zoom, reconnect now (while waiting to retry), span, edit, remove."""
    menu = QMenu(parent)
    alone = "Back to Grid" if grid.full_window_key == key else "Show Alone"
    menu.addAction(alone).triggered.connect(lambda: grid.toggle_full_window(key))
    tile = grid.tiles.get(key)
    reset = menu.addAction("Reset Zoom")
    reset.setShortcut(QKeySequence("Ctrl+0"))  # shown as a hint: the focused tile takes the key itself
    reset.setEnabled(tile is not None and tile.zoom is not None)
    if tile is not None:
        reset.triggered.connect(lambda: tile.set_zoom(None))
    if pipeline.can_retry(key):
        menu.addAction("Reconnect Now").triggered.connect(lambda: pipeline.retry_now(key))
    menu.addSeparator()
    spans = menu.addMenu("Span")
    for rows, columns in SPANS:
        action = spans.addAction(f"{rows} {TIMES} {columns}")
        action.setCheckable(True)
        action.setChecked((rows, columns) == span)
        action.triggered.connect(lambda _=False, r=rows, c=columns: editing.span(key, r, c))
    menu.addAction("Move to Camera List").triggered.connect(lambda: editing.move_to_list(key))
    menu.addSeparator()
    menu.addAction("Edit Camera…").triggered.connect(editing.edit_selected_camera)
    menu.addAction("Remove Camera").triggered.connect(editing.remove_selected_camera)
    return menu
