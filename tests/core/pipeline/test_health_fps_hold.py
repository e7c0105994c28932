"""A hidden tile's frame rate: the last figure stands while hidden and until a fresh one is measured."""

from __future__ import annotations

import pytest

from monitor_app.core.pipeline.health import FPS_HOLD_S, CameraHealth, CameraState, ConnectionStatus
from tests.core.pipeline.conftest import Clock


def display(camera: CameraHealth, clock: Clock, fps: float, seconds: float) -> None:
    for _ in range(round(fps * seconds)):
        clock.now += 1 / fps
        camera.frame_received()
        camera.frame_displayed(None)


@pytest.fixture
def camera(clock: Clock) -> CameraHealth:
    status = ConnectionStatus()
    status.set(CameraState.LIVE)
    cam = CameraHealth(status)
    cam.display_shown()
    display(cam, clock, 30, 2.0)
    assert cam.snapshot().fps == pytest.approx(30, abs=1)
    return cam


def test_a_hidden_tiles_rate_is_the_one_it_had_when_hidden(camera: CameraHealth, clock: Clock) -> None:
    camera.display_hidden()
    for _ in range(10):  # frames still arrive (drained), none is displayed
        clock.now += 0.5
        camera.frame_received()
        assert camera.snapshot().fps == pytest.approx(30, abs=1)


def test_shown_again_it_keeps_the_last_figure_until_a_fresh_one_exists(camera: CameraHealth, clock: Clock) -> None:
    camera.display_hidden()
    clock.now += 5.0
    camera.display_shown()
    assert camera.snapshot().fps == pytest.approx(30, abs=1)  # not 0 fps for the next seconds
    clock.now += 0.2
    camera.frame_displayed(None)  # the first frame after coming back: one frame is no rate
    assert camera.snapshot().fps == pytest.approx(30, abs=1)
    display(camera, clock, 15, 1.0)  # a second of fresh frames at another rate replaces it
    assert camera.snapshot().fps == pytest.approx(15, abs=1.5)
    assert camera.snapshot().state is CameraState.LIVE


def test_a_camera_that_really_stopped_reads_0_once_the_hold_is_over(camera: CameraHealth, clock: Clock) -> None:
    camera.display_hidden()
    clock.now += 5.0
    camera.display_shown()
    clock.now += FPS_HOLD_S - 0.1
    assert camera.snapshot().fps == pytest.approx(30, abs=1)
    clock.now += 0.2
    assert camera.snapshot().fps == 0.0


def test_hidden_again_before_a_fresh_figure_keeps_the_first_one(camera: CameraHealth, clock: Clock) -> None:
    camera.display_hidden()
    clock.now += 2.0
    camera.display_shown()
    clock.now += 0.3
    camera.display_hidden()  # toggled back to one camera at once
    clock.now += 4.0
    camera.display_shown()
    assert camera.snapshot().fps == pytest.approx(30, abs=1)


def test_a_tile_never_hidden_measures_as_before(clock: Clock) -> None:
    status = ConnectionStatus()
    status.set(CameraState.LIVE)
    cam = CameraHealth(status)
    display(cam, clock, 20, 1.0)
    assert cam.snapshot().fps == pytest.approx(20, abs=1.5)
    clock.now += 2.5
    assert cam.snapshot().fps == 0.0
