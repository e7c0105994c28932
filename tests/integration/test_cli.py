"""The real command line, as a user or a script runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np

from monitor_app import __version__
from tests.helpers import ROOT, camera_monitor

TILE_KEYS = {
    "title",
    "source",
    "state",
    "error",
    "frames_received",
    "frames_decoded",
    "frames_displayed",
    "frames_dropped",
    "fps",
    "last_frame_age_s",
    "reconnects",
    "retry_in_s",
    "bad_messages",
    "latency_ms_p50",
    "latency_ms_p99",
}


def test_the_demo_runs_scripted_and_reports_live_tiles(tmp_path: Path) -> None:
    stats, shot = tmp_path / "s.json", tmp_path / "s.png"
    began = time.monotonic()
    result = camera_monitor("--demo", "--exit-after", "6", "--stats-json", str(stats), "--screenshot", str(shot))
    elapsed = time.monotonic() - began
    assert result.returncode == 0, result.stderr
    assert elapsed < 30, elapsed  # about 7 s here; generous for loaded machines
    document = json.loads(stats.read_text())
    tiles = document["tiles"]
    assert len(tiles) >= 4
    for tile in tiles:
        assert set(tile) >= TILE_KEYS, TILE_KEYS - set(tile)
        assert tile["state"] == "live", tile
        assert tile["frames_displayed"] >= 30, tile
        assert tile["latency_ms_p50"] is not None and tile["latency_ms_p50"] > 0
    assert document["app"]["uptime_s"] >= 5
    assert 0 < document["app"]["gui_busy_fraction"] < 1
    picture = cv2.imread(str(shot))
    assert picture is not None and picture.shape[0] > 300 and picture.shape[1] > 400
    # Six different moving scenes, not a blank window.
    assert len(np.unique(picture.reshape(-1, 3)[::97], axis=0)) > 50
    assert "all threads stopped" in result.stderr


def test_a_bad_layout_argument_opens_the_window_with_a_notice_and_leaves_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    broken = '{"schema_version": 1, "grid": {"rows": 1, "columns": 1}, "cameras": [{"id": 3}]}'
    path.write_text(broken)
    stats = tmp_path / "stats.json"
    result = camera_monitor(str(path), "--exit-after", "3", "--stats-json", str(stats))
    assert result.returncode == 2  # scripts still learn the layout was refused ...
    assert len(json.loads(stats.read_text())["tiles"]) >= 4  # ... but the window opened (the demo)
    assert "Layout not opened" in result.stderr and "$.cameras[0].id" in result.stderr
    assert "Traceback" not in result.stderr and path.read_text() == broken


def test_version_from_every_entry_point() -> None:
    assert camera_monitor("--version").stdout.strip() == f"camera-monitor {__version__}"
    via_main = subprocess.run(
        [sys.executable, "main.py", "--version"], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert via_main.stdout.strip() == f"camera-monitor {__version__}"


def test_the_last_layout_is_reopened_when_started_without_arguments(tmp_path: Path) -> None:
    layout = tmp_path / "two.json"
    layout.write_text(
        '{"schema_version": 1, "title": "Two", "grid": {"rows": 1, "columns": 2}, "connections": ['
        '{"id": "a", "kind": "pattern", "fps": 20}, {"id": "b", "kind": "pattern", "fps": 20}], "cameras": ['
        '{"id": "a", "title": "Alpha", "connection": "a", "cell": [0, 0]},'
        '{"id": "b", "title": "Beta", "connection": "b", "cell": [0, 1]}]}'
    )
    assert camera_monitor(str(layout), "--exit-after", "1.5").returncode == 0
    stats = tmp_path / "s.json"
    again = camera_monitor("--exit-after", "1.5", "--stats-json", str(stats))
    assert again.returncode == 0, again.stderr
    assert [t["title"] for t in json.loads(stats.read_text())["tiles"]] == ["Alpha", "Beta"]
    broken = '{"schema_version": 1, "grid": {"rows": 1, "columns": 2}, "cameras": [{"id": "a", "cell": [5, 5]}]}'
    layout.write_text(broken)  # edited by hand and broken: the demo, a notice, and the file untouched
    shown = camera_monitor("--exit-after", "1.5", "--stats-json", str(stats))
    assert shown.returncode == 0, shown.stderr
    assert len(json.loads(stats.read_text())["tiles"]) >= 4
    assert "last layout" in shown.stderr and "$.cameras[0]" in shown.stderr
    assert layout.read_text() == broken
    layout.unlink()  # gone: the app falls back to the demo instead of failing
    assert camera_monitor("--exit-after", "1.5", "--stats-json", str(stats)).returncode == 0
    assert len(json.loads(stats.read_text())["tiles"]) >= 4


def test_memory_stays_flat_while_frames_flow(tmp_path: Path) -> None:
    """Eight cameras at 60 fps for 20 s: resident memory after warm-up must not keep growing.

    Warm-up includes the pre-roll (10 s of every camera's frames, kept for a recording's start), which
    fills in the first 10 s and then holds steady."""
    layout = tmp_path / "busy.json"
    connections = ", ".join(
        f'{{"id": "p{n}", "kind": "pattern", "width": 640, "height": 360, "fps": 60, "jpeg_quality": 70}}'
        for n in range(8)
    )
    cameras = ", ".join(
        f'{{"id": "c{n}", "title": "C{n}", "connection": "p{n}", "cell": [{n // 4}, {n % 4}]}}' for n in range(8)
    )
    layout.write_text(
        f'{{"schema_version": 1, "grid": {{"rows": 2, "columns": 4}}, "connections": [{connections}], "cameras": [{cameras}]}}'
    )
    stats = tmp_path / "s.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    app = subprocess.Popen(
        [sys.executable, "-m", "monitor_app", str(layout), "--exit-after", "20", "--stats-json", str(stats)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    samples: list[tuple[float, float]] = []
    try:
        deadline = time.monotonic() + 60
        while app.poll() is None and time.monotonic() < deadline:
            time.sleep(1)
            try:
                doc = json.loads(stats.read_text())
            except (OSError, ValueError):
                continue
            samples.append((doc["app"]["uptime_s"], doc["app"]["rss_mb"]))
    finally:
        if app.poll() is None:
            app.kill()
        app.wait(10)
    assert app.returncode == 0
    warm = [rss for uptime, rss in samples if 12 <= uptime <= 14]
    late = [rss for uptime, rss in samples if uptime >= 17]
    assert warm and late, samples
    displayed = sum(t["frames_displayed"] for t in json.loads(stats.read_text())["tiles"])
    assert displayed > 8 * 20 * 20  # frames really flowed (most of 60 fps x 8 tiles)
    assert max(late) - min(warm) < 25, samples  # MB; a leak of one frame per paint would be hundreds
