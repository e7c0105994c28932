"""A run prints only our own log lines: Qt, FFmpeg, OpenCV and libjpeg speak through our logging, at DEBUG.

The real app in a subprocess, offscreen, under Xvfb, with a display it cannot open, against a hostile
hub sender and a corrupt MJPEG file; every stderr line must be one of ours (our log format, a
``monitor_app`` logger).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import zmq

from monitor_app.core.identity import LOG_LEVEL_ENV
from monitor_app.core.net import free_port
from monitor_app.logging_setup import LOG_FILE_NAME
from tests.app_process import PEERS, App, Processes, connection, env, live_with_frames
from tests.helpers import ROOT

OUR_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) .+? monitor_app[\w.]*: "
)
COMMAND = Path(sys.executable).parent / "camera-monitor"


def camera_monitor(
    *args: str, extra_env: dict[str, str], wrapper: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """The installed ``camera-monitor`` command (``python -m monitor_app`` if not installed), as a script runs it."""
    command = [str(COMMAND)] if COMMAND.exists() else [sys.executable, "-m", "monitor_app"]
    return subprocess.run(
        [*wrapper, *command, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **extra_env},
        cwd=ROOT,
    )


def not_ours(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not OUR_LINE.match(line)]


def log_file(user_dir: Path) -> str:
    return (user_dir / "logs" / LOG_FILE_NAME).read_text()


def test_offscreen_demo_prints_only_our_lines(tmp_path: Path) -> None:
    stats = tmp_path / "stats.json"
    result = camera_monitor(
        "--demo",
        "--exit-after",
        "5",
        "--stats-json",
        str(stats),
        extra_env={"QT_QPA_PLATFORM": "offscreen", LOG_LEVEL_ENV: "INFO"},
    )
    assert result.returncode == 0, result.stderr
    assert not_ours(result.stderr) == [], result.stderr
    assert " INFO MainThread monitor_app: Camera Monitor " in result.stderr.splitlines()[0]
    # The offscreen plugin's "does not support propagateSizeHints()" was counted, not printed.
    assert json.loads(stats.read_text())["app"]["third_party_lines"].get("qt", 0) >= 1
    assert "propagateSizeHints" not in result.stderr


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run")
def test_demo_under_xvfb_prints_only_our_lines() -> None:
    result = camera_monitor(
        "--demo",
        "--exit-after",
        "5",
        extra_env={"QT_QPA_PLATFORM": "xcb", LOG_LEVEL_ENV: "INFO"},
        wrapper=("xvfb-run", "-a"),
    )
    assert result.returncode == 0, result.stderr
    assert not_ours(result.stderr) == [], result.stderr
    assert "all threads stopped" in result.stderr


def test_a_window_that_cannot_open_says_why_and_points_to_doctor(tmp_path: Path) -> None:
    no_display = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    command = [str(COMMAND)] if COMMAND.exists() else [sys.executable, "-m", "monitor_app"]
    result = subprocess.run(
        [*command, "--demo", "--exit-after", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**no_display, "QT_QPA_PLATFORM": "xcb"},
        cwd=tmp_path,  # where a core dump would land
    )
    assert result.returncode != 0
    assert not_ours(result.stderr) == [], result.stderr
    last = result.stderr.splitlines()[-1]
    assert " CRITICAL MainThread monitor_app.qt: the window cannot open: " in last
    assert "no Qt platform plugin could be initialized" in last
    assert last.endswith("run `camera-monitor doctor` to see what is missing")
    assert "qt.qpa.xcb: could not connect to display" in result.stderr  # Qt's reason, as a WARNING of ours


def corrupt_mjpeg_file(path: Path) -> None:
    """A short MJPEG .avi whose frames' entropy-coded data is scribbled on: FFmpeg complains on every frame."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (160, 120))
    for i in range(30):
        frame = np.full((120, 160, 3), i * 8, np.uint8)
        cv2.circle(frame, (80, 60), 20 + i, (0, 0, 255), -1)
        writer.write(frame)
    writer.release()
    data, rng, at = bytearray(path.read_bytes()), random.Random(3), 0
    while (at := data.find(b"\xff\xda", at + 2)) >= 0:  # each frame's start of scan
        for offset in range(40, 200, 7):
            data[at + offset] = rng.randrange(256)
    path.write_bytes(bytes(data))


def test_ffmpegs_complaints_about_a_corrupt_stream_go_to_the_log(
    tmp_path: Path, isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clip, stats = tmp_path / "corrupt.avi", tmp_path / "stats.json"
    corrupt_mjpeg_file(clip)
    args = ("--url", str(clip), "--exit-after", "4", "--stats-json", str(stats))
    for name in ("OPENCV_FFMPEG_LOGLEVEL", "OPENCV_LOG_LEVEL"):  # the app picks these itself
        monkeypatch.delenv(name, raising=False)
    offscreen = {"QT_QPA_PLATFORM": "offscreen", LOG_LEVEL_ENV: "INFO"}

    quiet = camera_monitor(*args, extra_env=offscreen)
    assert quiet.returncode == 0, quiet.stderr
    assert not_ours(quiet.stderr) == [] and "mjpeg" not in quiet.stderr, quiet.stderr
    assert json.loads(stats.read_text())["tiles"][0]["frames_displayed"] > 0

    debug = camera_monitor(*args, extra_env={**offscreen, LOG_LEVEL_ENV: "DEBUG"})
    assert debug.returncode == 0, debug.stderr
    assert not_ours(debug.stderr) == [], debug.stderr[-3000:]
    # Files and streams are read through PyAV, whose FFmpeg lines come through av.logging (OpenCV's, webcams
    # only now, through the stderr reader).
    assert " DEBUG capture-main monitor_app.ffmpeg: mjpeg: " in log_file(isolated_user_dirs)
    assert json.loads(stats.read_text())["app"]["third_party_lines"]["ffmpeg"] > 0
    assert "monitor_app.third_party_output: third-party lines logged: " in debug.stderr  # the tally at exit


def corrupt_jpegs(count: int) -> list[bytes]:
    """JPEGs with bytes before a marker: libjpeg's "Corrupt JPEG data: N extraneous bytes before marker 0xdb"."""
    ok, encoded = cv2.imencode(".jpg", np.zeros((120, 160, 3), np.uint8))
    assert ok
    data = encoded.tobytes()
    at = data.index(b"\xff\xdb")
    return [data[:at] + bytes(range(1, n + 2)) + data[at:] for n in range(count)]


def send_req(endpoint: str, parts: list[bytes]) -> None:
    with zmq.Context() as context, context.socket(zmq.REQ) as sock:
        sock.setsockopt(zmq.LINGER, 0)
        sock.setsockopt(zmq.RCVTIMEO, 2000)
        sock.connect(endpoint)
        sock.send_multipart(parts)
        sock.recv()


def test_hostile_frames_are_counted_bad_and_logged_not_printed(
    procs: Processes, tmp_path: Path, isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LOG_LEVEL_ENV, "DEBUG")  # the app's stderr then carries DEBUG records too: still only ours
    hub = f"tcp://127.0.0.1:{free_port()}"
    app = App(procs, tmp_path / "stats.json", "--hub", hub, exit_after=60)
    procs.send("--hub", hub, "--name", "good", "--fps", "10", "--size", "320x180")
    app.wait_for("the good camera live", lambda s: live_with_frames(s, ["good"]))

    hostile_args = ["--connect", hub, "--victim", "good", "--rounds", "1", "--no-raw-garbage"]
    hostile = subprocess.run(
        [sys.executable, str(PEERS / "hostile_sender.py"), *hostile_args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env(),
    )
    assert hostile.returncode == 0, hostile.stderr
    expected_bad = json.loads(hostile.stdout)["bad_expected"]
    corrupt = corrupt_jpegs(4)
    for jpeg in corrupt:
        send_req(hub, [json.dumps({"msg": "good"}).encode(), jpeg])
    app.wait_for("bad messages counted", lambda s: connection(s, "hub1")["bad_messages"] >= expected_bad + len(corrupt))
    app.finish()

    stderr = Path(app.proc.log_path).read_text()  # type: ignore[attr-defined]
    assert not_ours(stderr) == [], stderr[-3000:]
    assert not any(line.startswith("Corrupt JPEG") for line in stderr.splitlines())
    log = log_file(isolated_user_dirs)
    assert re.search(r" DEBUG .+ monitor_app\.core\.sources\.zmq_hub: .*dropped a bad message: corrupt JPEG", log)
