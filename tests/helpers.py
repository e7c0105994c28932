"""Paths the tests share. Fixtures live in conftest.py; helpers live in modules like this one."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_TOOLS = ROOT.parent / "shared" / "tools"
