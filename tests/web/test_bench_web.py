"""``camera-monitor bench --web`` end to end, briefly: the JSON it prints has every figure of the closing note."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app_process import env


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_bench_web_prints_cpu_per_frame_encodes_and_the_slow_client(tmp_path: Path) -> None:
    out = tmp_path / "web.json"
    result = subprocess.run(
        [sys.executable, "-m", "monitor_app", "bench", "--web", "--tiles", "2", "--fps", "10", "--size", "320x180",
         "--seconds", "0.5", "--json", str(out)],
        capture_output=True, text=True, timeout=110, env=env(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    doc = json.loads(out.read_text())
    assert json.loads(result.stdout) == doc
    assert set(doc["clients"]) == {"0", "1", "5", "20"}
    for count in ("1", "5", "20"):
        phase = doc["clients"][count]
        assert phase["frames_sent_per_s"] > 0 and phase["cpu_ms_per_forwarded_frame"] > 0, phase
    assert doc["jpeg_encodes"] == 0  # JPEG senders: forwarded as received
    assert doc["slow_client"]["fps_per_client_per_camera_with"] > 0
