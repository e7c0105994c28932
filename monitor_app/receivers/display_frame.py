"""A decoded frame ready to paint: a QImage over a BGRX numpy buffer, and the part of the picture it shows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QImage

from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.region import FULL, Region


@dataclass(slots=True)
class DisplayFrame:
    """A decoded frame for a tile: the QImage, the buffer behind it and the frame's timing."""

    image: QImage
    pixels: np.ndarray  # owns the memory the QImage points at: keep it alive, never write it
    sent_at: float | None
    received_at: float
    source_size: tuple[int, int] | None
    region: Region = FULL
    """What the image shows: a frame decoded before the tile's zoom changed is painted where its region
    falls in the new view, never stretched over it."""
    detail: tuple[int, int] | None = None
    """(width, height) the decoder read over ``region`` before fitting it to the tile (``Decoded.detail``)."""

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of the image, read without a call into Qt."""
        return self.pixels.shape[1], self.pixels.shape[0]


def to_display_frame(
    pixels: np.ndarray,
    frame: EncodedFrame,
    source_size: tuple[int, int] | None,
    region: Region = FULL,
    detail: tuple[int, int] | None = None,
) -> DisplayFrame:
    """Wrap BGRX pixels without copying (BGRX in memory is Format_RGB32 on little-endian)."""
    height, width = pixels.shape[:2]
    image = QImage(pixels.data, width, height, pixels.strides[0], QImage.Format.Format_RGB32)
    return DisplayFrame(image, pixels, frame.sent_at, frame.received_at, source_size, region, detail)
