"""The "?" sheet: every keyboard shortcut and mouse gesture of the wall, on one page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Arrow keys", "select the next tile in that direction"),
    ("Enter / double-click", "show the selected camera alone; again (or Esc) for the grid"),
    ("Page Up / Page Down", "while one camera is shown alone: the previous / next camera"),
    ("Alt+1 … Alt+9", "grid presets: 1, 2x2, 3x3, 4x4, 5x5, 6x6, 8x8, 1 + 5, 1 + 7"),
    ("Mouse wheel", "zoom into a tile around the pointer (1x to 8x); the inset shows where you are"),
    ("Drag a zoomed tile", "pan the picture; drag its title bar to move the tile"),
    ("Ctrl+0", "reset the selected tile's zoom (also in the tile's menu)"),
    ("Drag a tile", "onto an empty cell: move it there; onto a tile: swap them (Esc cancels)"),
    ("Drag a tile's corner", "span it over several cells"),
    ("Drag from the camera list", "put that camera on a cell"),
    ("Double-click an empty cell", "add a camera there"),
    ("Ctrl+PgUp / Ctrl+PgDn", "the previous / next view (or click its tab)"),
    ("Ctrl+T / Ctrl+Shift+N", "a new view / the current view in a window of its own (for another monitor)"),
    ("Ctrl+Shift+T", "tour the views (the View menu also tours this view's cameras, and sets the interval)"),
    ("F2", "show or hide the camera list"),
    ("F11", "full screen (hides the menu bar); F11 or Esc to leave"),
    ("Ctrl+N / Ctrl+E / Delete", "add, edit, remove the selected camera"),
    ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo any change of the layout"),
    ("Ctrl+G", "grid size"),
    ("Ctrl+S / Ctrl+Alt+S / Ctrl+O", "save, save as, open a layout"),
    ("Ctrl+Shift+S", "snapshot of the selected camera (no tile selected: every camera); Ctrl+Alt+Shift+S: all"),
    ("Ctrl+Shift+C", "copy the selected camera's frame to the clipboard"),
    ("R", "start or stop recording the selected camera; Ctrl+Alt+R: record all; Ctrl+Alt+Shift+R: stop all"),
    ("?", "this sheet"),
)


class ShortcutsSheet(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard and mouse")
        rows = "".join(f"<tr><td><b>{keys}</b></td><td>&nbsp;&nbsp;{what}</td></tr>" for keys, what in SHORTCUTS)
        label = QLabel(f"<table cellspacing='4'>{rows}</table>")
        label.setTextFormat(Qt.TextFormat.RichText)  # our own fixed text, never a peer's
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
