"""Views in the real window, offscreen: tabs and keys switch them, view edits undo, tours pause on input,
a view opened in its own window shares the camera's feed, and the session comes back after a restart."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QMenu
from pytestqt.qtbot import QtBot

from monitor_app.core.layouts.model import parse_layout
from monitor_app.core.layouts.views import views_of
from monitor_app.core.pipeline.health import CameraState
from monitor_app.core.tour import TourMode
from monitor_app.ui.main_window import MainWindow
from monitor_app.ui.settings import AppSettings


def two_views() -> dict[str, object]:
    return {
        "schema_version": 2,
        "title": "test",
        "connections": [{"id": f"p{n}", "kind": "pattern", "width": 320, "height": 180, "fps": 30} for n in range(3)],
        "cameras": [{"id": f"cam{n}", "title": f"Camera {n}", "connection": f"p{n}"} for n in range(3)],
        "views": [
            {"title": "Front", "grid": {"rows": 1, "columns": 2}, "tiles": [
                {"camera": "cam0", "cell": [0, 0]}, {"camera": "cam1", "cell": [0, 1]},
            ]},
            {"title": "Back", "grid": {"rows": 1, "columns": 2}, "tiles": [
                {"camera": "cam0", "cell": [0, 0], "pinned": True}, {"camera": "cam2", "cell": [0, 1]},
            ]},
        ],
    }  # fmt: skip


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    win = MainWindow(parse_layout(two_views()), scripted=True)
    qtbot.addWidget(win)
    win.resize(900, 500)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def live(win: MainWindow, frames: int = 3) -> bool:
    return all(
        t.feed.health.frames_displayed >= frames and t.feed.health.snapshot().state is CameraState.LIVE
        for t in win.grid.tiles.values()
    )


def test_tabs_and_ctrl_page_keys_switch_views_and_a_hidden_view_is_not_decoded(
    window: MainWindow, qtbot: QtBot
) -> None:
    tabs = window.views.controls.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Front", "Back"]
    qtbot.waitUntil(lambda: live(window), timeout=15000)
    assert set(window.grid.tiles) == {"cam0", "cam1"}
    hidden = window.pipeline.feed("cam2")
    assert hidden is not None and not hidden.visible
    decoded = hidden.health.frames_decoded
    qtbot.keyClick(window.grid.tiles["cam0"], Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: set(window.grid.tiles) == {"cam0", "cam2"})
    assert tabs.currentIndex() == 1 and window.layout_model.current_view == 1
    assert not window.modified and not window.history.stack.canUndo()  # switching is not an edit
    qtbot.waitUntil(lambda: hidden.health.frames_decoded > decoded + 5, timeout=10000)
    cam1 = window.pipeline.feed("cam1")
    assert cam1 is not None and not cam1.visible
    tabs.setCurrentIndex(0)  # a click on the tab
    qtbot.waitUntil(lambda: set(window.grid.tiles) == {"cam0", "cam1"})


def test_view_edits_are_undoable(window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    controls = window.views.controls
    controls.new_view()
    assert [v.title for v in views_of(window.layout_model)] == ["Front", "Back", "View 3"]
    assert window.layout_model.current_view == 2 and not window.grid.tiles
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Gate", True))
    controls.rename(2)
    controls.move(-2)
    assert [v.title for v in views_of(window.layout_model)] == ["Gate", "Front", "Back"]
    controls.delete()
    assert [v.title for v in views_of(window.layout_model)] == ["Front", "Back"]
    assert window.modified
    for _ in range(4):
        window.history.stack.undo()
    assert [v.title for v in views_of(window.layout_model)] == ["Front", "Back"]
    assert not window.modified and not window.history.stack.canUndo()
    window.history.stack.redo()
    assert [controls.tabs.tabText(i) for i in range(controls.tabs.count())] == ["Front", "Back", "View 3"]


def test_a_camera_tour_keeps_the_pinned_tile_and_pauses_on_input(window: MainWindow, qtbot: QtBot) -> None:
    menu = QMenu()
    window.views.add_to_tile_menu(menu, "cam1")
    [pin] = [a for a in menu.actions() if a.text() == "Pin in This View"]
    assert not pin.isChecked()
    pin.trigger()  # an undoable edit of this view only
    assert [c.id for c in window.layout_model.cameras if c.pinned] == ["cam1"]
    window.history.stack.undo()
    assert not any(c.pinned for c in window.layout_model.cameras)
    window.views.controls.show_view(1)
    tour = window.views.tour
    tour.start(TourMode.CAMERAS, 1)
    assert set(window.grid.tiles) == {"cam0", "cam2"}  # pinned cam0 stays; cam2 is the one cycling
    assert tour.indicator.isVisible() and "Tour" in tour.indicator.text()
    window.views.controls.show_view(0)
    tour.start(TourMode.CAMERAS, 1)
    qtbot.waitUntil(lambda: len(window.grid.tiles) == 1, timeout=3000)  # nothing pinned: one camera, whole wall
    first = set(window.grid.tiles)
    qtbot.waitUntil(lambda: set(window.grid.tiles) != first, timeout=5000)
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Right)  # through the window, as a person's key comes
    qtbot.waitUntil(lambda: "paused" in tour.indicator.text(), timeout=3000)
    assert set(window.grid.tiles) == {"cam0", "cam1"}  # the view itself, to work with
    tour.stop()
    assert not tour.indicator.isVisible() and tour.state() is None


def test_a_view_in_its_own_window_shares_the_feed_and_decodes_at_the_larger_size(
    window: MainWindow, qtbot: QtBot
) -> None:
    qtbot.waitUntil(lambda: live(window), timeout=15000)
    other = window.views.windows.open_view(1)
    other.resize(1200, 700)
    qtbot.waitExposed(other)
    assert set(other.grid.tiles) == {"cam0", "cam2"} and other.view_title == "Back"
    shared = window.pipeline.feed("cam0")
    assert shared is other.grid.tiles["cam0"].feed is window.grid.tiles["cam0"].feed  # one feed, one decode
    big = other.grid.tiles["cam0"]
    qtbot.waitUntil(lambda: shared.target_size[0] >= big.width() - 2, timeout=5000)
    shown_here = window.grid.tiles["cam0"].feed.health.frames_displayed
    qtbot.waitUntil(lambda: big.current_image_size() is not None, timeout=10000)
    qtbot.waitUntil(lambda: shared.health.frames_displayed > shown_here + 5, timeout=10000)
    # Painted in both windows, each frame is counted once: the tile's frame rate is the camera's (30 fps).
    window.grid.tiles["cam0"].feed.health.display_hidden()  # start the rate afresh, with both windows painting
    qtbot.wait(2000)
    assert shared.health.snapshot().fps < 36
    cam2 = window.pipeline.feed("cam2")
    assert cam2 is not None and cam2.visible  # hidden in the main window, seen in the other
    stats = window.stats()
    assert [w["view"] for w in stats["windows"]] == ["Front", "Back"]  # type: ignore[index]
    other.close()
    qtbot.waitUntil(lambda: not cam2.visible)
    qtbot.waitUntil(lambda: shared.target_size[0] < big.width() - 50)


def test_the_session_comes_back_at_the_next_start(qtbot: QtBot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "views.json"
    from monitor_app.core.layouts.files import write_layout

    write_layout(parse_layout(two_views()), path)
    first = MainWindow(parse_layout(two_views()), str(path), AppSettings(), scripted=True)
    qtbot.addWidget(first)
    first.show()
    first.views.controls.show_view(1)
    other = first.views.windows.open_view(0)
    other.tour.start(TourMode.VIEWS, 7)
    first.close()
    assert not first.views.windows.windows
    again = MainWindow(parse_layout(two_views()), str(path), AppSettings(), scripted=True)
    qtbot.addWidget(again)
    assert not again.restore_session()
    again.show()
    assert again.layout_model.current_view == 1
    [restored] = again.views.windows.windows
    assert restored.view_title == "Front" and restored.tour.state() == {"mode": "views", "seconds": 7}
    assert [w["tour"] for w in again.stats()["windows"]] == [None, 7]  # type: ignore[index]
    again.close()
    other_layout = MainWindow(parse_layout(two_views()), None, AppSettings(), scripted=True)
    qtbot.addWidget(other_layout)
    other_layout.restore_session()  # another layout (here: none) does not get this one's windows
    assert not other_layout.views.windows.windows
    other_layout.close()
