"""The open layout as a document: its model, its file, whether it has unsaved edits, and saving.

Saves run on the saver thread (the wall keeps painting while the disk syncs); a save that
finishes after further edits leaves the document modified.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from monitor_app.core.identity import DISPLAY_NAME
from monitor_app.core.layouts.model import Layout
from monitor_app.receivers.layout_saver import LayoutSaver

SAVE_WAIT_S = 10.0  # closing with Save waits this long for the disk


class LayoutDocument(QObject):
    """What is open and whether it is saved; ``changed`` fires when the title would change."""

    changed = Signal()
    saved = Signal(str)
    """A file was written: its path (for the recent-layouts list)."""

    def __init__(self, layout: Layout, path: str | None, report_error: Callable[[str, str], None]) -> None:
        super().__init__()
        self.layout = layout
        self.path = path
        self.modified = False
        self._report_error = report_error
        self._edits = 0
        self._saves: dict[int, int] = {}  # save ticket -> the edit count it saved
        self.before_save: list[Callable[[], None]] = []  # bring the model up to date first (a tile's zoom)
        self._saver = LayoutSaver(self)
        self._saver.finished.connect(self._on_saved)

    def edited(self, layout: Layout, modified: bool = True) -> None:
        """The layout changed in the window (an edit, or a camera that appeared by itself)."""
        self.layout = layout
        self.modified = self.modified or modified
        self._edits += 1
        self.changed.emit()

    def set_modified(self, modified: bool) -> None:
        """Undo or redo reached (or left) the state the file holds."""
        if modified != self.modified:
            self.modified = modified
            self.changed.emit()

    def opened(self, layout: Layout, path: str | None) -> None:
        self.layout, self.path, self.modified = layout, path, False
        self._edits += 1
        self.changed.emit()

    def save(self, path: str, wait: bool = False) -> bool:
        """Start saving to ``path``; True once started. ``wait``: block until written, say whether it was."""
        for hook in self.before_save:
            hook()
        ticket = self._saver.save(self.layout, path)
        self._saves[ticket] = self._edits
        if not wait:
            return True
        error = self._saver.wait(ticket, SAVE_WAIT_S)
        if error is None:
            error = f"the disk did not finish writing within {SAVE_WAIT_S:.0f} s"
        self._on_saved(ticket, path, error)
        return not error

    def window_title(self) -> str:
        name = Path(self.path).name if self.path else (self.layout.title or "Untitled")
        return f"{'*' if self.modified else ''}{name} — {DISPLAY_NAME}"

    def close(self) -> None:
        """Stop the saver thread, letting the saves already asked for finish within its join timeout
        (closing with Save waits for its own file first, in ``save(wait=True)``)."""
        self._saver.stop()

    @Slot(int, str, str)
    def _on_saved(self, ticket: int, path: str, error: str) -> None:
        edits_saved = self._saves.pop(ticket, None)
        if edits_saved is None:  # already handled by a waiting save
            return
        if error:
            self._report_error(
                "Cannot save layout", f"{path} was not saved (the previous file is unchanged):\n\n{error}"
            )
            return
        self.path = path
        self.modified = self.modified and edits_saved != self._edits  # edited again while it was saving
        self.saved.emit(path)
        self.changed.emit()
