"""The main window's menu bar: File, Edit (with Preferences), Layout, View, Help, and the recent-layouts list.

Every action is added to the window too, so its shortcut works while the menu bar is hidden
(full screen hides it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QWidget

from monitor_app import __version__
from monitor_app.core.identity import DISPLAY_NAME
from monitor_app.ui.preferences_dialog import open_preferences
from monitor_app.ui.settings import AppSettings

Handler = Callable[[], object]
Shortcut = QKeySequence | QKeySequence.StandardKey


@dataclass(frozen=True)
class MenuHandlers:
    """What each menu entry does; the window passes its own methods."""

    open_layout: Handler
    save_layout: Handler
    save_layout_as: Handler
    undo_stack: QUndoStack
    quit: Handler
    add_camera: Handler
    edit_camera: Handler
    remove_camera: Handler
    grid_size: Handler
    full_screen: Handler
    show_grid: Handler
    camera_list: Handler
    shortcuts: Handler
    about: Handler
    open_recent: Callable[[str], object]
    settings: AppSettings  # what Edit ▸ Preferences edits


class WindowMenus:
    """Builds the menus once; ``show_recent`` refills the recent-layouts submenu."""

    def __init__(self, window: QMainWindow, handlers: MenuHandlers) -> None:
        self._window = window
        self._handlers = handlers
        bar = window.menuBar()
        file_menu = bar.addMenu("&File")
        self._add(file_menu, "&Open Layout…", handlers.open_layout, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self._add(file_menu, "&Save Layout", handlers.save_layout, QKeySequence.StandardKey.Save)
        # Not the platform's Save As (Ctrl+Shift+S): on a camera wall that key takes a snapshot, far more often.
        self._add(file_menu, "Save Layout &As…", handlers.save_layout_as, QKeySequence("Ctrl+Alt+S"))
        file_menu.addSeparator()
        self._add(file_menu, "&Quit", handlers.quit, QKeySequence.StandardKey.Quit)
        history = bar.addMenu("&Edit")
        undo = handlers.undo_stack.createUndoAction(window, "&Undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = handlers.undo_stack.createRedoAction(window, "&Redo")
        # Ctrl+Shift+Z everywhere, and Ctrl+Y where that is the platform's habit.
        redo.setShortcuts(
            _distinct(QKeySequence("Ctrl+Shift+Z"), *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
        )
        for action in (undo, redo):
            history.addAction(action)
            window.addAction(action)
        self.undo_action, self.redo_action = undo, redo
        history.addSeparator()
        # Ctrl+, everywhere (Qt's Preferences key is empty on most Linux desktops); Cmd+, on macOS.
        self.preferences_action = self._add(
            history, "&Preferences…", lambda: open_preferences(handlers.settings, window), QKeySequence("Ctrl+,")
        )
        self.preferences_action.setShortcuts(
            _distinct(QKeySequence("Ctrl+,"), *QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences))
        )
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)  # macOS: the application menu
        edit_menu = bar.addMenu("&Layout")
        self._add(edit_menu, "&Add Camera…", handlers.add_camera, QKeySequence("Ctrl+N"))
        self._add(edit_menu, "&Edit Camera…", handlers.edit_camera, QKeySequence("Ctrl+E"))
        self._add(edit_menu, "&Remove Camera", handlers.remove_camera, QKeySequence.StandardKey.Delete)
        edit_menu.addSeparator()
        self._add(edit_menu, "&Grid Size…", handlers.grid_size, QKeySequence("Ctrl+G"))
        view_menu = bar.addMenu("&View")
        # F11 on every platform: Qt's FullScreen key is empty on Linux desktops other than KDE.
        full_screen = self._add(view_menu, "&Full Screen", handlers.full_screen, QKeySequence("F11"))
        full_screen.setShortcuts(
            _distinct(QKeySequence("F11"), *QKeySequence.keyBindings(QKeySequence.StandardKey.FullScreen))
        )
        self._add(view_menu, "Show &Grid", handlers.show_grid, QKeySequence(Qt.Key.Key_Escape))
        self.camera_list_action = self._add(view_menu, "&Camera List", handlers.camera_list, QKeySequence("F2"))
        self.camera_list_action.setCheckable(True)
        # Enabled and connected by ui/web_view.py once --web serves the wall.
        self.open_in_browser_action = self._add(view_menu, "Open in &Browser", lambda: None)
        view_menu.addSeparator()
        self.presets_menu = view_menu.addMenu("Grid &Presets")
        self.view_menu = view_menu
        self.camera_menu = bar.addMenu("&Camera")  # filled by ui/snapshot_controls.py
        help_menu = bar.addMenu("&Help")
        self._add(help_menu, "&Keyboard and Mouse…", handlers.shortcuts, QKeySequence("?"))
        self._add(help_menu, "&About", handlers.about)

    def show_recent(self, paths: list[str]) -> None:
        self.recent_menu.clear()
        for path in paths:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self._handlers.open_recent(p))
        self.recent_menu.setEnabled(bool(paths))

    def _add(self, menu: QMenu, text: str, slot: Handler, shortcut: Shortcut | None = None) -> QAction:
        action = QAction(text, self._window)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        self._window.addAction(action)  # shortcuts keep working with the menu bar hidden
        return action


def _distinct(*keys: QKeySequence) -> list[QKeySequence]:
    """Each key once: one action listing a key twice makes Qt call it ambiguous, and it never fires."""
    seen: list[QKeySequence] = []
    for key in keys:
        if not key.isEmpty() and key not in seen:
            seen.append(key)
    return seen


def show_about(parent: QWidget) -> None:
    QMessageBox.about(parent, f"About {DISPLAY_NAME}", f"{DISPLAY_NAME} {__version__}\nA desktop wall of live cameras.")
