"""The layout's views in the main window: a tab per view, Ctrl+PgUp/PgDn, and the View menu's view edits.

Switching views is not an edit (nothing to save or undo: the file keeps no "current view"); new,
duplicate, rename, delete and reorder are, through ``edit``, so Edit ▸ Undo takes each back.
Dragging a tab reorders the views.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMenu, QTabBar, QToolBar

from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.spec import Layout
from monitor_app.core.layouts.views import (
    add_view,
    delete_view,
    duplicate_view,
    move_view,
    rename_view,
    show_view,
    views_of,
)

Edit = Callable[[Layout, str], None]


class ViewControls(QObject):
    """Tabs and menu entries for the views of ``layout()``; ``show`` keeps the tabs in step with it."""

    def __init__(
        self,
        window: QMainWindow,
        layout: Callable[[], Layout],
        switch: Callable[[Layout], None],
        edit: Edit,
        menu: QMenu,
        tell: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._window, self._layout, self._switch, self._edit, self._tell = window, layout, switch, edit, tell
        self.tabs = QTabBar()
        self.tabs.setObjectName("view-tabs")
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.setExpanding(False)
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the wall
        self.tabs.currentChanged.connect(self._tab_chosen)
        self.tabs.tabMoved.connect(self._tab_moved)
        self.tabs.tabBarDoubleClicked.connect(self.rename)
        self.toolbar = QToolBar("Views", window)
        self.toolbar.setObjectName("views-toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.addWidget(self.tabs)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        menu.addSeparator()
        views = menu.addMenu("&Views")
        self.menu = views
        self._add(views, "&Next View", lambda: self.step(1), "Ctrl+PgDown")
        self._add(views, "&Previous View", lambda: self.step(-1), "Ctrl+PgUp")
        views.addSeparator()
        self._add(views, "&New View", self.new_view, "Ctrl+T")
        self._add(views, "&Duplicate View", self.duplicate)
        self._add(views, "&Rename View…", lambda: self.rename(self._layout().current_view))
        self._add(views, "Move View &Left", lambda: self.move(-1))
        self._add(views, "Move View Ri&ght", lambda: self.move(1))
        self._add(views, "De&lete View", self.delete)
        self._showing = False

    def _add(self, menu: QMenu, text: str, slot: Callable[[], object], key: str = "") -> QAction:
        action = QAction(text, self._window)
        if key:
            action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        menu.addAction(action)
        self._window.addAction(action)  # the keys work with the menu bar hidden (full screen)
        return action

    def show(self, layout: Layout) -> None:
        """Tabs for ``layout``'s views, its current one selected (no signal: that is not a choice)."""
        self._showing = True
        try:
            titles = [view.title for view in views_of(layout)]
            while self.tabs.count() > len(titles):
                self.tabs.removeTab(self.tabs.count() - 1)
            for i, title in enumerate(titles):
                if i < self.tabs.count():
                    self.tabs.setTabText(i, title)
                else:
                    self.tabs.addTab(title)
            self.tabs.setCurrentIndex(layout.current_view)
        finally:
            self._showing = False

    # Switching (not edits) -------------------------------------------------------------------
    def show_view(self, index: int) -> None:
        layout = self._layout()
        if index != layout.current_view:
            self._switch(show_view(layout, index))

    def step(self, offset: int) -> None:
        layout = self._layout()
        self.show_view((layout.current_view + offset) % len(views_of(layout)))

    def _tab_chosen(self, index: int) -> None:
        if not self._showing and index >= 0:
            self.show_view(index)

    # Edits (undoable) ------------------------------------------------------------------------
    def new_view(self) -> None:
        self._edit(add_view(self._layout()), "New View")
        self._tell("A new empty view: drag cameras onto it from the camera list (F2)")

    def duplicate(self) -> None:
        self._edit(duplicate_view(self._layout()), "Duplicate View")

    def rename(self, index: int) -> None:
        layout = self._layout()
        if not 0 <= index < len(views_of(layout)):
            return
        old = views_of(layout)[index].title
        title, ok = QInputDialog.getText(self._window, "Rename View", "Name of the view:", text=old)
        if ok and title.strip() != old:
            self._try(lambda: rename_view(layout, index, title), "Rename View")

    def move(self, offset: int) -> None:
        layout = self._layout()
        self._edit(move_view(layout, layout.current_view, offset), "Move View")

    def delete(self) -> None:
        layout = self._layout()
        self._try(lambda: delete_view(layout, layout.current_view), "Delete View")

    def _tab_moved(self, frm: int, to: int) -> None:
        if not self._showing:
            layout = self._layout()
            self._edit(move_view(layout, frm, to - frm), "Move View")

    def _try(self, make: Callable[[], Layout], text: str) -> None:
        try:
            self._edit(make(), text)
        except LayoutError as exc:
            self._tell(exc.problems[0].message.capitalize())
