"""``camera-monitor bench --url``: ours (PyAV) and OpenCV's capture path on the same live stream, one run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from monitor_app.core.net import free_port
from tests.helpers import ROOT
from tests.peers.tool_servers import rtsp_server


def test_bench_url_measures_ours_naive_and_a_hidden_tile_on_one_stream(tmp_path: Path) -> None:
    server = rtsp_server(tmp_path / "rtsp.log", free_port(), "cam")
    out = tmp_path / "bench.json"
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "monitor_app",
                "bench",
                "--url",
                server.urls[0],
                "--seconds",
                "1.5",
                "--json",
                str(out),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            cwd=ROOT,
        )
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr[-3000:]
    doc = json.loads(out.read_text())
    assert doc["config"]["streams"] == 1 and doc["config"]["tile"] == [480, 270]
    for phase in ("ours", "naive"):
        figures = doc[phase]
        assert figures["errors"] == [] and figures["displayed_fps_per_tile"][0] > 8, figures  # a 15 fps stream
        assert figures["cpu_ms_per_displayed_frame"] > 0
    assert doc["hidden"]["displayed_fps_total"] == 0 and doc["hidden"]["errors"] == []
    assert doc["ratio_cpu_per_displayed_frame"] is not None and doc["hidden_cpu_share"] is not None
    assert doc["hidden"]["cpu_cores"] < doc["ours"]["cpu_cores"]  # key frames only costs less than every frame
