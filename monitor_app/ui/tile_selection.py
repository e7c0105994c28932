"""Which tile is selected: the one last focused, for as long as it is on the wall.

Focus alone cannot say it: a dialog takes the focus, and the edit it makes rebuilds tiles. So the
selection follows the focus while a tile has it, survives a dialog and an edit, and is given back
to the tile once the edit is shown (Delete after Edit acts on the camera just edited).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QApplication, QWidget

from monitor_app.ui.camera_grid import CameraGrid


class TileSelection(QObject):
    def __init__(self, grid: CameraGrid) -> None:
        super().__init__(grid)
        self._grid = grid
        self._key: str | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def current(self) -> str | None:
        """The selected tile's camera, else the one shown alone, else None."""
        focused = self._grid.selected_key()
        if focused is not None:
            return focused
        return self._key if self._key in self._grid.tiles else None

    def restore(self) -> None:
        """After an edit: the selected camera's tile (a new one, if the edit rebuilt it) has the focus again."""
        if self._key in self._grid.tiles:
            self._grid.select(self._key)

    @Slot(QWidget, QWidget)
    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        key = next((k for k, tile in self._grid.tiles.items() if tile is new), None)
        if key is not None:
            self._key = key
