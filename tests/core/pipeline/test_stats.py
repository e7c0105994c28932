"""The ``--stats-json`` tile entries: what can be checked from outside, the reconnect countdown included."""

from __future__ import annotations

import time

from monitor_app.core.pipeline.health import CameraHealth, CameraState, ConnectionStatus
from monitor_app.core.pipeline.stats import TileReport, tile_entry


def _entry(health: CameraHealth) -> dict[str, object]:
    return tile_entry(TileReport("Garage", "tcp://pi:5555", "hub", "garage", health.snapshot()))


def test_a_reconnecting_tile_reports_the_seconds_to_its_next_try() -> None:
    status = ConnectionStatus()
    health = CameraHealth(status)
    status.set(CameraState.LIVE)
    health.frame_received()
    live = _entry(health)
    assert live["state"] == "live" and "retry_in_s" in live and live["retry_in_s"] is None
    status.set(CameraState.RECONNECTING, "connection refused", retry_at=time.monotonic() + 4)
    first = _entry(health)
    assert first["state"] == "reconnecting" and first["error"] == "connection refused"
    assert isinstance(first["retry_in_s"], float) and 3 < first["retry_in_s"] <= 4
    time.sleep(0.2)
    later = _entry(health)
    assert isinstance(later["retry_in_s"], float) and later["retry_in_s"] < first["retry_in_s"]  # a countdown
    status.set(CameraState.LIVE)
    assert _entry(health)["retry_in_s"] is None
