"""A layout's views: showing one (projecting it onto the cameras), storing it back, and the view edits.

The view shown lives in the cameras' cells (see ``spec.py``), so the arrange and form edits need
not know that views exist; these functions are the only ones that move between the projection
and ``Layout.views``. Each returns a new layout and leaves its argument alone, so a view edit is
an undo step like any other edit (a whole-layout before/after pair).
"""

from __future__ import annotations

import copy

from monitor_app.core.layouts.errors import LayoutError, Problem
from monitor_app.core.layouts.spec import Layout, TileSpec, ViewSpec

MIN_TOUR_S, MAX_TOUR_S = 1, 600


def default_view_title(index: int) -> str:
    return f"View {index + 1}"


def capture_view(layout: Layout, title: str, tour_seconds: int | None = None) -> ViewSpec:
    """The projection as a view: the placed cameras' tiles, in layout order."""
    tiles = [
        TileSpec(cam.id, cam.row, cam.column, cam.row_span, cam.column_span, cam.pinned, cam.zoom)
        for cam in layout.cameras
        if cam.placed
    ]
    return ViewSpec(title, layout.rows, layout.columns, tiles, tour_seconds)


def views_of(layout: Layout) -> list[ViewSpec]:
    """Every view, the one shown taken from the projection (copies: changing them changes nothing)."""
    if not layout.views:
        return [capture_view(layout, layout.title or default_view_title(0))]
    views = copy.deepcopy(layout.views)
    shown = views[layout.current_view]
    views[layout.current_view] = capture_view(layout, shown.title, shown.tour_seconds)
    return views


def current_view(layout: Layout) -> ViewSpec:
    return views_of(layout)[layout.current_view]


def project(layout: Layout, view: ViewSpec) -> None:
    """Put ``view``'s grid and tiles on ``layout``'s cameras (in place); a camera it lacks is unplaced."""
    layout.rows, layout.columns = view.rows, view.columns
    for cam in layout.cameras:
        tile = view.tile(cam.id)
        if tile is None:
            cam.placed, cam.row, cam.column, cam.pinned, cam.zoom = False, 0, 0, False, None
        else:
            cam.placed, cam.pinned, cam.zoom = True, tile.pinned, tile.zoom
            cam.row, cam.column, cam.row_span, cam.column_span = tile.row, tile.column, tile.row_span, tile.column_span


def show_view(layout: Layout, index: int) -> Layout:
    """``layout`` showing its view ``index`` (wrapping around); the view it showed is stored first."""
    views = views_of(layout)
    new = copy.deepcopy(layout)
    new.views, new.current_view = views, index % len(views)
    project(new, views[new.current_view])
    return new


def with_views_of(edited: Layout, before: Layout) -> Layout:
    """``edited`` (an edit of ``before``'s view shown, made without knowing of views) with ``before``'s
    other views, titles and tours; a camera the edit removed leaves every view."""
    views = views_of(before)
    shown = views[before.current_view]
    views[before.current_view] = capture_view(edited, shown.title, shown.tour_seconds)
    kept = {cam.id for cam in edited.cameras}
    for view in views:
        view.tiles = [t for t in view.tiles if t.camera in kept]
    edited.views, edited.current_view, edited.tour_seconds = views, before.current_view, before.tour_seconds
    return edited


# View edits --------------------------------------------------------------------------------
def add_view(layout: Layout, title: str = "") -> Layout:
    """A new empty view of the same grid after the last, shown."""
    views = views_of(layout)
    grid = views[layout.current_view]
    views.append(ViewSpec(_free_title(views, title), grid.rows, grid.columns))
    return _shown(layout, views, len(views) - 1)


def duplicate_view(layout: Layout) -> Layout:
    """A copy of the view shown, right after it, shown."""
    views = views_of(layout)
    copy_ = copy.deepcopy(views[layout.current_view])
    copy_.title = _free_title(views, f"{copy_.title} (copy)")
    views.insert(layout.current_view + 1, copy_)
    return _shown(layout, views, layout.current_view + 1)


def rename_view(layout: Layout, index: int, title: str) -> Layout:
    title = title.strip()
    views = views_of(layout)
    if not title:
        raise LayoutError([Problem(f"$.views[{index}].title", "must not be empty")])
    if any(v.title == title for i, v in enumerate(views) if i != index):
        raise LayoutError([Problem(f"$.views[{index}].title", f"another view is called {title!r}")])
    views[index].title = title
    return _shown(layout, views, layout.current_view)


def delete_view(layout: Layout, index: int) -> Layout:
    """Without view ``index`` (its cameras stay in the layout); the last view cannot go."""
    views = views_of(layout)
    if len(views) == 1:
        raise LayoutError([Problem(f"$.views[{index}]", "a layout keeps at least one view")])
    del views[index]
    shown = layout.current_view if layout.current_view < index else max(0, layout.current_view - 1)
    return _shown(layout, views, shown)


def move_view(layout: Layout, index: int, offset: int) -> Layout:
    """View ``index`` moved ``offset`` places (clamped), the same view still shown."""
    views = views_of(layout)
    target = max(0, min(len(views) - 1, index + offset))
    shown_view = views[layout.current_view]
    views.insert(target, views.pop(index))
    return _shown(layout, views, next(i for i, v in enumerate(views) if v is shown_view))


def set_tour(layout: Layout, seconds: int | None, view: int | None = None) -> Layout:
    """The tour interval of the views (``view`` None) or of a view's cameras; None: no interval stored."""
    if seconds is not None and not MIN_TOUR_S <= seconds <= MAX_TOUR_S:
        path = "$.tour.seconds" if view is None else f"$.views[{view}].tour.seconds"
        raise LayoutError([Problem(path, f"must be between {MIN_TOUR_S} and {MAX_TOUR_S}, not {seconds}")])
    views = views_of(layout)
    new = _shown(layout, views, layout.current_view)
    if view is None:
        new.tour_seconds = seconds
    else:
        new.views[view].tour_seconds = seconds
    return new


def set_pinned(layout: Layout, camera_id: str, pinned: bool) -> Layout:
    """The tile of ``camera_id`` in the view shown pinned (it stays while a camera tour cycles) or not."""
    new = copy.deepcopy(layout)
    for cam in new.cameras:
        if cam.id == camera_id and cam.placed:
            cam.pinned = pinned
    return new


def _shown(layout: Layout, views: list[ViewSpec], index: int) -> Layout:
    new = copy.deepcopy(layout)
    new.views, new.current_view = views, index
    project(new, views[index])
    return new


def _free_title(views: list[ViewSpec], wanted: str) -> str:
    titles = {v.title for v in views}
    base = wanted.strip() or default_view_title(len(views))
    title, n = base, 2
    while title in titles:
        title, n = f"{base} {n}", n + 1
    return title


def camera_tour_wall(layout: Layout, step: int, order: list[str]) -> Layout:
    """What a camera tour of the view shown displays at ``step`` (a wall to show, never an edit).

    The unpinned cameras (in ``order``, the reading order) take turns in the first unpinned tile's
    place; pinned tiles stay where they are. With nothing pinned, the camera fills the wall.
    """
    new = copy.deepcopy(layout)
    by_id = {cam.id: cam for cam in new.cameras}
    cycling = [by_id[key] for key in order if key in by_id and by_id[key].placed and not by_id[key].pinned]
    if not cycling:
        return new
    slot, shown = cycling[0], cycling[step % len(cycling)]
    area = (slot.row, slot.column, slot.row_span, slot.column_span)
    if not any(cam.placed and cam.pinned for cam in new.cameras):
        new.rows = new.columns = 1
        area = (0, 0, 1, 1)
    for cam in cycling:
        cam.placed = cam is shown
    shown.row, shown.column, shown.row_span, shown.column_span = area
    return new
