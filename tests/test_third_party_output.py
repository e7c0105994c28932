"""Third-party output goes through our logging: fd 2 captured line by line, Qt's messages routed, OpenCV quietened."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import cv2
import pytest
from PySide6.QtCore import QtMsgType, qInstallMessageHandler, qWarning

from monitor_app import qt_messages
from monitor_app.core.third_party_lines import line_counts
from monitor_app.third_party_output import StderrCapture, quiet_opencv
from tests.helpers import ROOT

CAPTURE_SCRIPT = textwrap.dedent(
    """
    import json, logging, os, sys, threading
    import cv2, numpy as np
    from monitor_app.core.third_party_lines import line_counts
    from monitor_app.third_party_output import StderrCapture

    logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s",
                        handlers=[logging.FileHandler(sys.argv[1], "w")])
    capture = StderrCapture()
    started = capture.start()
    os.write(2, b"written to fd 2 at C level\\n")
    ok, jpeg = cv2.imencode(".jpg", np.zeros((16, 16, 3), np.uint8))
    data = jpeg.tobytes()
    at = data.index(b"\\xff\\xdb")  # the quantisation table's marker: libjpeg warns about the bytes before it
    cv2.imdecode(np.frombuffer(data[:at] + b"\\x00\\x11\\x22" + data[at:], np.uint8), cv2.IMREAD_COLOR)
    print("a Python line on sys.stderr", file=sys.stderr)
    threading.Thread(target=lambda: 1 / 0, name="raiser").start()
    for t in threading.enumerate():
        if t.name == "raiser":
            t.join()
    capture.stop()
    os.write(2, b"fd 2 is the terminal again\\n")
    logging.shutdown()
    print(json.dumps({
        "started": started,
        "threads": [t.name for t in threading.enumerate()],
        "stderr_restored": sys.stderr is sys.__stderr__,
        "counts": line_counts(),
    }))
    """
)


def test_c_level_writes_become_debug_records_and_stop_gives_fd_2_back(tmp_path: Path) -> None:
    log_file = tmp_path / "log.txt"
    result = subprocess.run(
        [sys.executable, "-c", CAPTURE_SCRIPT, str(log_file)], capture_output=True, text=True, timeout=30, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["started"] and report["stderr_restored"]
    assert report["threads"] == ["MainThread"]  # the reader was joined
    assert report["counts"] == {"stderr": 2}
    log = log_file.read_text()
    assert "DEBUG monitor_app.stderr: written to fd 2 at C level" in log
    assert "DEBUG monitor_app.stderr: Corrupt JPEG data: 3 extraneous bytes before marker 0xdb" in log
    # Python's own output reached the terminal unchanged; the C-level lines did not.
    assert "a Python line on sys.stderr" in result.stderr
    assert "ZeroDivisionError" in result.stderr  # an uncaught exception's traceback
    assert "fd 2 is the terminal again" in result.stderr
    assert "at C level" not in result.stderr and "Corrupt JPEG" not in result.stderr


@pytest.mark.parametrize("stream", [None, io.StringIO()], ids=["no stderr", "not a file"])
def test_no_capture_without_a_real_fd_2(monkeypatch: pytest.MonkeyPatch, stream: io.StringIO | None) -> None:
    monkeypatch.setattr(sys, "stderr", stream)
    capture = StderrCapture()
    assert capture.start() is False
    assert not capture.active and sys.stderr is stream
    capture.stop()  # a no-op


@pytest.fixture
def opencv_level(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    monkeypatch.delenv("OPENCV_LOG_LEVEL", raising=False)
    monkeypatch.delenv("OPENCV_FFMPEG_LOGLEVEL", raising=False)
    before = cv2.utils.logging.getLogLevel()
    yield before
    cv2.utils.logging.setLogLevel(before)


def test_opencv_and_ffmpeg_speak_only_at_our_debug(monkeypatch: pytest.MonkeyPatch, opencv_level: int) -> None:
    quiet_opencv(debug=False)
    assert cv2.utils.logging.getLogLevel() == cv2.utils.logging.LOG_LEVEL_ERROR
    assert os.environ["OPENCV_FFMPEG_LOGLEVEL"] == "-8"  # quiet
    monkeypatch.delenv("OPENCV_FFMPEG_LOGLEVEL")
    quiet_opencv(debug=True)
    assert cv2.utils.logging.getLogLevel() == cv2.utils.logging.LOG_LEVEL_WARNING  # to fd 2, captured
    assert "OPENCV_FFMPEG_LOGLEVEL" not in os.environ  # its own callback would print to stdout
    monkeypatch.setenv("OPENCV_LOG_LEVEL", "DEBUG")
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_INFO)
    quiet_opencv(debug=False)
    assert cv2.utils.logging.getLogLevel() == cv2.utils.logging.LOG_LEVEL_INFO  # the user's choice wins


def test_qt_messages_are_logged_counted_and_harmless_ones_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="monitor_app.qt")
    before = line_counts().get("qt", 0)
    previous = qInstallMessageHandler(qt_messages.handle_qt_message)
    try:
        qWarning("This plugin does not support propagateSizeHints()")
        qWarning("something Qt did not like")
    finally:
        qInstallMessageHandler(previous)
    records = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "monitor_app.qt"]
    assert records == [
        (logging.DEBUG, "This plugin does not support propagateSizeHints()"),
        (logging.WARNING, "something Qt did not like"),
    ]
    assert line_counts()["qt"] == before + 2


def test_qt_message_text_and_levels() -> None:
    assert qt_messages.message_text("default", "one\n\n two \n") == "one two"
    assert qt_messages.message_text("qt.qpa.xcb", "could not connect to display ") == (
        "qt.qpa.xcb: could not connect to display"
    )
    assert qt_messages.level_of(QtMsgType.QtWarningMsg, "qt.qpa.xcb", "qt.qpa.xcb: x") == logging.WARNING
    assert qt_messages.level_of(QtMsgType.QtCriticalMsg, "default", "x") == logging.ERROR
    assert qt_messages.level_of(QtMsgType.QtWarningMsg, "qt.qpa.fonts", "qt.qpa.fonts: no folder") == logging.DEBUG
    assert qt_messages.level_of(QtMsgType.QtWarningMsg, None, "QXcbConnection: XCB error: 3 (BadWindow)") == (
        logging.DEBUG
    )


def test_the_qt_handler_never_raises() -> None:
    qt_messages.handle_qt_message(QtMsgType.QtWarningMsg, SimpleNamespace(), "a context with no category")  # type: ignore[arg-type]
    qt_messages.handle_qt_message(QtMsgType.QtWarningMsg, SimpleNamespace(category="default"), None)  # type: ignore[arg-type]
