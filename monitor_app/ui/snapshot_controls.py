"""Snapshots from the window: the Camera menu, a toolbar button, the tile menu, and "Copy Frame".

Ctrl+Shift+S saves the selected camera's newest frame (or, with no tile selected, every camera's),
at the resolution it arrived in (``core/snapshots.py``), into the snapshots folder (Edit ▸ Preferences;
the user's pictures folder by default). A URL camera's frames are decoded at the tile's size, so its
stream's next frame is asked for at full size (``core/sources/full_frame.py``) and waited for on the
worker. Waiting, encoding and writing run on one worker thread, never the GUI thread; the worker's
result comes back as a signal and shows briefly in the status bar, naming the file.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QImage, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from monitor_app.core.paths import snapshots_dir
from monitor_app.core.snapshot_frames import FULL_FRAME_WAIT_S, FullFrameWaits, Shot, scaled
from monitor_app.core.snapshots import save_snapshot
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.ui.layout_document import LayoutDocument
from monitor_app.ui.tile_selection import TileSelection

log = logging.getLogger(__name__)


class SnapshotControls(QObject):
    """Owns the snapshot actions and the worker thread; ``stop`` waits for a write in progress."""

    finished = Signal(str)  # from the worker: what to tell the user
    copied = Signal(QImage, str)  # from the worker: the frame for the clipboard, and whose it is

    def __init__(
        self,
        window: QMainWindow,
        pipeline: CameraPipeline,
        document: LayoutDocument,
        selection: TileSelection,
        menu: QMenu,
        folder: Callable[[], Path] = snapshots_dir,
    ) -> None:
        super().__init__(window)
        self._window, self._pipeline, self._document, self._selection = window, pipeline, document, selection
        self.folder = folder
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="snapshot")
        self._waits = FullFrameWaits()
        self.finished.connect(self._tell)
        self.copied.connect(self._to_clipboard)
        self.save_action = _action(window, menu, "Save &Snapshot", self.save_selected, "Ctrl+Shift+S")
        self.save_all_action = _action(window, menu, "Snapshot &All Cameras", self.save_all, "Ctrl+Alt+Shift+S")
        self.copy_action = _action(window, menu, "&Copy Frame", self.copy_selected, "Ctrl+Shift+C")
        menu.addSeparator()
        menu.addAction("Open Snapshots &Folder").triggered.connect(self._open_folder)
        bar = QToolBar("Snapshots", window)
        bar.setObjectName("snapshots-toolbar")  # saveState/restoreState know it by this name
        bar.addAction(self.save_action)
        window.addToolBar(bar)
        self.toolbar = bar

    def add_to_tile_menu(self, menu: QMenu, key: str) -> None:
        menu.addAction("Save Snapshot").triggered.connect(lambda: self.save([key]))
        menu.addAction("Copy Frame").triggered.connect(lambda: self.copy(key))

    # Actions -------------------------------------------------------------------------------
    @Slot()
    def save_selected(self) -> None:
        key = self._selection.current()
        self.save([key] if key is not None else self._wall_keys())

    @Slot()
    def save_all(self) -> None:
        self.save(self._wall_keys())

    def save(self, keys: list[str]) -> None:
        shots = [shot for key in keys if (shot := self._shot(key)) is not None]
        if not shots:
            self._tell("No frame to save yet" if keys else "No camera on the wall to take a snapshot of")
            return
        self._worker.submit(self._write, shots, self.folder())

    @Slot()
    def copy_selected(self) -> None:
        key = self._selection.current()
        if key is None:
            self._tell("Click a tile first: Copy Frame copies the selected camera's frame")
            return
        self.copy(key)

    def copy(self, key: str) -> None:
        shot = self._shot(key)
        if shot is None:
            self._tell("No frame to copy yet")
            return
        self._worker.submit(self._decode_for_clipboard, shot)

    def stop(self) -> None:
        """At shutdown: a snapshot being written is finished (it takes milliseconds); queued ones are dropped,
        and one waiting for a full-size frame takes the tile's at once."""
        self._waits.stop()
        self._worker.shutdown(wait=True, cancel_futures=True)

    # Internals -----------------------------------------------------------------------------
    def _tell(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 6000)

    def _wall_keys(self) -> list[str]:
        return [camera.id for camera in self._document.layout.placed_cameras()]

    def _shot(self, key: str) -> Shot | None:
        feed = self._pipeline.feed(key)
        frame = feed.last_frame if feed is not None else None
        if frame is None:
            return None
        title = next((c.label for c in self._document.layout.cameras if c.id == key), key)
        full = self._waits.ask(self._pipeline.request_full_frame(key)) if scaled(frame) else None
        return Shot(title, frame, full)

    def _write(self, shots: list[Shot], folder: Path) -> None:
        """On the worker thread."""
        saved: list[Path] = []
        small: list[EncodedFrame] = []  # saved at the tile's size: no full-size frame came in time
        deadline = time.monotonic() + FULL_FRAME_WAIT_S  # one wait for all: their frames were asked for together
        try:
            for shot in shots:
                frame, full_size = self._waits.frame(shot, deadline)
                saved.append(save_snapshot(folder, shot.title, frame))
                small += [] if full_size else [frame]
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            log.warning("could not save a snapshot in %s: %s", folder, reason)
            self.finished.emit(f"Could not save the snapshot in {folder}: {reason}")
            return
        log.info("saved %d snapshot(s) in %s", len(saved), folder)
        what = saved[0].name if len(saved) == 1 else f"{len(saved)} snapshots"
        self.finished.emit(f"Saved {what} in {folder}{_small_note(small, len(saved))}")

    def _decode_for_clipboard(self, shot: Shot) -> None:
        """On the worker thread: a QImage may be made off the GUI thread, the clipboard may not be touched."""
        title = shot.title
        frame, _ = self._waits.frame(shot, time.monotonic() + FULL_FRAME_WAIT_S)
        pixels = frame.pixels
        if frame.jpeg is not None:
            pixels = cv2.imdecode(np.frombuffer(frame.jpeg, np.uint8), cv2.IMREAD_COLOR)
        if pixels is None:
            self.finished.emit(f"Could not copy {title}'s frame: it does not decode")
            return
        if pixels.ndim == 2:
            pixels = cv2.cvtColor(pixels, cv2.COLOR_GRAY2BGR)
        elif pixels.shape[2] == 4:
            pixels = cv2.cvtColor(pixels, cv2.COLOR_BGRA2BGR)
        pixels = np.ascontiguousarray(pixels)
        height, width = pixels.shape[:2]
        image = QImage(pixels.data, width, height, 3 * width, QImage.Format.Format_BGR888).copy()
        self.copied.emit(image, title)

    @Slot(QImage, str)
    def _to_clipboard(self, image: QImage, title: str) -> None:
        QGuiApplication.clipboard().setImage(image)
        self._tell(f"Copied {title}'s frame ({image.width()}x{image.height()}) to the clipboard")

    @Slot()
    def _open_folder(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        folder = self.folder()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def _small_note(small: list[EncodedFrame], saved: int) -> str:
    if not small:
        return ""
    if saved == 1:
        height, width = small[0].pixels.shape[:2]  # type: ignore[union-attr]
        return f" at the tile's size ({width}x{height}): the camera sent no full-size frame in time"
    return f" ({len(small)} at their tile's size: no full-size frame came in time)"


def _action(window: QMainWindow, menu: QMenu, text: str, slot: Callable[[], None], keys: str) -> QAction:
    action = menu.addAction(text)
    action.setShortcut(QKeySequence(keys))
    action.triggered.connect(slot)
    window.addAction(action)  # the shortcut works with the menu bar hidden (full screen)
    return action
