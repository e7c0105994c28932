"""The Layout menu's actions: dialogs in, validated layouts out, errors shown, nothing lost.

It knows nothing of the window: it reads the layout and the selected camera, and hands an
edited layout on, through the callbacks it is given.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from monitor_app.core.identity import DISPLAY_NAME
from monitor_app.core.layouts.edits import CameraForm, apply_camera_form, form_for_camera, remove_camera, resize_grid
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.model import Layout
from monitor_app.ui.camera_dialog import CameraDialog
from monitor_app.ui.grid_dialog import GridSizeDialog


class LayoutEditing:
    """Add, edit and remove cameras and resize the grid, each as one validated edit."""

    def __init__(
        self,
        parent: QWidget,
        layout: Callable[[], Layout],
        selected_camera: Callable[[], str | None],
        apply: Callable[[Layout], None],
    ) -> None:
        self._parent = parent
        self._layout = layout
        self._selected_camera = selected_camera
        self._apply_layout = apply

    def add_camera(self) -> None:
        layout = self._layout()
        row, column = layout.free_cell() or (0, 0)
        form = CameraForm(title=f"Camera {len(layout.cameras) + 1}", row=row, column=column)
        dialog = CameraDialog(form, "Add camera", self._parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._apply(lambda: apply_camera_form(layout, dialog.form()))

    def edit_selected_camera(self) -> None:
        key = self._selected_camera()
        if key is None:
            self._tell("Click a camera first, then choose Edit Camera.")
            return
        layout = self._layout()
        dialog = CameraDialog(form_for_camera(layout, key), "Edit camera", self._parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._apply(lambda: apply_camera_form(layout, dialog.form(), key))

    def remove_selected_camera(self) -> None:
        key = self._selected_camera()
        if key is None:
            self._tell("Click a camera first, then choose Remove Camera.")
            return
        self._apply(lambda: remove_camera(self._layout(), key))

    def choose_grid_size(self) -> None:
        layout = self._layout()
        dialog = GridSizeDialog(layout.rows, layout.columns, self._parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._apply(lambda: resize_grid(layout, dialog.rows.value(), dialog.columns.value()))

    def _apply(self, edit: Callable[[], Layout]) -> None:
        try:
            new_layout = edit()
        except LayoutError as exc:
            QMessageBox.warning(self._parent, "Layout not changed", "\n".join(map(str, exc.problems)))
            return
        self._apply_layout(new_layout)

    def _tell(self, text: str) -> None:
        QMessageBox.information(self._parent, DISPLAY_NAME, text)
