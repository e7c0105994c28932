"""``camera-monitor bench`` end to end: real senders, the real app, the naive pipeline, the JSON it writes."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

PIPELINE_KEYS = {
    "displayed_fps_total",
    "displayed_fps_per_tile",
    "latency_ms_p50",
    "latency_ms_p99",
    "cpu_ms_per_displayed_frame",
    "gui_busy_fraction",
    "dropped_fraction",
}


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_bench_two_tiles_writes_sane_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    markdown = tmp_path / "bench.md"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "monitor_app", "bench", "--tiles", "2", "--seconds", "3", "--size", "640x360",
         "--json", str(out), "--markdown", str(markdown)],
        capture_output=True, text=True, timeout=200, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ours" in result.stdout and "naive" in result.stdout  # the table
    assert "fps shown" in result.stderr  # progress lines while it runs

    doc = json.loads(out.read_text())
    for label in ("ours", "naive"):
        assert doc[label].keys() >= PIPELINE_KEYS, label
        figures = doc[label]
        assert figures["displayed_fps_total"] > 0, (label, figures)
        assert figures["latency_ms_p50"] > 0 and figures["latency_ms_p99"] >= figures["latency_ms_p50"], figures
        assert figures["cpu_ms_per_displayed_frame"] > 0, figures
        assert 0 <= figures["gui_busy_fraction"] < 1, figures
        assert 0 <= figures["dropped_fraction"] <= 1, figures
    ours = doc["ours"]
    # Both cameras reach the screen, not just one.
    assert ours["displayed_fps_tile_min"] > 0, ours
    assert math.isfinite(doc["ratio_displayed_fps"]) and doc["ratio_displayed_fps"] > 0
    assert doc["bare_scaled_decode_ms"] > 0 and doc["bare_full_decode_ms"] > 0
    assert doc["machine"]["cores"] >= 1 and doc["machine"]["python"] and doc["machine"]["qt"]
    assert doc["config"]["tiles"] == 2
    assert "| ours | naive |" in markdown.read_text()


def test_bench_rejects_a_bad_size() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "monitor_app", "bench", "--size", "big"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "WxH" in result.stderr
