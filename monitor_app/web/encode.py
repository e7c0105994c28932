"""JPEG for the browser from frames that arrived as pixels (raw imagezmq arrays, test patterns, URL cameras).

Runs on the web server's encoder threads: simplejpeg (libjpeg-turbo) and OpenCV's resize release
the GIL, so neither the event loop nor a receiver waits on it.
"""

from __future__ import annotations

import cv2
import numpy as np
import simplejpeg

from monitor_app.core.sources.frames import fit_size

MAX_BOX = (1920, 1080)
"""The largest size the web view encodes at, whatever a client asks for."""
QUALITY = 80

_COLOURSPACES = {1: "GRAY", 3: "BGR", 4: "BGRA"}


def capped_box(box: tuple[int, int] | None) -> tuple[int, int]:
    """``box`` (None: as large as allowed) within ``MAX_BOX`` and at least 16x16."""
    if box is None:
        return MAX_BOX
    return max(16, min(box[0], MAX_BOX[0])), max(16, min(box[1], MAX_BOX[1]))


def encode_pixels(pixels: np.ndarray, box: tuple[int, int]) -> bytes:
    """``pixels`` (gray, BGR or BGRA uint8) scaled down (never up) to fit ``box``, as JPEG."""
    height, width = pixels.shape[:2]
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    if pixels.dtype != np.uint8 or channels not in _COLOURSPACES:
        raise ValueError(f"cannot encode pixels {pixels.dtype} {pixels.shape}")
    if width > box[0] or height > box[1]:
        pixels = cv2.resize(pixels, fit_size((width, height), box), interpolation=cv2.INTER_AREA)
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    jpeg: bytes = simplejpeg.encode_jpeg(
        np.ascontiguousarray(pixels), quality=QUALITY, colorspace=_COLOURSPACES[channels], fastdct=True
    )
    return jpeg
