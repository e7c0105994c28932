"""Keeps each tile's digital zoom in the open layout, so saving the layout keeps it.

A zoom is a way of looking at a camera, like scrolling a page: it is not an undoable edit (Ctrl+Z
after zooming undoes the last change of the wall, not the zoom; Ctrl+0 or the tile menu resets it).
It still marks the layout changed, and is written into the document a moment after the last wheel
notch or drag (``COMMIT_AFTER_MS``), not on every one. The tiles hold the zoom shown; an edit, or
its undo, that brings a layout with another zoom for a tile still on the wall is brought back in line
with what the tile shows (``CameraGrid`` re-announces such tiles).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Slot

from monitor_app.core.layouts.edits import with_zooms
from monitor_app.ui.camera_grid import CameraGrid
from monitor_app.ui.layout_document import LayoutDocument

COMMIT_AFTER_MS = 300


class ZoomKeeper(QObject):
    """Writes the zoom of tiles that changed into ``document``, coalesced."""

    def __init__(self, grid: CameraGrid, document: LayoutDocument) -> None:
        super().__init__(grid)
        self._grid, self._document = grid, document
        self._changed: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMMIT_AFTER_MS)
        self._timer.timeout.connect(self.commit)
        grid.zoom_changed.connect(self._zoomed)
        document.before_save.append(self.commit)

    @Slot(str)
    def _zoomed(self, key: str) -> None:
        self._changed.add(key)
        self._timer.start()  # restarted by every change: one write at the end of a gesture

    @Slot()
    def commit(self) -> None:
        """Write now what changed (also before a save, so the file has the zoom just made)."""
        self._timer.stop()
        tiles = self._grid.tiles
        zooms = {key: tiles[key].zoom for key in self._changed if key in tiles}
        self._changed.clear()
        layout = with_zooms(self._document.layout, zooms)
        if layout is not self._document.layout:
            self._document.edited(layout)
