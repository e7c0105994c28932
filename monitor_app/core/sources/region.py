"""The part of a camera's picture a tile shows: a rectangle in source coordinates, each side 0..1.

A zoomed tile asks for a region; decoders and URL readers cut it out at the tile's resolution, and
every decoded frame says which region it holds, so a frame decoded for the previous region is never
painted as if it were the new one. Lives with the sources because URL readers crop too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

_SLACK = 1e-9  # float sums such as 0.7 + 0.3 may land a hair past 1


@dataclass(frozen=True, slots=True)
class Region:
    """``x``, ``y``: the top-left corner; ``width``, ``height``: the size; all fractions of the source."""

    x: float = 0.0
    y: float = 0.0
    width: float = 1.0
    height: float = 1.0

    def __post_init__(self) -> None:
        for start, size in ((self.x, self.width), (self.y, self.height)):
            if not (start >= 0.0 and size > 0.0 and start + size <= 1.0 + _SLACK):
                raise ValueError(f"not a region inside the picture: {self}")

    @property
    def is_full(self) -> bool:
        return self == FULL

    def contains(self, other: Region) -> bool:
        return (
            self.x - _SLACK <= other.x
            and self.y - _SLACK <= other.y
            and other.x + other.width <= self.x + self.width + _SLACK
            and other.y + other.height <= self.y + self.height + _SLACK
        )

    def within(self, outer: Region) -> Region:
        """This region in the coordinates of ``outer`` (which must contain it): what to cut from a
        picture that already shows ``outer`` alone."""
        x = max(0.0, (self.x - outer.x) / outer.width)
        y = max(0.0, (self.y - outer.y) / outer.height)
        return Region(x, y, min(self.width / outer.width, 1.0 - x), min(self.height / outer.height, 1.0 - y))

    def pixels(self, size: tuple[int, int]) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) of this region in a picture of ``size``: whole pixels, never empty."""
        width, height = size
        left = min(width - 1, math.floor(self.x * width + _SLACK))
        top = min(height - 1, math.floor(self.y * height + _SLACK))
        right = max(left + 1, min(width, round((self.x + self.width) * width)))
        bottom = max(top + 1, min(height, round((self.y + self.height) * height)))
        return left, top, right, bottom

    def size_in(self, size: tuple[int, int]) -> tuple[int, int]:
        """(width, height) in pixels of this region of a picture of ``size``."""
        left, top, right, bottom = self.pixels(size)
        return right - left, bottom - top


FULL = Region()
"""The whole picture: what an unzoomed tile shows."""


def cut(pixels: np.ndarray, region: Region) -> np.ndarray:
    """A view of ``region`` of ``pixels`` (no copy: the resize or conversion after it makes one)."""
    if region.is_full:
        return pixels
    left, top, right, bottom = region.pixels((pixels.shape[1], pixels.shape[0]))
    return pixels[top:bottom, left:right]


def zoomed_scale_size(source: tuple[int, int], box: tuple[int, int], region: Region) -> tuple[int, int]:
    """The size to scale a whole frame of ``source`` to, so that ``region`` of it covers ``box``
    (the tile's device pixels) with the source's aspect ratio, and never more than the source itself.

    A URL reader converts the frame to this size in one swscale pass and crops ``region`` out of it:
    the crop is then about the tile's size, sharp, instead of an enlarged thumbnail."""
    sw, sh = source
    bw, bh = max(1, box[0]), max(1, box[1])
    scale = min(bw / (sw * region.width), bh / (sh * region.height), 1.0)
    return max(1, round(sw * scale)), max(1, round(sh * scale))
