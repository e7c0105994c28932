"""What every window asks of each camera (its tile's size, whether it is seen), combined into one feed view.

Several windows may show one camera: it is decoded once, at the largest size a window that sees
it asks for (the others scale that image down as they paint it), and not at all while no window
sees it; its connection is still drained.
"""

from __future__ import annotations

from monitor_app.core.pipeline.routing import CameraFeed

MAIN_VIEWER = "main"
"""The viewer (a window's wall) that ``CameraPipeline.set_view`` means when none is named."""

Request = tuple["tuple[int, int] | None", bool]


class ViewRequests:
    """By camera key, by viewer: (size in device pixels or None, seen). GUI thread only."""

    def __init__(self) -> None:
        self._requests: dict[str, dict[str, Request]] = {}

    def set(self, feed: CameraFeed, key: str, viewer: str, size: tuple[int, int] | None, visible: bool | None) -> None:
        views = self._requests.setdefault(key, {})
        old_size, old_visible = views.get(viewer, (None, True))
        views[viewer] = (size or old_size, old_visible if visible is None else visible)
        _apply(feed, views)

    def forget(self, viewer: str, feeds: dict[str, CameraFeed]) -> None:
        for key, views in self._requests.items():
            feed = feeds.get(key)
            if views.pop(viewer, None) is not None and feed is not None:
                _apply(feed, views)

    def drop(self, key: str) -> None:
        self._requests.pop(key, None)


def _apply(feed: CameraFeed, views: dict[str, Request]) -> None:
    seen = [size for size, shown in views.values() if shown]
    sizes = [s for s in seen if s is not None] or [s for s, _ in views.values() if s is not None]
    feed.set_view(max(sizes, key=lambda s: s[0] * s[1]) if sizes else None, bool(seen))
