"""Choose the grid size (rows x columns)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QSpinBox, QWidget

from monitor_app.core.layouts.model import MAX_GRID
from monitor_app.ui.dialog_buttons import ok_cancel_buttons


class GridSizeDialog(QDialog):
    """Two spin boxes, rows and columns, each 1 to ``MAX_GRID``."""

    def __init__(self, rows: int, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Grid size")
        form = QFormLayout(self)
        self.rows, self.columns = QSpinBox(), QSpinBox()
        for box, value in ((self.rows, rows), (self.columns, columns)):
            box.setRange(1, MAX_GRID)
            box.setValue(value)
        form.addRow("Rows", self.rows)
        form.addRow("Columns", self.columns)
        buttons = ok_cancel_buttons(self)
        form.addRow(buttons)
