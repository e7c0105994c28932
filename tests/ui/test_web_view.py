"""View > Open in Browser and the window's snapshots to the web thread, in the real window offscreen."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from monitor_app.core.layouts.edits import remove_camera
from monitor_app.ui.main_window import MainWindow
from tests.ui.test_main_window import pattern_layout


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    win = MainWindow(pattern_layout(), scripted=True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def api(win: MainWindow, path: str) -> Any:
    server = win.web.server
    assert server is not None
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=5) as response:
        return json.load(response)


def test_the_menu_item_waits_for_the_server_and_opens_the_page(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    action = window.menus.open_in_browser_action
    assert action.text() == "Open in &Browser" and action in window.menus.view_menu.actions()
    assert not action.isEnabled()
    assert window.web.start(("127.0.0.1", 0), "tok en") == ""
    assert action.isEnabled()
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(bytes(QUrl(url).toEncoded()).decode()) or True
    )
    action.trigger()
    assert opened == [window.web.url] and window.web.url.endswith("/?token=tok%20en")
    window.web.stop()
    assert not action.isEnabled() and window.web.server is None


def test_the_page_follows_the_layout_and_the_states(window: MainWindow, qtbot: QtBot) -> None:
    assert window.web.start(("127.0.0.1", 0), None) == ""
    assert [c["id"] for c in api(window, "/api/cameras")] == ["cam0", "cam1", "cam2", "cam3"]
    qtbot.waitUntil(lambda: {c["state"] for c in api(window, "/api/cameras")} == {"live"}, timeout=10000)
    window.edit_layout(remove_camera(window.layout_model, "cam1"))
    qtbot.waitUntil(lambda: [c["id"] for c in api(window, "/api/cameras")] == ["cam0", "cam2", "cam3"], timeout=5000)
    stats = api(window, "/api/stats")
    assert len(stats["tiles"]) == 3 and stats["web"]["clients"] == 0
    window.shutdown()  # the one shutdown path stops the server too (the fixture finds no thread left)
    assert window.web.server is None
