"""Paths the tests share. Fixtures live in conftest.py; helpers live in modules like this one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_TOOLS = ROOT.parent / "shared" / "tools"


def camera_monitor(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``camera-monitor ARGS`` as a user would (offscreen), from the repository."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "monitor_app", *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT
    )
