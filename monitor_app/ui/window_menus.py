"""The main window's menu bar: File, Layout, View, Help, and the recent-layouts list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

Handler = Callable[[], object]
Shortcut = QKeySequence | QKeySequence.StandardKey


@dataclass(frozen=True)
class MenuHandlers:
    """What each menu entry does; the window passes its own methods."""

    open_layout: Handler
    save_layout: Handler
    save_layout_as: Handler
    quit: Handler
    add_camera: Handler
    edit_camera: Handler
    remove_camera: Handler
    grid_size: Handler
    full_screen: Handler
    show_grid: Handler
    about: Handler
    open_recent: Callable[[str], object]


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
        self._add(file_menu, "Save Layout &As…", handlers.save_layout_as, QKeySequence.StandardKey.SaveAs)
        file_menu.addSeparator()
        self._add(file_menu, "&Quit", handlers.quit, QKeySequence.StandardKey.Quit)
        edit_menu = bar.addMenu("&Layout")
        self._add(edit_menu, "&Add Camera…", handlers.add_camera, QKeySequence("Ctrl+N"))
        self._add(edit_menu, "&Edit Camera…", handlers.edit_camera, QKeySequence("Ctrl+E"))
        self._add(edit_menu, "&Remove Camera", handlers.remove_camera, QKeySequence.StandardKey.Delete)
        edit_menu.addSeparator()
        self._add(edit_menu, "&Grid Size…", handlers.grid_size, QKeySequence("Ctrl+G"))
        view_menu = bar.addMenu("&View")
        self._add(view_menu, "&Full Screen", handlers.full_screen, QKeySequence.StandardKey.FullScreen)
        self._add(view_menu, "Show &Grid", handlers.show_grid, QKeySequence(Qt.Key.Key_Escape))
        help_menu = bar.addMenu("&Help")
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
        return action
