"""The menu a right-click on a tile opens."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu, QWidget

from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.ui.camera_grid import CameraGrid
from monitor_app.ui.layout_editing import LayoutEditing


def tile_menu(parent: QWidget, key: str, grid: CameraGrid, pipeline: CameraPipeline, editing: LayoutEditing) -> QMenu:
    """Show alone or back to the grid, reconnect now (while waiting to retry), edit, remove."""
    menu = QMenu(parent)
    alone = "Back to Grid" if grid.full_window_key == key else "Show Alone"
    menu.addAction(alone).triggered.connect(lambda: grid.toggle_full_window(key))
    if pipeline.can_retry(key):
        menu.addAction("Reconnect Now").triggered.connect(lambda: pipeline.retry_now(key))
    menu.addSeparator()
    menu.addAction("Edit Camera…").triggered.connect(editing.edit_selected_camera)
    menu.addAction("Remove Camera").triggered.connect(editing.remove_selected_camera)
    return menu
