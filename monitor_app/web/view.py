"""What the window tells the web thread: plain, immutable snapshots of its view and its cameras' states.

The GUI thread builds a ``WallView`` when the layout changes and a ``WallStatus`` every second and
hands them over whole; the web thread only reads them, so neither waits on the other. ``views`` is a
list although a layout has one grid today: a layout with several views fills it, and the page
shows a switcher.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from monitor_app.core.pipeline.routing import CameraFeed


@dataclass(frozen=True)
class TileView:
    """One tile of a grid: which camera, its top-left cell and its span."""

    camera: str  # the camera's id
    row: int
    column: int
    row_span: int = 1
    column_span: int = 1


@dataclass(frozen=True)
class GridView:
    """One view: a titled grid of tiles, as the window arranges it."""

    title: str
    rows: int
    columns: int
    tiles: tuple[TileView, ...] = ()


@dataclass(frozen=True)
class CameraView:
    """A camera of the layout and the feed its frames arrive on (None: none yet, its connection failed)."""

    id: str
    title: str
    feed: CameraFeed | None = field(default=None, compare=False)


@dataclass(frozen=True)
class WallView:
    """The layout as the browser shows it: its views and every camera (placed or only in the list)."""

    views: tuple[GridView, ...] = ()
    cameras: tuple[CameraView, ...] = ()

    def camera(self, camera_id: str) -> CameraView | None:
        return next((c for c in self.cameras if c.id == camera_id), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "views": [
                {
                    "title": v.title,
                    "rows": v.rows,
                    "columns": v.columns,
                    "tiles": [
                        {"camera": t.camera, "cell": [t.row, t.column], "span": [t.row_span, t.column_span]}
                        for t in v.tiles
                    ],
                }
                for v in self.views
            ],
            "cameras": {c.id: {"title": c.title} for c in self.cameras},
        }


@dataclass(frozen=True)
class WallStatus:
    """Each camera's state (``live``, ``stalled`` ...) and the ``--stats-json`` document, at one moment."""

    states: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    stats: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
