"""A camera's latest event (imagenode ``motion: moving``) is shown in its tile's title bar."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.pipeline.health import CameraState, ConnectionStatus
from monitor_app.core.pipeline.routing import CameraFeed
from monitor_app.ui.camera_tile import CameraTile


def test_the_latest_event_is_a_badge_in_the_title_bar(qtbot: QtBot) -> None:
    status = ConnectionStatus()
    status.set(CameraState.LIVE)
    feed = CameraFeed("drive", "hub", "Garage Driveway", status)
    tile = CameraTile("drive", "Garage Driveway", "tcp://*:5555", feed, BusyMeter(), lambda *_args: None)
    qtbot.addWidget(tile)
    tile.resize(320, 240)
    feed.health.heartbeat()
    tile.set_health(feed.health.snapshot())
    assert "motion" not in tile._status_text(tile._health, CameraState.LIVE)
    feed.health.event("motion: moving")
    tile.set_health(feed.health.snapshot())
    assert tile._status is None  # a new event re-letters the bar at once
    assert tile._status_text(tile._health, CameraState.LIVE).startswith("motion: moving  ·  ")
    tile.grab()  # paints without error
