"""A URL camera's frames are shrunk to the tile in its own thread, but its size is the stream's."""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np

from monitor_app.core.pipeline.decode import decode_to_fit
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.url import UrlSource
from monitor_app.core.sources.url_worker import UrlSettings
from tests.url_sink import TileSink


def write_clip(path: Path, size: tuple[int, int], frames: int = 20) -> Path:
    """A real MJPEG file of ``size`` (width, height)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 20.0, size)
    assert writer.isOpened()
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), 10 * i, np.uint8))
    writer.release()
    return path


def first_frames(url: str, target: tuple[int, int], count: int = 3) -> list[EncodedFrame]:
    source = UrlSource(UrlSettings(url=url))
    sink = TileSink(target)
    try:
        source.open()
        deadline = time.monotonic() + 20
        while len(sink.frames) < count:
            assert time.monotonic() < deadline, "no frames from the file"
            source.read(sink, 0.1)
    finally:
        source.close()
    return sink.frames


def test_a_file_shrunk_to_a_small_tile_reports_the_files_size(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "clip.avi", (640, 480))
    for frame in first_frames(str(clip), (160, 120)):
        assert frame.pixels is not None and frame.pixels.shape[:2] == (120, 160)  # shrunk in the camera's thread
        assert frame.source_size == (640, 480)
        pixels, source_size = decode_to_fit(frame, (160, 120))  # what the decode pool tells the tile
        assert pixels.shape[:2] == (120, 160) and source_size == (640, 480)


def test_a_file_smaller_than_its_tile_reports_its_own_size(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "small.avi", (320, 240))
    for frame in first_frames(str(clip), (1280, 720)):
        assert frame.pixels is not None and frame.pixels.shape[:2] == (240, 320)
        assert decode_to_fit(frame, (1280, 720))[1] == (320, 240)


def test_frames_a_source_did_not_scale_report_their_own_size() -> None:
    frame = EncodedFrame("cam", pixels=np.zeros((360, 640, 3), np.uint8))
    assert decode_to_fit(frame, (160, 90))[1] == (640, 360)
