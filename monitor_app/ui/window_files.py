"""The File menu's dialogs around the layout document: open, save, save as, and "save changes?"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.files import read_layout
from monitor_app.core.layouts.model import Layout, unique_id
from monitor_app.core.paths import new_layout_path
from monitor_app.ui.layout_document import LayoutDocument

FILTER = "Layouts (*.json)"


class WindowFiles:
    """Asks the user for files and answers; ``show_opened`` puts an opened layout on the wall."""

    def __init__(
        self,
        parent: QWidget,
        document: LayoutDocument,
        show_opened: Callable[[Layout, str], None],
        report_error: Callable[[str, str], None],
        scripted: bool,
    ) -> None:
        self._parent = parent
        self._document = document
        self._show_opened = show_opened
        self._report_error = report_error
        self._scripted = scripted

    def open_file(self, path: str) -> bool:
        """Open ``path`` after asking to save unsaved changes; a bad file is named and nothing changes."""
        try:
            layout = read_layout(path)
        except LayoutError as exc:
            self._report_error("Cannot open layout", f"{path} was not opened:\n\n" + "\n".join(map(str, exc.problems)))
            return False
        if not self.confirm_discard():
            return False
        self._show_opened(layout, path)
        return True

    def open_dialog(self) -> None:
        start = Path(self._document.path or new_layout_path()).parent
        path, _ = QFileDialog.getOpenFileName(self._parent, "Open layout", str(start), FILTER)
        if path:
            self.open_file(path)

    def save(self, path: str | None = None, wait: bool = False) -> bool:
        """Save in the background (the wall keeps painting while the disk syncs); True once started.

        ``wait``: block until the file is written (closing the window) and say whether it was.
        """
        target = path or self._document.path
        if not target:
            return self.save_as(wait)
        return self._document.save(target, wait)

    def save_as(self, wait: bool = False) -> bool:
        path, _ = QFileDialog.getSaveFileName(self._parent, "Save layout", str(self.proposed_path()), FILTER)
        return bool(path) and self.save(path if path.endswith(".json") else path + ".json", wait)

    def proposed_path(self) -> Path:
        """Where Save As starts: the user's layouts folder (never the working directory), under the
        file's own name, or the layout's title for one that has none yet."""
        document = self._document
        if document.path:
            return new_layout_path(Path(document.path).name)
        title = document.layout.title
        return new_layout_path(f"{unique_id([], title)}.json") if title else new_layout_path()

    def confirm_discard(self) -> bool:
        """True when unsaved changes may go: saved, discarded by the user, or nothing to lose."""
        if not self._document.modified or self._scripted:
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self._parent,
            "Unsaved layout",
            "The layout has unsaved changes. Save them?",
            buttons.Save | buttons.Discard | buttons.Cancel,
        )
        if answer == buttons.Save:
            return self.save(wait=True)
        return answer == buttons.Discard
