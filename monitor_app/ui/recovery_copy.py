"""An autosaved copy of unsaved layout changes, offered back after a crash.

A few seconds after each unsaved edit, the layout is written to the recovery folder (never over the
user's file) on a saver thread, with the name of the file it belongs to beside it. Saving, undoing
back to the saved state or closing normally removes the copy. If the copy is still there at the
next start, the app crashed or was killed with changes unsaved: the window offers to bring them back.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from monitor_app.core.atomic_file import write_text_atomic
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.files import read_layout, write_layout
from monitor_app.core.layouts.model import Layout
from monitor_app.core.paths import recovery_dir
from monitor_app.receivers.layout_saver import LayoutSaver
from monitor_app.ui.layout_document import LayoutDocument

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 3000
"""After the last edit: a burst of edits (a drag, presets tried in turn) is written once."""
COPY_NAME = "unsaved-layout.json"
OWNER_NAME = "unsaved-layout.for"  # the path of the file the changes belong to ("" for an untitled layout)


class RecoveryCopy(QObject):
    """Keeps the recovery copy of ``document`` up to date; ``offer`` asks about one left by a crash."""

    def __init__(self, document: LayoutDocument, folder: Path | None = None) -> None:
        super().__init__(document)
        self._document = document
        self._folder = folder or recovery_dir()
        self._owner = ""
        self._saver = LayoutSaver(self, write=self._write)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self._save_now)
        document.changed.connect(self._document_changed)

    @property
    def path(self) -> Path:
        return self._folder / COPY_NAME

    def offer(self, parent: QWidget, restore: Callable[[Layout, str | None], None]) -> bool:
        """A copy left by a crash: ask, then ``restore(layout, its file)`` or discard it. True if restored."""
        found = self._read()
        if found is None:
            return False
        layout, owner = found
        where = f"of {owner}" if owner else f"of the untitled layout {layout.title!r}"
        answer = QMessageBox.question(
            parent,
            "Unsaved changes found",
            f"Camera Monitor closed without saving your changes {where}.\n\nRestore them? "
            "(They stay unsaved until you save; the file itself was not changed.)",
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.discard()
            return False
        restore(layout, owner or None)
        return True

    def save_now(self, timeout_s: float = 5.0) -> bool:
        """Write the copy at once and wait for it (the app is told to quit and may not ask); True if written."""
        self._timer.stop()
        if not self._document.modified:
            return False
        return self._saver.wait(self._queue_save(), timeout_s) == ""

    def discard(self) -> None:
        """The changes are saved or given up: the copy goes."""
        self._timer.stop()
        for name in (COPY_NAME, COPY_NAME + ".bak", OWNER_NAME):
            with contextlib.suppress(OSError):
                (self._folder / name).unlink(missing_ok=True)

    def stop(self) -> None:
        self._timer.stop()
        self._saver.stop()

    @Slot()
    def _document_changed(self) -> None:
        if self._document.modified:
            self._timer.start()  # restarted by every edit
        elif self.path.exists() or self._timer.isActive():
            self.discard()

    @Slot()
    def _save_now(self) -> None:
        if self._document.modified:
            self._queue_save()

    def _queue_save(self) -> int:
        self._owner = self._document.path or ""  # read by the saver thread once this save runs
        return self._saver.save(self._document.layout, str(self.path))

    def _write(self, layout: Layout, path: str) -> None:
        """On the saver thread: the layout, then whose it is."""
        write_layout(layout, path)
        write_text_atomic(Path(path).with_name(OWNER_NAME), self._owner)

    def _read(self) -> tuple[Layout, str] | None:
        if not self.path.exists():
            return None
        try:
            layout = read_layout(self.path)
            owner = (self._folder / OWNER_NAME).read_text(encoding="utf-8").strip()
        except (OSError, LayoutError) as exc:
            log.warning("recovery copy %s not usable: %s", self.path, exc)
            self.discard()
            return None
        return layout, owner
