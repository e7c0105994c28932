"""What travels from a source to the decode pool: one encoded (or already decoded) frame."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from monitor_app.core.sources.region import FULL, Region

MAX_SIDE = 8192
"""Frames larger than this on either side are refused before anything is decoded or allocated
(a hostile header or a broken file); 8K UHD (7680x4320) fits."""


@dataclass(slots=True)
class EncodedFrame:
    """A frame as it arrived, before it is scaled for a tile.

    Exactly one of ``jpeg`` and ``pixels`` is set. ``pixels`` is uint8 of shape (h, w),
    (h, w, 3) in BGR order or (h, w, 4) BGRA, as OpenCV and imagezmq produce them.
    """

    camera: str
    jpeg: bytes | None = None
    pixels: np.ndarray | None = None
    sent_at: float | None = None
    """The sender's wall-clock stamp (``time.time()``), when the sender provides one."""
    received_at: float = field(default_factory=time.time)
    source_size: tuple[int, int] | None = None
    """(width, height) of the stream, when the source scaled the frame down before handing it on
    (URL cameras shrink to the tile in their own thread); otherwise the frame's own size is the stream's."""
    region: Region = FULL
    """The part of the stream ``pixels`` show: a URL camera of a zoomed tile crops as it scales."""

    def __post_init__(self) -> None:
        if (self.jpeg is None) == (self.pixels is None):
            raise ValueError("an EncodedFrame holds either jpeg bytes or pixels, not both or neither")


def fit_size(source: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The largest (width, height) with the source's aspect ratio that fits in ``box``."""
    sw, sh = source
    bw, bh = max(1, box[0]), max(1, box[1])
    if sw <= 0 or sh <= 0:
        raise ValueError(f"empty frame {sw}x{sh}")
    scale = min(bw / sw, bh / sh)
    return max(1, round(sw * scale)), max(1, round(sh * scale))
