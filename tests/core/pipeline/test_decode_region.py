"""A zoomed tile is decoded sharp: the region at the tile's size, never an enlarged thumbnail (issue 13)."""

from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest
import simplejpeg

from monitor_app.core.layouts.zoom import Zoom
from monitor_app.core.pipeline.decode import Decoded, decode_to_fit, decode_view
from monitor_app.core.pipeline.decode_queue import decode_one
from monitor_app.core.pipeline.health import ConnectionStatus
from monitor_app.core.pipeline.routing import CameraFeed
from monitor_app.core.sources.frames import EncodedFrame, fit_size
from monitor_app.core.sources.region import FULL, Region

TILE = (320, 180)


def detailed_picture(width: int = 1280, height: int = 720) -> np.ndarray:
    """Fine stripes (4 px) over a gradient: detail a 1/4-scale thumbnail cannot hold."""
    y, x = np.mgrid[0:height, 0:width]
    stripes = np.where(((x // 4) + (y // 4)) % 2 == 0, 230, 25).astype(np.uint8)
    picture = np.dstack([stripes, (x * 255 // width).astype(np.uint8), (y * 255 // height).astype(np.uint8)])
    return np.ascontiguousarray(picture)


@pytest.fixture(scope="module")
def picture() -> np.ndarray:
    return detailed_picture()


@pytest.fixture(scope="module")
def jpeg(picture: np.ndarray) -> bytes:
    return simplejpeg.encode_jpeg(picture, quality=95, colorspace="BGR")


def full_crop(jpeg: bytes, region: Region) -> np.ndarray:
    """The reference: the whole frame decoded at full size, the region cut out, BGR."""
    full = simplejpeg.decode_jpeg(jpeg, colorspace="BGR")
    left, top, right, bottom = region.pixels((full.shape[1], full.shape[0]))
    return full[top:bottom, left:right]


def difference(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a[..., :3].astype(np.int16) - b[..., :3].astype(np.int16)).mean())


def test_a_4x_zoomed_720p_tile_is_decoded_at_the_tiles_size_over_the_region_only(jpeg: bytes) -> None:
    region = Zoom(4.0, 0.5, 0.5).region()
    zoomed = decode_view(EncodedFrame("c", jpeg=jpeg), TILE, region)
    assert zoomed.region == region and zoomed.source_size == (1280, 720)
    assert zoomed.detail[0] >= TILE[0] and zoomed.detail[1] >= TILE[1]  # the region's own pixels, not upscaled
    assert (zoomed.pixels.shape[1], zoomed.pixels.shape[0]) == TILE
    reference = full_crop(jpeg, region)
    thumbnail = decode_view(EncodedFrame("c", jpeg=jpeg), TILE, FULL).pixels
    left, top, right, bottom = region.pixels((320, 180))
    enlarged = cv2.resize(thumbnail[top:bottom, left:right], TILE, interpolation=cv2.INTER_LINEAR)
    sharp, blurred = difference(zoomed.pixels, reference), difference(enlarged, reference)
    assert sharp < 6 and blurred > 4 * sharp, (sharp, blurred)


def test_unzoomed_the_whole_frame_is_decoded_at_about_the_tiles_size(jpeg: bytes) -> None:
    whole = decode_view(EncodedFrame("c", jpeg=jpeg), TILE, FULL)
    assert whole.region is FULL and whole.detail == TILE  # libjpeg's 1/4 scale: nothing larger decoded
    pixels, size = decode_to_fit(EncodedFrame("c", jpeg=jpeg), TILE)
    assert np.array_equal(pixels, whole.pixels) and size == (1280, 720)


@pytest.mark.parametrize("factor", [1.5, 2.0, 3.0, 8.0])
def test_the_dct_scale_is_the_smallest_that_covers_the_tile_over_the_region(jpeg: bytes, factor: float) -> None:
    region = Zoom(factor, 0.3, 0.7).region()
    decoded = decode_view(EncodedFrame("c", jpeg=jpeg), TILE, region)
    crop_at_full = region.size_in((1280, 720))
    wanted = fit_size(crop_at_full, TILE)
    # At least the tile where the source has the pixels; never more than twice (the next DCT step up).
    assert decoded.detail[0] >= min(wanted[0], crop_at_full[0]) - 1
    assert decoded.detail[0] <= max(2 * wanted[0], crop_at_full[0] // 2) + 2


def test_raw_pixels_are_cut_then_resized(picture: np.ndarray) -> None:
    region = Region(0.25, 0.5, 0.25, 0.25)
    decoded = decode_view(EncodedFrame("c", pixels=picture), TILE, region)
    assert decoded.detail == (320, 180) and decoded.region == region
    expected = cv2.cvtColor(picture[360:540, 320:640], cv2.COLOR_BGR2BGRA)
    assert np.array_equal(decoded.pixels, expected)


def test_a_frame_already_cut_by_its_source_is_not_cut_again(picture: np.ndarray) -> None:
    region = Region(0.25, 0.25, 0.5, 0.5)
    crop = np.ascontiguousarray(picture[180:540, 320:960])  # what a URL reader hands on for this region
    frame = EncodedFrame("c", pixels=crop, source_size=(1280, 720), region=region)
    same = decode_view(frame, TILE, region)
    assert same.region == region and same.detail == (640, 360) and same.source_size == (1280, 720)
    inner = Region(0.375, 0.375, 0.25, 0.25)  # zoomed further before the source caught up: cut from the crop
    closer = decode_view(frame, TILE, inner)
    assert closer.region == inner and closer.detail == (320, 180)
    assert np.array_equal(closer.pixels[..., :3], picture[270:450, 480:800])
    wider = decode_view(frame, TILE, FULL)  # zoomed out: the frame shows less; it says what it shows
    assert wider.region == region


def test_the_decode_pool_reads_the_region_the_tile_asked_for(jpeg: bytes) -> None:
    feed = CameraFeed("cam", "conn", "", ConnectionStatus())
    region = Zoom(4.0, 0.25, 0.25).region()
    feed.set_view(TILE, True, region)
    feed.inbox.put(EncodedFrame("", jpeg=jpeg))
    published: list[Decoded] = []
    lock = threading.Lock()

    def publish(_feed: CameraFeed, decoded: Decoded, _frame: EncodedFrame) -> None:
        with lock:
            published.append(decoded)

    assert decode_one(feed, publish)
    assert published[0].region == region and published[0].detail >= TILE
    feed.set_view(region=None)  # None leaves it
    assert feed.region == region
