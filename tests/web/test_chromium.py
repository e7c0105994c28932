"""Headless Chromium shows a 20-camera wall over one WebSocket, and every tile keeps updating."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from tests.app_process import Processes
from tests.web import chromium
from tests.web.web_app import WebApp, pattern_layout

pytestmark = pytest.mark.skipif(
    not chromium.available(), reason="needs the Debian package chromium (/usr/bin/chromium)"
)

SCREENSHOT_ENV = "CAMERA_MONITOR_WEB_SCREENSHOT"
"""Set to a path (resources/screenshots/web.png) to keep the test's screenshot for the README."""


def test_a_20_camera_page_updates_every_tile(procs: Processes, tmp_path: Path) -> None:
    layout = pattern_layout(tmp_path / "wall.json", 20, columns=6, fps=8)
    web = WebApp(procs, tmp_path, str(layout))
    web.wait_ready()
    browser = chromium.HeadlessChromium(web.base + "/", size=(1600, 900))
    try:
        tiles = _wait_for_counts(browser, lambda counts: len(counts) == 20 and min(counts.values()) >= 1)
        assert sorted(tiles) == [f"cam{n:02d}" for n in range(20)]
        assert browser.evaluate("document.querySelectorAll('.tile').length") == 20
        first = tiles
        time.sleep(2.0)
        later = _wait_for_counts(browser, lambda counts: all(counts[k] >= first[k] + 3 for k in first))
        assert all(later[k] > first[k] for k in first), (first, later)
        titles = browser.evaluate("[...document.querySelectorAll('.tile .title')].map(t => t.textContent)")
        assert "Camera 1" in titles and "Camera 20" in titles
        assert browser.evaluate("document.querySelectorAll('.dot.live').length") == 20
        stats = web.web_stats()
        assert stats["pages"] == 1 and stats["jpeg_encodes"] > 0
        shot = tmp_path / "web.png"
        browser.screenshot(shot)
        assert shot.stat().st_size > 20_000
        if os.environ.get(SCREENSHOT_ENV):
            shutil.copyfile(shot, os.environ[SCREENSHOT_ENV])
        # Click a tile: it alone is shown, and only it is watched; Escape brings the wall back.
        browser.evaluate("document.querySelector('.tile[data-camera=\"cam05\"]').click()")
        web.wait_for("one camera watched", lambda s: _watched(s) == {"cam05"})
        browser.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}))")
        web.wait_for("the wall watched again", lambda s: len(_watched(s)) == 20)
    finally:
        browser.stop()


def _watched(stats: dict[str, object]) -> set[str]:
    cameras = stats["web"]["cameras"]  # type: ignore[index]
    return {cid for cid, c in cameras.items() if c["watchers"]}  # type: ignore[union-attr]


def _wait_for_counts(browser: chromium.HeadlessChromium, condition: object, timeout_s: float = 20) -> dict[str, int]:
    deadline = time.monotonic() + timeout_s
    counts: dict[str, int] = {}
    while time.monotonic() < deadline:
        counts = browser.evaluate("window.frameCounts") or {}
        if condition(counts):  # type: ignore[operator]
            return counts
        time.sleep(0.25)
    raise AssertionError(f"tiles did not update: {counts}")
