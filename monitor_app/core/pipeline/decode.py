"""Decode and scale a frame to its tile, off the GUI thread.

JPEG goes through libjpeg-turbo's DCT scaling (simplejpeg) straight to the smallest size
at least as large as the target, then INTER_LINEAR to the exact size. The result is
BGRX: 4 bytes a pixel, which is Qt's ``QImage.Format_RGB32`` in memory, so the GUI
blits it without converting.
"""

from __future__ import annotations

import cv2
import numpy as np
import simplejpeg

from monitor_app.core.sources.frames import MAX_SIDE, EncodedFrame, fit_size


class DecodeError(ValueError):
    """The frame could not be decoded (corrupt JPEG, unsupported pixel layout)."""


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a JPEG header, without decoding."""
    try:
        height, width, _, _ = simplejpeg.decode_jpeg_header(data)
    except ValueError as exc:
        raise DecodeError(f"not a JPEG: {exc}") from None
    return int(width), int(height)


def decode_to_fit(frame: EncodedFrame, box: tuple[int, int]) -> tuple[np.ndarray, tuple[int, int]]:
    """Return (BGRX pixels fitted into ``box``, the frame's original (width, height))."""
    if frame.jpeg is not None:
        return _jpeg_to_fit(frame.jpeg, box)
    assert frame.pixels is not None
    return pixels_to_fit(frame.pixels, box)


def _jpeg_to_fit(data: bytes, box: tuple[int, int]) -> tuple[np.ndarray, tuple[int, int]]:
    source = jpeg_size(data)
    _check_side(source)
    target = fit_size(source, box)
    try:
        bgrx = simplejpeg.decode_jpeg(
            data,
            colorspace="BGRX",
            fastdct=True,
            fastupsample=True,
            min_width=target[0],
            min_height=target[1],
        )
    except ValueError as exc:
        bgrx = _opencv_fallback(data, exc)
    return _resize_exact(bgrx, target), source


def _opencv_fallback(data: bytes, first_error: Exception) -> np.ndarray:
    # simplejpeg is strict about truncated data that libjpeg can still show most of.
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if decoded is None:
        raise DecodeError(f"corrupt JPEG: {first_error}") from None
    return cv2.cvtColor(decoded, cv2.COLOR_BGR2BGRA)


def pixels_to_fit(pixels: np.ndarray, box: tuple[int, int]) -> tuple[np.ndarray, tuple[int, int]]:
    """Scale then convert (cheaper than the other way round) raw BGR / gray / BGRA pixels."""
    if pixels.dtype != np.uint8 or pixels.ndim not in (2, 3):
        raise DecodeError(f"unsupported pixels {pixels.dtype} {pixels.shape}")
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    if channels not in (1, 3, 4):
        raise DecodeError(f"unsupported channel count {channels}")
    source = (pixels.shape[1], pixels.shape[0])
    _check_side(source)
    scaled = _resize_exact(pixels, fit_size(source, box))
    if channels == 1:
        return cv2.cvtColor(scaled, cv2.COLOR_GRAY2BGRA), source
    if channels == 3:
        return cv2.cvtColor(scaled, cv2.COLOR_BGR2BGRA), source
    return np.ascontiguousarray(scaled), source


def _resize_exact(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    if (pixels.shape[1], pixels.shape[0]) == size:
        return pixels
    return cv2.resize(pixels, size, interpolation=cv2.INTER_LINEAR)


def _check_side(size: tuple[int, int]) -> None:
    if not (0 < size[0] <= MAX_SIDE and 0 < size[1] <= MAX_SIDE):
        raise DecodeError(f"frame size {size[0]}x{size[1]} out of range")
