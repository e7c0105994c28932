"""Choose the grid size (rows x columns)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QWidget

from monitor_app.core.layouts.model import MAX_GRID


class GridSizeDialog(QDialog):
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
