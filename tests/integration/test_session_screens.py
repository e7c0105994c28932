"""Under an Xvfb with two screens, a window per screen is restored on its own screen after a restart.

The first run places the windows as a person would (the main window on screen 1, a view of its own
full screen on screen 2) and quits; the second is the real app, read through ``--stats-json``. A
third run with screen 2 gone opens both windows on the primary screen.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app_process import App, Processes, log_tail
from tests.helpers import ROOT
from tests.ui.test_views import two_views

pytestmark = pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb (package xvfb)")

FIRST_RUN = """
import sys
from PySide6.QtWidgets import QApplication
from monitor_app.core.layouts.files import read_layout
from monitor_app.ui.main_window import MainWindow
from monitor_app.ui.wall_windows import screen_label

app = QApplication([])
path = sys.argv[1]
first, second = app.screens()
window = MainWindow(read_layout(path), path, scripted=True)
window.setScreen(first)
window.show()
other = window.views.windows.open_view(1, {"screen": screen_label(second), "geometry": [40, 30, 600, 400],
                                          "full_screen": True})
for _ in range(20):
    app.processEvents()
assert other.screen() is second and other.isFullScreen(), (other.screen(), other.isFullScreen())
print("placed", screen_label(window.screen()), screen_label(other.screen()), flush=True)
window.close()
"""


def _xvfb(display: int, *screens: str) -> subprocess.Popen[bytes]:
    args = ["Xvfb", f":{display}", "-nolisten", "tcp"]
    for n, size in enumerate(screens):
        args += ["-screen", str(n), size]
    server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{display}").exists():
        assert server.poll() is None and time.monotonic() < deadline, "Xvfb did not start"
        time.sleep(0.05)
    return server


def _free_display() -> int:
    return next(n for n in range(140, 400) if not Path(f"/tmp/.X{n}-lock").exists())


@pytest.fixture
def display() -> Iterator[int]:
    number = _free_display()
    yield number
    subprocess.run(["pkill", "-f", f"Xvfb :{number} "], check=False)


def _windows(procs: Processes, tmp_path: Path, layout: Path, display: int, name: str) -> list[dict[str, object]]:
    xcb = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": f":{display}"}
    app = App(procs, tmp_path / f"{name}.json", str(layout), exit_after=4, env=xcb)
    stats = app.finish(terminate=False)
    assert stats["windows"], log_tail(app.proc)
    return stats["windows"]  # type: ignore[no-any-return]


def test_two_windows_come_back_on_their_screens(procs: Processes, tmp_path: Path, display: int) -> None:
    layout = tmp_path / "views.json"
    layout.write_text(json.dumps(two_views()))
    server = _xvfb(display, "1024x768x24", "800x600x24")
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": f":{display}"}
    placed = subprocess.run(
        [sys.executable, "-c", FIRST_RUN, str(layout)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert placed.returncode == 0, placed.stderr[-3000:]
    assert "placed screen #1 screen #2" in placed.stdout
    windows = _windows(procs, tmp_path, layout, display, "restart")
    assert [(w["view"], w["screen"], w["full_screen"]) for w in windows] == [
        ("Front", "screen #1", False),
        ("Back", "screen #2", True),
    ]
    server.terminate()
    server.wait(10)
    _xvfb(display, "1024x768x24")  # screen 2 unplugged
    windows = _windows(procs, tmp_path, layout, display, "one-screen")
    assert [(w["view"], w["screen"]) for w in windows] == [("Front", "screen"), ("Back", "screen")]
