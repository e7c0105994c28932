"""Undo and redo of the user's layout edits: a QUndoStack of (before, after) layouts.

Each edit is a whole-layout snapshot pair, not an inverse operation: layouts are small, and a
snapshot cannot drift from what the user saw. Cameras that appear by themselves are not edits
and are not on the stack; undoing past their arrival removes their tile, and they come back as
new cameras on their next frame. The stack's clean state is the saved file: undoing back to it
clears the title's unsaved-changes mark.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from monitor_app.core.layouts.model import Layout

UNDO_LIMIT = 200


class _LayoutEdit(QUndoCommand):
    def __init__(self, before: Layout, after: Layout, text: str, show: Callable[[Layout], None]) -> None:
        super().__init__(text)
        self._before, self._after, self._show = before, after, show

    def redo(self) -> None:
        self._show(self._after)

    def undo(self) -> None:
        self._show(self._before)


class LayoutHistory:
    """Records edits as they are made; ``show`` switches the window to a layout (not an edit itself)."""

    def __init__(self, show: Callable[[Layout], None], parent: QWidget) -> None:
        self.stack = QUndoStack(parent)
        self.stack.setUndoLimit(UNDO_LIMIT)
        self._show = show

    def record(self, before: Layout, after: Layout, text: str) -> None:
        """The user changed ``before`` into ``after``: shows ``after`` (QUndoStack.push runs redo)."""
        self.stack.push(_LayoutEdit(before, after, text, self._show))

    def saved(self) -> None:
        """The file now holds the current layout."""
        self.stack.setClean()

    def forget(self) -> None:
        """A different file was opened: nothing before it can be undone."""
        self.stack.clear()
