"""The camera list: every camera of the layout by connection, on the wall or not, with its state.

A row dragged onto a cell of the wall carries the same data as a dragged tile (``tile_drag``), so
the grid's drop puts it there: that is how a camera "not on the wall" is placed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QDockWidget, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from monitor_app.core.layouts.model import CameraSpec, Layout
from monitor_app.core.pipeline.health import CameraState, HealthSnapshot
from monitor_app.ui.state_style import STATE_COLOURS, STATE_LABELS
from monitor_app.ui.tile_drag import ExecDrag, camera_mime, exec_drag

CAMERA_ROLE = Qt.ItemDataRole.UserRole
"""A camera row's camera id (group rows have none)."""
CONNECTION_ROLE = Qt.ItemDataRole.UserRole + 1
"""A group row's connection id."""
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
"""What the filter box matches: title, name, connection id and description, case-folded."""
NOT_ON_WALL = "(not on the wall)"
UNKNOWN_COLOUR = QColor(120, 124, 132)
"""The dot of a camera without health (no feed yet)."""
DOT_PX = 12

Health = Callable[[str], "HealthSnapshot | None"]
"""``CameraPipeline.health``: a camera's snapshot, None when it has no feed."""
Describe = Callable[[str], str]
"""``CameraPipeline.source_description``: a connection's description for people."""

_dots: dict[CameraState | None, QIcon] = {}


def state_dot(state: CameraState | None) -> QIcon:
    """A round dot in the state's colour (grey for None), made once per state."""
    icon = _dots.get(state)
    if icon is None:
        pixmap = QPixmap(DOT_PX, DOT_PX)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(STATE_COLOURS[state] if state is not None else UNKNOWN_COLOUR)
        painter.drawEllipse(QPointF(DOT_PX / 2, DOT_PX / 2), DOT_PX / 2 - 1, DOT_PX / 2 - 1)
        painter.end()
        icon = _dots[state] = QIcon(pixmap)
    return icon


class CameraTree(QTreeWidget):
    """The rows; dragging a camera row starts the wall's camera drag instead of an item move."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exec_drag: ExecDrag = exec_drag
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setRootIsDecorated(True)
        self.setSelectionMode(QTreeWidget.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QTreeWidget.DragDropMode.DragOnly)

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        item = self.currentItem()
        camera_id = item.data(0, CAMERA_ROLE) if item is not None else None
        if item is not None and camera_id:  # never the item view's own drag: a move drop would delete the row
            self.exec_drag(self, camera_mime(camera_id), self.viewport().grab(self.visualItemRect(item)))


class CameraList(QDockWidget):
    """A dock titled "Cameras": a filter box over a tree of connections and their cameras."""

    show_alone_requested = Signal(str)
    """A camera row double-clicked: (camera id)."""

    def __init__(self, describe: Describe | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Cameras", parent)
        self.setObjectName("camera-list")  # QMainWindow.saveState names docks by it
        self._describe: Describe = describe or (lambda connection_id: connection_id)
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(4, 4, 4, 4)
        column.setSpacing(4)
        self.filter_box = QLineEdit(body)
        self.filter_box.setPlaceholderText("Filter by name or connection")
        self.filter_box.setClearButtonEnabled(True)
        self.tree = CameraTree(body)
        column.addWidget(self.filter_box)
        column.addWidget(self.tree, 1)
        self.setWidget(body)
        self._rows: dict[str, QTreeWidgetItem] = {}  # camera id -> its row
        self._states: dict[str, CameraState | None] = {}  # the state each row's dot shows
        self.filter_box.textChanged.connect(self._apply_filter)
        self.tree.itemDoubleClicked.connect(self._on_double_click)

    def show_layout(self, layout: Layout) -> None:
        """Rebuild the rows from ``layout``, keeping which groups are collapsed, the selection and the filter."""
        collapsed = {
            group.data(0, CONNECTION_ROLE)
            for group in self._groups()
            if not group.isExpanded()  # new connections come in expanded
        }
        selected = _identity(self.tree.currentItem())
        self.tree.clear()
        self._rows.clear()
        for conn in layout.connections:
            description = self._describe(conn.id)
            group = QTreeWidgetItem(self.tree, [f"{description} \u2014 {conn.kind}"])
            group.setData(0, CONNECTION_ROLE, conn.id)
            group.setToolTip(0, f"{description}\n{conn.kind} connection {conn.id!r}")
            group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            for cam in layout.cameras:
                if cam.connection == conn.id:
                    self._rows[cam.id] = self._camera_row(group, cam, conn.id, description)
            group.setExpanded(conn.id not in collapsed)
        self._states = {key: state for key, state in self._states.items() if key in self._rows}
        for key, row in self._rows.items():
            row.setIcon(0, state_dot(self._states.setdefault(key, None)))
        self._apply_filter(self.filter_box.text())
        for item in [*self._groups(), *self._rows.values()]:
            if selected is not None and _identity(item) == selected:
                self.tree.setCurrentItem(item)

    def refresh_health(self, health: Health) -> None:
        """The window's health tick: repaint only the dots whose state changed."""
        for key, row in self._rows.items():
            snapshot = health(key)
            state = snapshot.state if snapshot is not None else None
            if self._states.get(key, ...) is not state:
                self._states[key] = state
                row.setIcon(0, state_dot(state))
                row.setStatusTip(0, STATE_LABELS[state] if state is not None else "")

    def row(self, camera_id: str) -> QTreeWidgetItem | None:
        """The camera's row, if it is in the list."""
        return self._rows.get(camera_id)

    def shown_state(self, camera_id: str) -> CameraState | None:
        """The state the camera's dot shows (None: grey, no health yet)."""
        return self._states.get(camera_id)

    def _camera_row(self, group: QTreeWidgetItem, cam: CameraSpec, conn_id: str, description: str) -> QTreeWidgetItem:
        text = cam.label if cam.placed else f"{cam.label}  {NOT_ON_WALL}"
        row = QTreeWidgetItem(group, [text])
        row.setData(0, CAMERA_ROLE, cam.id)
        row.setData(0, SEARCH_ROLE, " ".join((cam.title, cam.name, cam.id, conn_id, description)).casefold())
        row.setToolTip(
            0, f"{cam.label}\n{description}" + ("" if cam.placed else f"\n{NOT_ON_WALL}: drag it onto a cell")
        )
        row.setFlags(row.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
        if not cam.placed:
            font = row.font(0)
            font.setItalic(True)
            row.setFont(0, font)
        return row

    def _groups(self) -> list[QTreeWidgetItem]:
        return _children(self.tree.invisibleRootItem())

    def _apply_filter(self, text: str) -> None:
        """Hide the camera rows that do not match, and the groups left without any (while filtering)."""
        needle = text.strip().casefold()
        for group in self._groups():
            matches = 0
            for row in _children(group):
                hidden = bool(needle) and needle not in str(row.data(0, SEARCH_ROLE))
                row.setHidden(hidden)
                matches += not hidden
            group.setHidden(bool(needle) and not matches)

    def _on_double_click(self, item: QTreeWidgetItem, column: int) -> None:
        camera_id = item.data(0, CAMERA_ROLE)
        if camera_id:
            self.show_alone_requested.emit(camera_id)


def _identity(item: QTreeWidgetItem | None) -> tuple[str, str] | None:
    """What a row stands for across rebuilds: ("camera", id) or ("connection", id)."""
    if item is None:
        return None
    camera_id = item.data(0, CAMERA_ROLE)
    return ("camera", camera_id) if camera_id else ("connection", str(item.data(0, CONNECTION_ROLE)))


def _children(group: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [item for n in range(group.childCount()) if (item := group.child(n)) is not None]
