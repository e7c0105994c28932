"""Back from one camera alone (Esc), the other tiles show their last frame rate, never "0 fps"."""

from __future__ import annotations

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.pipeline import health
from monitor_app.core.pipeline.health import CameraState, ConnectionStatus
from monitor_app.core.pipeline.routing import CameraFeed
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.receivers.display_frame import to_display_frame
from monitor_app.ui.camera_tile import CameraTile


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_tile_shown_again_keeps_its_fps_until_it_has_measured_a_new_one(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    monkeypatch.setattr(health.time, "monotonic", clock)
    status = ConnectionStatus()
    status.set(CameraState.LIVE)
    feed = CameraFeed("cam", "conn", "", status)
    tile = CameraTile("cam", "Garage", "pattern", feed, BusyMeter(), lambda *_args: None)
    qtbot.addWidget(tile)
    tile.resize(320, 180)
    tile.show()
    qtbot.waitExposed(tile)

    def play(seconds: float, fps: float = 25.0) -> None:
        """Frames decoded and painted at ``fps``: the window's repaint timer, on the fake clock."""
        for _ in range(round(seconds * fps)):
            clock.now += 1 / fps
            feed.health.frame_received()
            pixels = np.zeros((180, 320, 4), np.uint8)
            feed.display.put(to_display_frame(pixels, EncodedFrame("", pixels=pixels), (1280, 720)))
            tile.take_new_frame()
            tile.grab()  # paints now (paintEvent), so the frame counts as displayed

    def status_after_tick() -> str:
        tile.set_health(feed.health.snapshot())  # the window's health tick
        tile.grab()
        fitted = tile.shown_title()
        assert fitted is not None
        return fitted.status

    play(2.0)
    assert status_after_tick().startswith("25 fps")
    tile.hide()  # another camera is shown alone: this one decodes nothing
    clock.now += 8.0
    feed.health.frame_received()  # its connection is still drained: the camera is live
    tile.show()  # Esc: back to the grid
    for _ in range(8):  # before its first frames are decoded again
        clock.now += 0.1
        assert status_after_tick().startswith("25 fps")
    play(1.2, fps=10.0)
    assert status_after_tick().startswith("10 fps")  # then a fresh figure
