"""A form to add or edit one camera: what it shows, where it comes from, where it sits.

The sources it offers, their address hints and their extra fields (a sub-stream URL, the RTSP
transport) all come from the registry of source kinds, so a new kind appears here by itself.
With a ``validate`` callback, OK checks the form first: problems are shown in words next to the
fields they concern and the dialog stays open, so nothing the user typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from monitor_app.core.layouts.edits import CameraForm
from monitor_app.core.layouts.model import MAX_GRID
from monitor_app.core.sources.kind import OptionField
from monitor_app.core.sources.registry import KINDS
from monitor_app.ui.dialog_buttons import ok_cancel_buttons

FieldWidget = QLineEdit | QComboBox
Validate = Callable[[CameraForm], dict[str, str]]
"""Problems with a form, by field ("title", "address", "name", "cell", a kind's field, "" for the rest)."""
ERROR_STYLE = "color: #e0605a;"


class CameraDialog(QDialog):
    """Edits a ``CameraForm``; ``form()`` reads back what the user chose."""

    def __init__(
        self, form: CameraForm, heading: str, parent: QWidget | None = None, validate: Validate | None = None
    ) -> None:
        super().__init__(parent)
        self._validate = validate
        self._placed = form.placed  # an edit of a camera in the camera list leaves it there
        self._errors: dict[str, QLabel] = {}
        self.setWindowTitle(heading)
        self.setMinimumWidth(620)  # camera URLs are long; show them whole
        layout = QFormLayout(self)
        self.title = QLineEdit(form.title)
        self.kind = QComboBox()
        for kind in KINDS.values():
            self.kind.addItem(kind.label, kind.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(form.kind)))
        self.address = QLineEdit(form.address)
        self.name = QLineEdit(form.name)
        self.name.setPlaceholderText("the sender's camera name (imagezmq msg)")
        self._layout = layout
        layout.addRow("Title", self.title)
        self._error_row("title")
        layout.addRow("Source", self.kind)
        layout.addRow("Address", self.address)
        self._error_row("address")
        layout.addRow("Camera name", self.name)
        self._error_row("name")
        # One widget per (kind, field): kinds may share a field name with different meanings.
        self._fields: dict[tuple[str, str], FieldWidget] = {}
        for kind in KINDS.values():
            for name, spec in kind.editor_fields().items():
                value = form.settings.get(name, "") if kind.name == form.kind else ""
                widget = _field_widget(spec, value)
                self._fields[(kind.name, name)] = widget
                layout.addRow(spec.label, widget)
        self.row, self.column = _spin(form.row, 0), _spin(form.column, 0)
        self.row_span, self.column_span = _spin(form.row_span, 1), _spin(form.column_span, 1)
        layout.addRow("Row", self.row)
        layout.addRow("Column", self.column)
        layout.addRow("Rows spanned", self.row_span)
        layout.addRow("Columns spanned", self.column_span)
        self._error_row("cell")
        self._error_row("")
        buttons = ok_cancel_buttons(self)
        layout.addRow(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def accept(self) -> None:
        """OK: closes only when the form makes a valid layout; otherwise each problem shows by its field."""
        problems = self._validate(self.form()) if self._validate is not None else {}
        self.show_problems(problems)
        if not problems:
            super().accept()

    def show_problems(self, problems: dict[str, str]) -> None:
        kind = str(self.kind.currentData())
        shown = {key: "" for key in self._errors}
        for key, text in problems.items():
            if key in self._errors:
                shown[key] = text
            else:  # a field of the kind: named, in the general row
                name = KINDS[kind].fields[key].label if key in KINDS[kind].fields else key
                shown[""] = "\n".join(filter(None, [shown[""], f"{name or key}: {text}"]))
        for key, label in self._errors.items():
            label.setText(shown[key])
            self._layout.setRowVisible(label, bool(shown[key]))

    def error_text(self, key: str) -> str:
        """The problem shown by field ``key`` ("" for the general one); "" when none."""
        label = self._errors[key]
        return label.text() if self._layout.isRowVisible(label) else ""

    def _error_row(self, key: str) -> None:
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setStyleSheet(ERROR_STYLE)
        label.setObjectName(f"error-{key or 'form'}")
        self._layout.addRow("", label)
        self._layout.setRowVisible(label, False)
        self._errors[key] = label

    def field(self, kind: str, name: str) -> FieldWidget:
        """The widget that edits option ``name`` of kind ``kind``."""
        return self._fields[(kind, name)]

    def _kind_changed(self) -> None:
        kind = KINDS[str(self.kind.currentData())]
        self.address.setPlaceholderText(kind.address_hint)
        self._layout.setRowVisible(self.address, kind.address is not None)
        self._layout.setRowVisible(self.name, kind.many_cameras)
        for (kind_name, _), widget in self._fields.items():
            self._layout.setRowVisible(widget, kind_name == kind.name)

    def form(self) -> CameraForm:
        kind = str(self.kind.currentData())
        return CameraForm(
            title=self.title.text().strip(),
            kind=kind,
            address=self.address.text().strip(),
            name=self.name.text().strip(),
            row=self.row.value(),
            column=self.column.value(),
            row_span=self.row_span.value(),
            column_span=self.column_span.value(),
            placed=self._placed,
            settings={name: _value_of(w) for (k, name), w in self._fields.items() if k == kind},
        )


def _field_widget(spec: OptionField, value: str) -> FieldWidget:
    if spec.choices:
        box = QComboBox()
        for choice, label in spec.choices:
            box.addItem(label, choice)
        box.setCurrentIndex(max(0, box.findData(value or spec.default)))
        return box
    edit = QLineEdit(value)
    edit.setPlaceholderText(spec.hint)
    if spec.secret:  # readable while typing it, dots for anyone looking over a shoulder afterwards
        edit.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
    return edit


def _value_of(widget: FieldWidget) -> str:
    return str(widget.currentData()) if isinstance(widget, QComboBox) else widget.text().strip()


def _spin(value: int, minimum: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(minimum, MAX_GRID)
    box.setValue(value)
    return box
