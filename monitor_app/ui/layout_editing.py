"""The Layout menu's actions: dialogs in, validated layouts out, errors shown, nothing lost."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMessageBox

from monitor_app.core.layouts.edits import CameraForm, apply_camera_form, form_for_camera, remove_camera, resize_grid
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.model import Layout
from monitor_app.ui.camera_dialog import CameraDialog
from monitor_app.ui.grid_dialog import GridSizeDialog

if TYPE_CHECKING:
    from monitor_app.ui.main_window import MainWindow


class LayoutEditing:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def selected_camera(self) -> str | None:
        for key, tile in self.window.grid.tiles.items():
            if tile.hasFocus():
                return key
        return self.window.grid.full_window_key or None

    def add_camera(self) -> None:
        layout = self.window.layout_model
        row, column = layout.free_cell() or (0, 0)
        dialog = CameraDialog(
            CameraForm(title=f"Camera {len(layout.cameras) + 1}", row=row, column=column), "Add camera", self.window
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._apply(lambda: apply_camera_form(layout, dialog.form()))

    def edit_selected_camera(self) -> None:
        key = self.selected_camera()
        if key is None:
            self._tell("Click a camera first, then choose Edit Camera.")
            return
        layout = self.window.layout_model
        dialog = CameraDialog(form_for_camera(layout, key), "Edit camera", self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._apply(lambda: apply_camera_form(layout, dialog.form(), key))

    def remove_selected_camera(self) -> None:
        key = self.selected_camera()
        if key is None:
            self._tell("Click a camera first, then choose Remove Camera.")
            return
        self._apply(lambda: remove_camera(self.window.layout_model, key))

    def choose_grid_size(self) -> None:
        layout = self.window.layout_model
        dialog = GridSizeDialog(layout.rows, layout.columns, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._apply(lambda: resize_grid(layout, dialog.rows.value(), dialog.columns.value()))

    def _apply(self, edit: object) -> None:
        try:
            new_layout: Layout = edit()  # type: ignore[operator]
        except LayoutError as exc:
            QMessageBox.warning(self.window, "Layout not changed", "\n".join(map(str, exc.problems)))
            return
        self.window.replace_layout(new_layout)

    def _tell(self, text: str) -> None:
        QMessageBox.information(self.window, "Camera Monitor", text)
