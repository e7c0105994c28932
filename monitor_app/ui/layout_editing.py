"""The Layout menu's actions: dialogs in, validated layouts out, problems shown, nothing lost.

It knows nothing of the window: it reads the layout and the selected camera, and hands each
edited layout on, with the words the Edit menu's Undo shows, through the callbacks it is given.
The camera dialog stays open on a problem, which it shows next to the field concerned.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from monitor_app.core.identity import DISPLAY_NAME
from monitor_app.core.layouts.adhoc import hide_camera
from monitor_app.core.layouts.arrange import (
    cameras_outside,
    move_camera,
    place_camera,
    resize_keeping,
    set_span,
    unplace_camera,
)
from monitor_app.core.layouts.edits import (
    CameraForm,
    apply_camera_form,
    form_for_camera,
    form_problems,
    proposed_cell,
    remove_camera,
)
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.model import Layout
from monitor_app.core.layouts.presets import PRESETS, apply_preset
from monitor_app.ui.camera_dialog import CameraDialog
from monitor_app.ui.grid_dialog import GridSizeDialog

ApplyEdit = Callable[[Layout, str], None]
"""The window's ``edit_layout(layout, what)``: shows the edit and makes it undoable under ``what``."""


class LayoutEditing:
    """Add, edit, remove, move and span cameras, resize the grid, apply presets: each one undoable edit."""

    def __init__(
        self,
        parent: QWidget,
        layout: Callable[[], Layout],
        selected_camera: Callable[[], str | None],
        apply: ApplyEdit,
        tell: Callable[[str], None] | None = None,
    ) -> None:
        self._parent = parent
        self._layout = layout
        self._selected_camera = selected_camera
        self._apply_layout = apply
        self._tell_briefly = tell or (lambda _text: None)

    # The camera dialog ------------------------------------------------------------------------
    def add_camera(self, cell: tuple[int, int] | None = None) -> None:
        """Add Camera, proposing ``cell`` (an empty cell the user clicked) or the first free one."""
        layout = self._layout()
        row, column = cell or proposed_cell(layout)
        form = CameraForm(title=f"Camera {len(layout.cameras) + 1}", row=row, column=column)
        dialog = CameraDialog(form, "Add camera", self._parent, validate=self._problems(layout))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._edit(lambda: apply_camera_form(layout, dialog.form()), "Add Camera")

    def edit_selected_camera(self) -> None:
        key = self._selected_camera()
        if key is None:
            self._tell("Click a camera first, then choose Edit Camera.")
            return
        layout = self._layout()
        dialog = CameraDialog(form_for_camera(layout, key), "Edit camera", self._parent, self._problems(layout, key))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._edit(lambda: apply_camera_form(layout, dialog.form(), key), "Edit Camera")

    def _problems(self, layout: Layout, key: str | None = None) -> Callable[[CameraForm], dict[str, str]]:
        def problems(form: CameraForm) -> dict[str, str]:
            try:
                apply_camera_form(layout, form, key)
            except LayoutError as exc:
                return form_problems(exc, layout) or {"": "; ".join(p.message for p in exc.problems)}
            return {}

        return problems

    # Edits of the selected camera ---------------------------------------------------------------
    def remove_selected_camera(self) -> None:
        """Remove (undoable); a camera of a connection that adds cameras by itself goes to the camera
        list instead, or its next frame would bring it straight back."""
        key = self._selected_camera()
        if key is None:
            self._tell("Click a camera first, then choose Remove Camera.")
            return
        layout = self._layout()
        cam = next(c for c in layout.cameras if c.id == key)
        conn = layout.connection(cam.connection)
        if conn is not None and conn.auto_add_cameras and cam.name:
            self._edit(lambda: hide_camera(layout, key), "Remove Camera")
            self._tell_briefly(f"{cam.label} moved to the camera list (Ctrl+Z brings it back)")
        else:
            self._edit(lambda: remove_camera(layout, key), "Remove Camera")
            self._tell_briefly(f"{cam.label} removed (Ctrl+Z brings it back)")

    def move_to_list(self, key: str) -> None:
        self._edit(lambda: unplace_camera(self._layout(), key), "Move to Camera List")

    def move(self, key: str, row: int, column: int) -> None:
        """A tile (or a camera of the list) dropped on a cell: moved there, or swapped with the tile there."""
        self._edit(lambda: move_camera(self._layout(), key, row, column), "Move Camera")

    def span(self, key: str, row_span: int, column_span: int) -> None:
        self._edit(lambda: set_span(self._layout(), key, row_span, column_span), "Span Camera")

    def place(self, key: str) -> None:
        """An unplaced camera onto the wall, in the first free cell (the grid grows when full)."""
        self._edit(lambda: place_camera(self._layout(), key), "Place Camera")

    # The grid -----------------------------------------------------------------------------------
    def choose_grid_size(self) -> None:
        layout = self._layout()
        dialog = GridSizeDialog(layout.rows, layout.columns, self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        rows, columns = dialog.rows.value(), dialog.columns.value()
        outside = cameras_outside(layout, rows, columns)
        if outside:
            names = ", ".join(cam.label for cam in outside)
            answer = QMessageBox.question(
                self._parent,
                "Shrink the grid",
                f"{names} would not fit in a {rows}x{columns} grid. Move them to the camera list?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._edit(lambda: resize_keeping(layout, rows, columns)[0], "Grid Size")

    def apply_preset(self, name: str) -> None:
        """A ready-made wall; cameras beyond its tiles go to the camera list (never deleted)."""
        layout, unplaced = apply_preset(self._layout(), name)
        self._apply_layout(layout, f"Layout {PRESETS[name].label}")
        if unplaced:
            labels = {cam.id: cam.label for cam in layout.cameras}
            self._tell_briefly(f"{', '.join(labels[i] for i in unplaced)}: in the camera list (no room)")

    def _edit(self, edit: Callable[[], Layout], what: str) -> None:
        try:
            new_layout = edit()
        except LayoutError as exc:
            QMessageBox.warning(self._parent, "Layout not changed", "\n".join(p.message for p in exc.problems))
            return
        self._apply_layout(new_layout, what)

    def _tell(self, text: str) -> None:
        QMessageBox.information(self._parent, DISPLAY_NAME, text)
