"""Decode and scale a frame to its tile, off the GUI thread.

JPEG goes through libjpeg-turbo's DCT scaling (simplejpeg) straight to the smallest size
at least as large as the target, then INTER_LINEAR to the exact size. A zoomed tile asks for a
region: the DCT scale is then chosen so that the region's part is at least the tile's size, the
region is cut out, and only it is resized (raw pixels: cut, then resized). The result is
BGRX: 4 bytes a pixel, which is Qt's ``QImage.Format_RGB32`` in memory, so the GUI
blits it without converting.

A header is never trusted: the size it claims is checked against ``MAX_SIDE`` and
``MAX_PIXELS`` before anything is decoded, and nothing is ever decoded at full size unless
the tile asks for it (a truncated JPEG is decoded leniently at the same reduced scale).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import simplejpeg

from monitor_app.core.sources.frames import MAX_SIDE, EncodedFrame, fit_size
from monitor_app.core.sources.region import FULL, Region, cut

Size = tuple[int, int]

MAX_PIXELS = 7680 * 4320
"""Per-frame pixel budget: 8K UHD, 33.2 MP. ``MAX_SIDE`` alone lets a header claim 8192x8192
(67 MP, 268 MB as BGRX); a frame over this budget is refused before it is decoded."""


class DecodeError(ValueError):
    """The frame could not be decoded (corrupt JPEG, unsupported pixel layout, a size out of range)."""


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a JPEG header, without decoding."""
    try:
        height, width, _, _ = simplejpeg.decode_jpeg_header(data)
    except ValueError as exc:
        raise DecodeError(f"not a JPEG: {exc}") from None
    return int(width), int(height)


def _check_size(size: tuple[int, int]) -> None:
    """Refuse a (width, height) over ``MAX_SIDE`` on either side or over ``MAX_PIXELS`` in all."""
    width, height = size
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise DecodeError(f"frame size {width}x{height} out of range")
    if width * height > MAX_PIXELS:
        raise DecodeError(f"frame size {width}x{height} over the budget of {MAX_PIXELS} pixels")


@dataclass(frozen=True, slots=True)
class Decoded:
    """A frame decoded for a tile: what it shows, and how much of the source went into it."""

    pixels: np.ndarray
    """BGRX, fitted into the tile's box."""
    source_size: tuple[int, int]
    """The stream's (width, height)."""
    region: Region
    """The part of the stream ``pixels`` show (the tile paints a frame of another region accordingly)."""
    detail: tuple[int, int]
    """(width, height) of what was decoded over ``region``, before the last resize: at least the box
    wherever the source has that many pixels, so a zoomed tile is sharp."""


def decode_to_fit(frame: EncodedFrame, box: tuple[int, int]) -> tuple[np.ndarray, tuple[int, int]]:
    """Return (BGRX pixels of the whole frame fitted into ``box``, the stream's (width, height))."""
    decoded = decode_view(frame, box, FULL)
    return decoded.pixels, decoded.source_size


def decode_view(frame: EncodedFrame, box: tuple[int, int], region: Region) -> Decoded:
    """``region`` of the frame, fitted into ``box`` (device pixels), decoded at the scale it needs.

    The stream's size is the frame's own, unless the source scaled it down and said so (``source_size``).
    A frame that shows less than ``region`` (a URL camera's frame cropped for the previous zoom) is
    handed on whole, saying what it shows: nothing is invented outside it.
    """
    if frame.jpeg is not None:
        pixels, size, detail = _jpeg_view(frame.jpeg, box, region)
        return Decoded(pixels, frame.source_size or size, region, detail)
    assert frame.pixels is not None
    shown = region if frame.region.contains(region) else frame.region
    pixels, size, detail = pixels_view(frame.pixels, box, shown.within(frame.region))
    return Decoded(pixels, frame.source_size or size, shown, detail)


def _jpeg_view(data: bytes, box: tuple[int, int], region: Region) -> tuple[np.ndarray, tuple[int, int], Size]:
    source = jpeg_size(data)
    _check_size(source)
    crop = region.size_in(source)
    target = fit_size(crop, box)
    # The DCT scale that makes the region's part (not the whole picture) at least the target.
    need = (
        min(source[0], math.ceil(target[0] * source[0] / crop[0])),
        min(source[1], math.ceil(target[1] * source[1] / crop[1])),
    )
    try:
        bgrx = _decode_scaled(data, need, strict=True)
    except ValueError as exc:
        # Truncated data that libjpeg can still show most of: the same scale, the rest grey.
        # (Never cv2.imdecode: it decodes the whole frame, 0.8 s and 430 MB for a 30 KB 8192x8192 bomb.)
        try:
            bgrx = _decode_scaled(data, need, strict=False)
        except ValueError:
            raise DecodeError(f"corrupt JPEG: {exc}") from None
    bgrx = cut(bgrx, region)
    return _resize_exact(bgrx, target), source, (bgrx.shape[1], bgrx.shape[0])


def _decode_scaled(data: bytes, target: tuple[int, int], strict: bool) -> np.ndarray:
    """Decode at the smallest DCT scale (1/8 to 1) at least ``target``: the full size is never allocated."""
    return simplejpeg.decode_jpeg(
        data,
        colorspace="BGRX",
        fastdct=True,
        fastupsample=True,
        min_width=target[0],
        min_height=target[1],
        strict=strict,
    )


def pixels_to_fit(pixels: np.ndarray, box: tuple[int, int]) -> tuple[np.ndarray, tuple[int, int]]:
    """Scale then convert (cheaper than the other way round) raw BGR / gray / BGRA pixels."""
    scaled, source, _ = pixels_view(pixels, box, FULL)
    return scaled, source


def pixels_view(pixels: np.ndarray, box: tuple[int, int], region: Region) -> tuple[np.ndarray, tuple[int, int], Size]:
    """Crop ``region``, scale it into ``box``, convert to BGRX; also the pixels' own size and the crop's."""
    if pixels.dtype != np.uint8 or pixels.ndim not in (2, 3):
        raise DecodeError(f"unsupported pixels {pixels.dtype} {pixels.shape}")
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    if channels not in (1, 3, 4):
        raise DecodeError(f"unsupported channel count {channels}")
    source = (pixels.shape[1], pixels.shape[0])
    _check_size(source)
    cropped = cut(pixels, region)
    detail = (cropped.shape[1], cropped.shape[0])
    scaled = _resize_exact(cropped, fit_size(detail, box))
    if channels == 1:
        return cv2.cvtColor(scaled, cv2.COLOR_GRAY2BGRA), source, detail
    if channels == 3:
        return cv2.cvtColor(scaled, cv2.COLOR_BGR2BGRA), source, detail
    return np.ascontiguousarray(scaled), source, detail


def _resize_exact(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    if (pixels.shape[1], pixels.shape[0]) == size:
        return np.ascontiguousarray(pixels)  # a crop already the size: QImage needs whole rows one after another
    return cv2.resize(pixels, size, interpolation=cv2.INTER_LINEAR)
