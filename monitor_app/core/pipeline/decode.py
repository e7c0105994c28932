"""Decode and scale a frame to its tile, off the GUI thread.

JPEG goes through libjpeg-turbo's DCT scaling (simplejpeg) straight to the smallest size
at least as large as the target, then INTER_LINEAR to the exact size. The result is
BGRX: 4 bytes a pixel, which is Qt's ``QImage.Format_RGB32`` in memory, so the GUI
blits it without converting.

A header is never trusted: the size it claims is checked against ``MAX_SIDE`` and
``MAX_PIXELS`` before anything is decoded, and nothing is ever decoded at full size unless
the tile asks for it (a truncated JPEG is decoded leniently at the same reduced scale).
"""

from __future__ import annotations

import cv2
import numpy as np
import simplejpeg

from monitor_app.core.sources.frames import MAX_SIDE, EncodedFrame, fit_size

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


def decode_to_fit(frame: EncodedFrame, box: tuple[int, int]) -> tuple[np.ndarray, tuple[int, int]]:
    """Return (BGRX pixels fitted into ``box``, the stream's (width, height)).

    The stream's size is the frame's own, unless the source scaled it down and said so (``source_size``).
    """
    if frame.jpeg is not None:
        pixels, size = _jpeg_to_fit(frame.jpeg, box)
    else:
        assert frame.pixels is not None
        pixels, size = pixels_to_fit(frame.pixels, box)
    return pixels, frame.source_size or size


def _jpeg_to_fit(data: bytes, box: tuple[int, int]) -> tuple[np.ndarray, tuple[int, int]]:
    source = jpeg_size(data)
    _check_size(source)
    target = fit_size(source, box)
    try:
        bgrx = _decode_scaled(data, target, strict=True)
    except ValueError as exc:
        # Truncated data that libjpeg can still show most of: the same scale, the rest grey.
        # (Never cv2.imdecode: it decodes the whole frame, 0.8 s and 430 MB for a 30 KB 8192x8192 bomb.)
        try:
            bgrx = _decode_scaled(data, target, strict=False)
        except ValueError:
            raise DecodeError(f"corrupt JPEG: {exc}") from None
    return _resize_exact(bgrx, target), source


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
    if pixels.dtype != np.uint8 or pixels.ndim not in (2, 3):
        raise DecodeError(f"unsupported pixels {pixels.dtype} {pixels.shape}")
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    if channels not in (1, 3, 4):
        raise DecodeError(f"unsupported channel count {channels}")
    source = (pixels.shape[1], pixels.shape[0])
    _check_size(source)
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
