"""Edit ▸ Preferences… (Ctrl+,): the snapshots and recordings folders, the pre-roll and the split length.

OK checks both folders for real (a file written and deleted, ``core.paths.folder_problem``); a folder
that cannot be written is named in the dialog, which stays open with nothing saved. What is saved
goes to ``AppSettings``, where snapshots and the recorder read it the next time they need it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from monitor_app.core.paths import folder_problem
from monitor_app.core.recording_preferences import (
    MB,
    PREROLL_MB_RANGE,
    PREROLL_SECONDS_RANGE,
    SPLIT_MINUTES_RANGE,
    RecordingPreferences,
)
from monitor_app.ui.dialog_buttons import ok_cancel_buttons
from monitor_app.ui.settings import AppSettings

ERROR_STYLE = "color: #e0605a;"


class PreferencesDialog(QDialog):
    """The form; ``accept`` saves to ``settings`` only when both folders can be written."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(560)  # folder paths are long; show them whole
        recording = settings.recording_preferences()
        self.snapshots_folder = QLineEdit(str(settings.snapshots_folder()))
        self.recordings_folder = QLineEdit(str(recording.folder))
        self.preroll_seconds = QDoubleSpinBox()
        self.preroll_seconds.setRange(*PREROLL_SECONDS_RANGE)
        self.preroll_seconds.setDecimals(1)
        self.preroll_seconds.setSuffix(" s")
        self.preroll_seconds.setValue(recording.preroll_seconds)
        self.preroll_seconds.setToolTip("A recording starts with this much of what just happened (0: off)")
        self.preroll_mb = _int_spin(PREROLL_MB_RANGE, round(recording.preroll_bytes / MB), " MB")
        self.preroll_mb.setToolTip("The most memory each camera's pre-roll may hold; older frames go first")
        self.split_minutes = _int_spin(SPLIT_MINUTES_RANGE, round(recording.split_minutes), " min")
        self.split_minutes.setToolTip("Recordings start a new file this often")
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout(self)
        form.addRow("Snapshots folder", self._with_browse(self.snapshots_folder, "Snapshots Folder"))
        form.addRow("Recordings folder", self._with_browse(self.recordings_folder, "Recordings Folder"))
        form.addRow("Pre-roll", self.preroll_seconds)
        form.addRow("Pre-roll memory per camera", self.preroll_mb)
        form.addRow("New recording file every", self.split_minutes)
        form.addRow(self.error)
        form.addRow(ok_cancel_buttons(self))

    def preferences(self) -> tuple[Path, RecordingPreferences]:
        """What the form says now: the snapshots folder and the recording preferences."""
        return _folder(self.snapshots_folder), RecordingPreferences(
            folder=_folder(self.recordings_folder),
            preroll_seconds=self.preroll_seconds.value(),
            preroll_bytes=self.preroll_mb.value() * MB,
            split_minutes=float(self.split_minutes.value()),
        )

    def accept(self) -> None:
        snapshots, recording = self.preferences()
        problems = [
            f"{what}: {problem}"
            for what, folder in (("Snapshots", snapshots), ("Recordings", recording.folder))
            if (problem := _problem(folder)) is not None
        ]
        if problems:
            self.error.setText("\n".join(problems))
            self.error.show()
            return  # stays open: nothing typed is lost, nothing is saved
        self._settings.set_snapshots_folder(snapshots)
        self._settings.set_recording_preferences(recording)
        self._settings.sync()
        super().accept()

    def _with_browse(self, edit: QLineEdit, caption: str) -> QWidget:
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(edit, 1)
        browse = QPushButton("Browse…")
        browse.clicked.connect(lambda: self._browse(edit, caption))
        box.addWidget(browse)
        return row

    def _browse(self, edit: QLineEdit, caption: str) -> None:
        start = _folder(edit)
        while not start.is_dir() and start != start.parent:  # the picker opens where the folder would be
            start = start.parent
        chosen = QFileDialog.getExistingDirectory(self, caption, str(start))
        if chosen:
            edit.setText(str(Path(chosen)))
            self.error.hide()


def open_preferences(settings: AppSettings, parent: QWidget) -> PreferencesDialog:
    """Window-modal and not blocking (a sheet on macOS); asked again while open, the open one comes forward."""
    dialog = next((d for d in parent.findChildren(PreferencesDialog) if d.isVisible()), None)
    if dialog is None:  # (a closed one may linger until its deleteLater runs)
        dialog = PreferencesDialog(settings, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def _folder(edit: QLineEdit) -> Path:
    return Path(edit.text().strip()).expanduser()  # an empty field is Path(), "."


def _problem(folder: Path) -> str | None:
    return "choose a folder" if folder == Path() else folder_problem(folder)


def _int_spin(bounds: tuple[float, float], value: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(int(bounds[0]), int(bounds[1]))
    spin.setSuffix(suffix)
    spin.setValue(value)
    return spin
