"""The resolution on a URL camera's tile is the stream's, not the tile's, through the real pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.layouts.diff import diff_layouts
from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.ui.camera_tile import CameraTile


@pytest.fixture
def pipeline(qtbot: QtBot) -> Iterator[CameraPipeline]:
    pipe = CameraPipeline(decode_threads=1)
    yield pipe
    assert pipe.stop()


def test_a_small_tile_of_a_file_camera_shows_the_files_resolution(
    pipeline: CameraPipeline, qtbot: QtBot, tmp_path: Path
) -> None:
    clip = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"MJPG"), 20.0, (640, 480))
    for i in range(20):
        writer.write(np.full((480, 640, 3), 10 * i, np.uint8))
    writer.release()
    layout = Layout(rows=1, columns=1)
    layout.connections.append(ConnectionSpec("clip", "url", {"url": str(clip)}))
    layout.cameras.append(CameraSpec("clip", "clip", title="Clip"))
    pipeline.apply(diff_layouts(None, layout))
    feed = pipeline.feed("clip")
    assert feed is not None
    tile = CameraTile("clip", "Clip", str(clip), feed, BusyMeter(), pipeline.set_view)
    qtbot.addWidget(tile)
    tile.resize(200, 150)
    tile.show()
    qtbot.waitExposed(tile)

    def painted_small_frame() -> bool:
        tile.take_new_frame()
        size = tile.current_image_size()
        return size is not None and size[0] <= 200 and size[1] <= 150

    qtbot.waitUntil(painted_small_frame, timeout=15000)
    tile.set_health(feed.health.snapshot())
    assert "640x480" in tile._status_text(tile._health, feed.health.snapshot().state)
    assert feed.source_size == (640, 480)
