"""What every window asks of each camera (its tile's size, whether it is seen, its zoomed region), combined
into one feed view.

Several windows may show one camera: it is decoded once, at the largest size a window that sees
it asks for (the others scale that image down as they paint it), and not at all while no window
sees it; its connection is still drained. Windows that see it zoomed differently get the whole
picture (each tile cuts its own region out as it paints, in Qt).
"""

from __future__ import annotations

from typing import Protocol

from monitor_app.core.pipeline.routing import CameraFeed
from monitor_app.core.sources.region import FULL, Region

MAIN_VIEWER = "main"
"""The viewer (a window's wall) that ``CameraPipeline.set_view`` means when none is named."""

Request = tuple["tuple[int, int] | None", bool, Region]


class SetView(Protocol):
    """A tile's way to ``CameraPipeline.set_view``: (key, size in device pixels, visible, region shown); None:
    unchanged. The grid names its window (the viewer)."""

    def __call__(
        self, key: str, size: tuple[int, int] | None, visible: bool | None, region: Region | None = None, /
    ) -> None: ...


class ViewRequests:
    """By camera key, by viewer: (size in device pixels or None, seen, region). GUI thread only."""

    def __init__(self) -> None:
        self._requests: dict[str, dict[str, Request]] = {}

    def set(
        self,
        feed: CameraFeed,
        key: str,
        viewer: str,
        size: tuple[int, int] | None,
        visible: bool | None,
        region: Region | None = None,
    ) -> None:
        views = self._requests.setdefault(key, {})
        old_size, old_visible, old_region = views.get(viewer, (None, True, FULL))
        views[viewer] = (size or old_size, old_visible if visible is None else visible, region or old_region)
        _apply(feed, views)

    def forget(self, viewer: str, feeds: dict[str, CameraFeed]) -> None:
        for key, views in self._requests.items():
            feed = feeds.get(key)
            if views.pop(viewer, None) is not None and feed is not None:
                _apply(feed, views)

    def drop(self, key: str) -> None:
        self._requests.pop(key, None)


def _apply(feed: CameraFeed, views: dict[str, Request]) -> None:
    seen = [(size, region) for size, shown, region in views.values() if shown]
    sizes = [s for s, _ in seen if s is not None] or [s for s, _, _ in views.values() if s is not None]
    regions = {region for _, region in seen} or {region for _, _, region in views.values()}
    size = max(sizes, key=lambda s: s[0] * s[1]) if sizes else None
    feed.set_view(size, bool(seen), regions.pop() if len(regions) == 1 else FULL)
