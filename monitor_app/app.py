"""Start-up: parse arguments, pick the layout, create the QApplication and the window."""

from __future__ import annotations

import gc
import logging
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from monitor_app.cli import WindowOptions, parse_window_args, run_command
from monitor_app.core.identity import APP_ID, DISPLAY_NAME, ORGANIZATION
from monitor_app.core.layouts.adhoc import demo_layout, layout_from_addresses
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.files import read_layout
from monitor_app.core.layouts.model import Layout
from monitor_app.core.resources import resource_path

if TYPE_CHECKING:  # Qt is imported only once a window is wanted (--help and commands need none)
    from PySide6.QtWidgets import QWidget

    from monitor_app.third_party_output import StderrCapture

log = logging.getLogger("monitor_app")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    code = run_command(argv)
    if code is not None:
        return code
    options = parse_window_args(argv)
    capture = _configure_logging()
    try:
        return run_window(options)
    finally:
        capture.stop()  # fd 2 back to the terminal while logging still runs, then the tally
        _log_third_party_counts()


@dataclass
class LayoutChoice:
    """The layout the window opens with, where it came from, and what to tell the user about it."""

    layout: Layout
    path: str | None  # None for the demo and ad-hoc layouts
    notice: str = ""  # why the named or remembered layout was not opened, for the user
    notice_title: str = "Last layout not opened"
    refused: bool = False  # the layout named on the command line could not be opened


def choose_layout(options: WindowOptions, last_layout: str | None) -> LayoutChoice:
    """The layout to open: the named file, the command line's cameras, the last layout, or the demo."""
    if options.layout:
        try:
            return LayoutChoice(read_layout(options.layout), options.layout)
        except LayoutError as exc:  # the window opens all the same, and says why
            problems = "\n".join(map(str, exc.problems))
            notice = f"{options.layout} could not be opened:\n\n{problems}\n\nThe file was not changed; the demo is shown instead."
            return LayoutChoice(demo_layout(), None, notice, "Layout not opened", refused=True)
    if options.addresses():
        return LayoutChoice(layout_from_addresses(options.addresses()), None)
    notice = ""
    if not options.demo and last_layout and os.path.exists(last_layout):
        try:
            return LayoutChoice(read_layout(last_layout), last_layout)
        except LayoutError as exc:
            log.warning("last layout %s not opened: %s; showing the demo", last_layout, exc)
            notice = f"Your last layout, {last_layout}, could not be opened:\n\n{exc}\n\n"
            if os.path.exists(last_layout + ".bak"):
                notice += f"Its previous version is kept in {last_layout}.bak. "
            notice += "The file was not changed; the demo is shown instead."
    return LayoutChoice(demo_layout(), None, notice)


def run_window(options: WindowOptions) -> int:
    _keep_cv2_away_from_qt_plugins()
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from monitor_app.qt_messages import app_started, route_qt_messages
    from monitor_app.ui.main_window import MainWindow
    from monitor_app.ui.settings import AppSettings

    route_qt_messages()  # before the QApplication: "cannot load the platform plugin" comes from its constructor
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app_started()
    app.setApplicationName(DISPLAY_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(resource_path("camera-monitor.png"))))
    settings = AppSettings()
    choice = choose_layout(options, settings.last_layout())
    window = MainWindow(choice.layout, choice.path, settings, stats_path=options.stats_json, scripted=options.scripted)
    if choice.path:
        settings.add_recent_layout(choice.path)
    saved_full_screen = window.restore_session(options.tour)
    window.showFullScreen() if options.fullscreen or saved_full_screen else window.show()
    if not options.scripted:
        QTimer.singleShot(0, window.offer_recovery)
    if choice.notice:
        QTimer.singleShot(0, lambda: window.show_error(choice.notice_title, choice.notice))
    if options.web and (problem := window.web.start(options.web, options.web_token)):
        QTimer.singleShot(0, lambda: window.show_error("Browser view not started", problem))
    if options.record:  # unattended: every camera, and any that appears later, records from now
        window.recording.record_all(Path(options.record))
    if options.exit_after is not None:
        QTimer.singleShot(int(options.exit_after * 1000), lambda: _finish(window, options))
    app.aboutToQuit.connect(window.shutdown)
    # Ctrl+C in the terminal closes the window the normal way (the event loop must wake to see it).
    signal.signal(signal.SIGINT, lambda *_: window.close())
    signal.signal(signal.SIGTERM, lambda *_: window.close_unattended())  # no question: a logout waits for nobody
    wake = QTimer(window)
    wake.start(200)
    wake.timeout.connect(lambda: None)
    # What start-up made lives as long as the window: move it out of the collector's view, so
    # full collections, which run on whichever thread allocates (often this one), stay short.
    gc.freeze()
    code = app.exec()
    window.shutdown()
    return 2 if choice.refused and not code else int(code)  # scripts learn the named layout was refused


def _finish(window: QWidget, options: WindowOptions) -> None:
    if options.screenshot:
        window.grab().save(options.screenshot)
    window.close()


def _keep_cv2_away_from_qt_plugins() -> None:
    # opencv-python (not -headless) points Qt at its bundled Qt 5 plugins on import.
    plugin_path = os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "")
    if f"{os.sep}cv2{os.sep}" in plugin_path:
        del os.environ["QT_QPA_PLATFORM_PLUGIN_PATH"]


def _configure_logging() -> StderrCapture:
    # Rotating per-user log file + stderr through a queue thread, passwords masked; stopped at exit.
    # C libraries' stderr (libjpeg, FFmpeg, OpenCV) is captured first, so our stderr handler writes past it.
    from monitor_app import __version__
    from monitor_app.logging_setup import CONSOLE, configure_logging
    from monitor_app.third_party_output import capture_stderr, quiet_opencv

    capture = capture_stderr()
    setup = configure_logging()
    quiet_opencv(debug=logging.getLogger().isEnabledFor(logging.DEBUG))
    log.info("Camera Monitor %s starting; log file %s", __version__, setup.log_file, extra=CONSOLE)
    return capture


def _log_third_party_counts() -> None:
    from monitor_app.third_party_output import log_line_counts

    log_line_counts()
