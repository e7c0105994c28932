"""A tile's digital zoom: how much (1x to 8x) and around which point of the picture, kept in the layout.

``Zoom`` is what a layout file holds (``"zoom": {"factor": 2.5, "center": [0.4, 0.6]}``); ``region``
turns it into the part of the picture the tile asks its decoder for. The gestures are pure functions
here, tested without a display: ``zoom_at`` keeps the point under the cursor where it is, ``pan``
moves the view, and both clamp the view inside the picture. No zoom (1x) is ``None``, never a
``Zoom``: an unzoomed camera writes no ``zoom`` field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monitor_app.core.layouts.errors import Problem, json_type
from monitor_app.core.sources.region import FULL, Region

MIN_FACTOR = 1.0
MAX_FACTOR = 8.0
"""8x of a 4K camera on a 480x270 tile is every pixel it has: more would only enlarge them."""


@dataclass(frozen=True, slots=True)
class Zoom:
    """``factor``: how many times larger (1..8); ``center_x``, ``center_y``: the point of the picture
    (fractions of its width and height) at the middle of the view."""

    factor: float
    center_x: float = 0.5
    center_y: float = 0.5

    def region(self) -> Region:
        """The part of the picture shown: 1/factor of each side, moved inside the picture if need be."""
        side = 1.0 / min(MAX_FACTOR, max(MIN_FACTOR, self.factor))
        return Region(_start(self.center_x, side), _start(self.center_y, side), side, side)


def _start(center: float, side: float) -> float:
    return min(max(0.0, center - side / 2), 1.0 - side)


def region_of(zoom: Zoom | None) -> Region:
    return FULL if zoom is None else zoom.region()


def clamped(factor: float, center_x: float, center_y: float) -> Zoom | None:
    """A zoom within bounds, its center where the view stays inside the picture; None at 1x."""
    factor = min(MAX_FACTOR, max(MIN_FACTOR, factor))
    if factor <= MIN_FACTOR + 1e-6:
        return None
    half = 0.5 / factor
    return Zoom(factor, min(max(half, center_x), 1.0 - half), min(max(half, center_y), 1.0 - half))


def zoom_at(zoom: Zoom | None, point: tuple[float, float], factor: float) -> Zoom | None:
    """Zoom to ``factor`` around ``point``, a place in the view (0..1 across and down what the tile
    shows): the part of the picture under it stays under it, unless that would leave the picture."""
    view = region_of(zoom)
    u, v = (min(1.0, max(0.0, p)) for p in point)
    target_x, target_y = view.x + u * view.width, view.y + v * view.height  # in the picture
    side = 1.0 / min(MAX_FACTOR, max(MIN_FACTOR, factor))
    return clamped(factor, target_x - u * side + side / 2, target_y - v * side + side / 2)


def pan(zoom: Zoom | None, dx: float, dy: float) -> Zoom | None:
    """Drag the picture by (``dx``, ``dy``) views (a drag across the whole view is 1): it follows the hand."""
    if zoom is None:
        return None
    side = 1.0 / zoom.factor
    return clamped(zoom.factor, zoom.center_x - dx * side, zoom.center_y - dy * side)


def zoom_to_json(zoom: Zoom) -> dict[str, Any]:
    """The layout file's form; rounded so a saved file stays readable and load + save reproduces it."""
    return {"factor": round(zoom.factor, 3), "center": [round(zoom.center_x, 4), round(zoom.center_y, 4)]}


def zoom_from_json(value: Any, path: str) -> tuple[Zoom | None, list[Problem]]:
    """Read a camera's ``zoom`` field at ``path`` (``$.cameras[2].zoom``); problems name the field.

    ``null`` or a factor of 1 is no zoom. A center that would put the view partly outside the
    picture is accepted and moved inside (``Zoom.region``), as the wheel does."""
    if value is None:
        return None, []
    if not isinstance(value, dict):
        return None, [Problem(path, f"must be an object with factor and center, not {json_type(value)}")]
    problems = [Problem(f"{path}.{key}", "is not a known field") for key in value if key not in ("factor", "center")]
    factor: Any = value.get("factor")
    if not _is_number(factor) or not MIN_FACTOR <= factor <= MAX_FACTOR:
        shown = json_type(factor) if not _is_number(factor) else factor
        problems.append(Problem(f"{path}.factor", f"must be a number from 1 to 8, not {shown}"))
    center = value.get("center", [0.5, 0.5])
    if not (isinstance(center, list) and len(center) == 2 and all(_is_number(c) and 0 <= c <= 1 for c in center)):
        problems.append(Problem(f"{path}.center", f"must be [x, y] with numbers from 0 to 1, not {center!r}"))
    if problems:
        return None, problems
    return clamped(float(factor), float(center[0]), float(center[1])), []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
