"""A form to add or edit one camera: what it shows, where it comes from, where it sits."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from monitor_app.core.layouts.edits import CameraForm
from monitor_app.core.layouts.model import MAX_GRID
from monitor_app.core.layouts.schema import KIND_LABELS

ADDRESS_HINTS = {
    "hub": "tcp://*:5555",
    "sub": "tcp://192.168.1.20:5555, tcp://192.168.1.21:5555",
    "url": "rtsp://user:password@camera/stream, http://phone:8080/video, /path/video.mp4, 0",
}


class CameraDialog(QDialog):
    def __init__(self, form: CameraForm, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(heading)
        self.setMinimumWidth(620)  # camera URLs are long; show them whole
        layout = QFormLayout(self)
        self.title = QLineEdit(form.title)
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(form.kind)))
        self.address = QLineEdit(form.address)
        self.name = QLineEdit(form.name)
        self.name.setPlaceholderText("the sender's camera name (imagezmq msg)")
        self.sub_url = QLineEdit(form.sub_url)
        self.sub_url.setPlaceholderText("optional: a smaller stream, used while the tile is small")
        self.transport = QComboBox()
        self.transport.addItem("TCP (reliable, the default)", "tcp")
        self.transport.addItem("UDP (lower delay on a clean network)", "udp")
        self.transport.setCurrentIndex(max(0, self.transport.findData(form.transport)))
        self.row, self.column = _spin(form.row, 0), _spin(form.column, 0)
        self.row_span, self.column_span = _spin(form.row_span, 1), _spin(form.column_span, 1)
        layout.addRow("Title", self.title)
        layout.addRow("Source", self.kind)
        layout.addRow("Address", self.address)
        layout.addRow("Camera name", self.name)
        layout.addRow("Sub-stream URL", self.sub_url)
        layout.addRow("RTSP transport", self.transport)
        layout.addRow("Row", self.row)
        layout.addRow("Column", self.column)
        layout.addRow("Rows spanned", self.row_span)
        layout.addRow("Columns spanned", self.column_span)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
        self._layout = layout
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.address.setPlaceholderText(ADDRESS_HINTS.get(kind, ""))
        self._layout.setRowVisible(self.address, kind != "pattern")
        self._layout.setRowVisible(self.name, kind in ("hub", "sub"))
        self._layout.setRowVisible(self.sub_url, kind == "url")
        self._layout.setRowVisible(self.transport, kind == "url")

    def form(self) -> CameraForm:
        return CameraForm(
            title=self.title.text().strip(),
            kind=str(self.kind.currentData()),
            address=self.address.text().strip(),
            name=self.name.text().strip(),
            row=self.row.value(),
            column=self.column.value(),
            row_span=self.row_span.value(),
            column_span=self.column_span.value(),
            sub_url=self.sub_url.text().strip(),
            transport=str(self.transport.currentData()),
        )


def _spin(value: int, minimum: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(minimum, MAX_GRID)
    box.setValue(value)
    return box
