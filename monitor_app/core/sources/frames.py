"""What travels from a source to the decode pool: one encoded (or already decoded) frame."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np


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

    def __post_init__(self) -> None:
        if (self.jpeg is None) == (self.pixels is None):
            raise ValueError("an EncodedFrame holds either jpeg bytes or pixels, not both or neither")
