"""Qt's messages go through our logging (``monitor_app.qt``), counted; a fatal one says what to do first.

Qt prints warnings such as the offscreen plugin's "This plugin does not support propagateSizeHints()"
straight to stderr. A handler installed before the QApplication logs each at the level of its type,
the known harmless ones at DEBUG. It runs on whichever thread Qt logs from, so it only classifies,
counts and logs, and never raises into Qt.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import sys

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from monitor_app.core.third_party_lines import count_line
from monitor_app.logging_setup import stop_logging

ORIGIN = "qt"
DOCTOR_HINT = "run `camera-monitor doctor` to see what is missing"

log = logging.getLogger("monitor_app.qt")

LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

HARMLESS = (
    "This plugin does not support",  # offscreen: propagateSizeHints(), raise(), grabWindow() ...
    "does not support QWindow::requestActivate()",  # Wayland
    "QStandardPaths: XDG_RUNTIME_DIR not set",  # Xvfb, containers, su
    "QStandardPaths: wrong permissions on runtime directory",
    "QXcbConnection: XCB error",  # Xvfb without a window manager
    "Qt: Session management error",  # no session manager (Xvfb, ssh -X)
)
"""Messages that say nothing wrong with the app: logged at DEBUG whatever their type."""

HARMLESS_CATEGORIES = frozenset({"qt.qpa.fonts", "qt.xkb.compose"})  # missing font folders, compose tables

_app_started = False  # set once the QApplication exists (see app_started)


def message_text(category: str | None, message: str) -> str:
    """One line: ``category: message`` (Qt's ``default`` category left out), line breaks squeezed."""
    text = " ".join(part.strip() for part in message.splitlines() if part.strip())
    return text if not category or category == "default" else f"{category}: {text}"


def level_of(kind: QtMsgType, category: str | None, text: str) -> int:
    if category in HARMLESS_CATEGORIES or any(marker in text for marker in HARMLESS):
        return logging.DEBUG
    return LEVELS.get(kind, logging.WARNING)


def handle_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """The handler Qt calls for every message, from any thread."""
    with contextlib.suppress(Exception):  # never raise into Qt: at worst the message is lost
        text = message_text(context.category, message)
        count_line(ORIGIN)
        if kind == QtMsgType.QtFatalMsg:
            _before_abort(text)
        else:
            log.log(level_of(kind, context.category, text), "%s", text)


def _before_abort(reason: str) -> None:
    # Qt aborts once the handler returns: say it plainly, and flush the log (atexit will not run).
    reason = reason.rstrip(". ")
    line = f"Qt stopped the app: {reason}" if _app_started else f"the window cannot open: {reason}; {DOCTOR_HINT}"
    if log.hasHandlers():
        log.critical("%s", line)
        stop_logging()
    else:
        print(f"camera-monitor: {line}", file=sys.stderr, flush=True)
    faulthandler.disable()  # no Python traceback after the line: the abort is Qt's, and expected


def route_qt_messages() -> None:
    """Install :func:`handle_qt_message`; call before the QApplication exists, so its first words come here too."""
    qInstallMessageHandler(handle_qt_message)


def app_started() -> None:
    """The QApplication exists: a fatal message from now on is Qt stopping the app, not a window that cannot open."""
    global _app_started
    _app_started = True
