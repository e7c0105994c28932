"""A camera's state from its frames and its connection's, on a fake clock."""

from __future__ import annotations

from monitor_app.core.pipeline.health import CameraHealth, CameraState, ConnectionStatus
from tests.core.pipeline.conftest import Clock


def test_a_reopened_connection_without_a_new_frame_is_connecting_then_stalled(clock: Clock) -> None:
    status = ConnectionStatus()
    camera = CameraHealth(status)
    status.set(CameraState.LIVE)
    camera.frame_received()
    clock.now = 101.0
    status.set(CameraState.RECONNECTING)  # the stream dropped one second after its last frame
    status.set(CameraState.LIVE)  # and reopened at once
    assert camera.snapshot().state is CameraState.CONNECTING
    camera.frame_received()
    assert camera.snapshot().state is CameraState.LIVE


def test_a_camera_without_a_picture_for_too_long_is_stalled_even_while_its_stream_reopens(clock: Clock) -> None:
    """A frozen server: the read times out 3 s after the last real frame and the stream is reopened
    at once; the tile must say Stalled then, not Connecting for another 3 s."""
    status = ConnectionStatus()
    camera = CameraHealth(status)
    status.set(CameraState.LIVE)
    camera.frame_received()
    clock.now = 103.2
    status.set(CameraState.RECONNECTING)
    status.set(CameraState.LIVE)
    assert camera.snapshot().state is CameraState.STALLED
