"""URL cameras of a zoomed tile: swscale to the size that makes the region cover the tile, then cut it out."""

from __future__ import annotations

import threading
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from monitor_app.core.layouts.zoom import Zoom
from monitor_app.core.pipeline.decode import decode_view
from monitor_app.core.sources.region import FULL, Region, zoomed_scale_size
from monitor_app.core.sources.url import UrlSource
from monitor_app.core.sources.url_open import classify_url
from monitor_app.core.sources.url_pyav import PyAvWorker
from monitor_app.core.sources.url_worker import UrlSettings
from tests.core.pipeline.test_decode_region import detailed_picture, difference
from tests.core.sources.test_url_pyav import h264_clip, read_until
from tests.url_sink import TileSink


@pytest.mark.parametrize(
    ("source", "box", "factor", "scaled"),
    [
        ((1920, 1080), (480, 270), 1.0, (480, 270)),  # unzoomed: straight to the tile
        ((1920, 1080), (480, 270), 2.0, (960, 540)),
        ((1920, 1080), (480, 270), 4.0, (1920, 1080)),
        ((1920, 1080), (480, 270), 8.0, (1920, 1080)),  # capped at the source: never enlarged here
        ((1280, 720), (320, 240), 2.0, (640, 360)),  # a taller tile: the width decides, as fit_size does
        ((640, 480), (1280, 960), 1.0, (640, 480)),  # a tile larger than the source
    ],
)
def test_the_swscale_target_makes_the_region_cover_the_tile(
    source: tuple[int, int], box: tuple[int, int], factor: float, scaled: tuple[int, int]
) -> None:
    region = Zoom(factor).region() if factor > 1 else FULL
    assert zoomed_scale_size(source, box, region) == scaled


def present(worker: PyAvWorker, picture: np.ndarray, pts: int = 1) -> tuple[np.ndarray, Region]:
    frame = av.VideoFrame.from_ndarray(picture, format="bgr24")
    frame.pts = pts
    worker._present(frame)
    _, pixels, size, region = worker.take(0)
    assert pixels is not None and size == (picture.shape[1], picture.shape[0])
    return pixels, region


def test_a_zoomed_pyav_frame_is_cut_from_a_frame_scaled_for_the_region(tmp_path: Path) -> None:
    picture = detailed_picture()
    worker = PyAvWorker(classify_url(str(tmp_path / "x.mp4")), "main", UrlSettings("x.mp4"), threading.Event())
    worker.view_size = (320, 180)
    worker.view_region = region = Zoom(4.0, 0.5, 0.5).region()
    pixels, shown = present(worker, picture)
    assert shown == region and pixels.shape == (180, 320, 4) and pixels.flags.c_contiguous
    left, top, right, bottom = region.pixels((1280, 720))
    assert difference(pixels, picture[top:bottom, left:right]) < 3  # the source's own pixels: sharp
    worker.view_region = FULL  # back to 1x: the whole frame at the tile's size, as before zooming
    pixels, shown = present(worker, picture, pts=2)
    assert shown is FULL and pixels.shape == (180, 320, 4)
    expected = cv2.resize(picture, (320, 180), interpolation=cv2.INTER_AREA)
    assert difference(pixels, expected) < 8


@pytest.mark.parametrize("reader", ["pyav", "opencv"])
def test_a_url_camera_delivers_the_zoomed_region_at_the_tiles_size(tmp_path: Path, reader: str) -> None:
    clip = h264_clip(tmp_path / "clip.mp4", frames=15, size=(1280, 720))
    source = UrlSource(UrlSettings(str(clip), reader=reader, loop=False))
    sink = TileSink((320, 180))
    sink.region = region = Zoom(4.0, 0.25, 0.75).region()
    try:
        source.open()
        read_until(source, sink, lambda: any(f.region == region for f in sink.frames[1:]))
    finally:
        source.close()
    frame = next(f for f in sink.frames if f.region == region)
    assert frame.pixels is not None and frame.source_size == (1280, 720)
    assert frame.pixels.shape[:2] == (180, 320)  # the region alone, at (at least) the tile's size
    decoded = decode_view(frame, (320, 180), region)  # the decode pool does not cut it again
    assert decoded.region == region and decoded.detail == (320, 180)
