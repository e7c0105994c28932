"""The real window, offscreen: live tiles, full-window toggling, editing, saving, clean shutdown."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from monitor_app.core.layouts.edits import CameraForm, apply_camera_form, remove_camera, resize_grid
from monitor_app.core.layouts.files import read_layout
from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout
from monitor_app.core.net import free_port
from monitor_app.core.pipeline.health import CameraState
from monitor_app.receivers.threads import running_threads
from monitor_app.ui.main_window import MainWindow
from monitor_app.ui.settings import AppSettings


def pattern_layout(count: int = 4, fps: float = 30) -> Layout:
    layout = Layout(rows=2, columns=2, title="test")
    for n in range(count):
        layout.connections.append(ConnectionSpec(f"p{n}", "pattern", {"width": 320, "height": 180, "fps": fps}))
        layout.cameras.append(CameraSpec(f"cam{n}", f"p{n}", title=f"Camera {n}", row=n // 2, column=n % 2))
    return layout


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    win = MainWindow(pattern_layout(), scripted=True)
    qtbot.addWidget(win)
    win.resize(900, 600)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def all_live(win: MainWindow, frames: int = 10) -> bool:
    return all(
        t.feed.health.frames_displayed >= frames and t.feed.health.snapshot().state is CameraState.LIVE
        for t in win.grid.tiles.values()
    )


def test_every_tile_goes_live_and_paints_frames_pre_scaled_to_its_size(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: all_live(window), timeout=15000)
    for tile in window.grid.tiles.values():
        size = tile.current_image_size()
        assert size is not None
        # Decoded to fit the tile exactly on one side: the GUI only blits.
        assert size[0] == tile.feed.target_size[0] or size[1] == tile.feed.target_size[1]
    picture = window.grab().toImage()
    assert picture.pixelColor(QPoint(picture.width() // 4, picture.height() // 3)).value() > 20


def test_double_click_and_enter_toggle_one_tile_full_window(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: all_live(window, 2), timeout=15000)
    tile = window.grid.tiles["cam1"]
    small = tile.size()
    qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tile.width() > small.width() * 1.5)
    others = [t for k, t in window.grid.tiles.items() if k != "cam1"]
    assert all(not t.isVisible() and not t.feed.visible for t in others)
    decoded_before = [t.feed.health.frames_decoded for t in others]
    displayed = tile.feed.health.frames_displayed
    qtbot.waitUntil(lambda: tile.feed.health.frames_displayed > displayed + 10, timeout=10000)
    assert [t.feed.health.frames_decoded for t in others] == decoded_before  # hidden tiles are not decoded
    qtbot.waitUntil(
        lambda: (
            tile.current_image_size() == tile.feed.target_size
            or tile.current_image_size()[0] == tile.feed.target_size[0]
        )
    )
    tile.setFocus()
    qtbot.keyClick(tile, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: all(t.isVisible() and t.feed.visible for t in window.grid.tiles.values()))


def test_a_minimised_window_drains_but_does_not_decode(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: all_live(window, 2), timeout=15000)
    window.grid.set_window_visible(False)
    feed = window.grid.tiles["cam0"].feed
    time.sleep(0.2)
    decoded, received = feed.health.frames_decoded, feed.health.frames_received
    qtbot.wait(600)
    assert feed.health.frames_decoded <= decoded + 1
    window.grid.set_window_visible(True)
    qtbot.waitUntil(lambda: feed.health.frames_decoded > decoded + 5, timeout=10000)
    assert received >= 0


def test_editing_adds_and_removes_tiles_and_their_threads(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: all_live(window, 2), timeout=15000)
    grown = resize_grid(window.layout_model, 2, 3)
    window.replace_layout(apply_camera_form(grown, CameraForm(title="Extra", kind="pattern", row=0, column=2)))
    assert window.modified and window.windowTitle().startswith("*")
    qtbot.waitUntil(
        lambda: "extra" in window.grid.tiles and window.grid.tiles["extra"].feed.health.frames_displayed > 3,
        timeout=15000,
    )
    threads_with_extra = len(running_threads())
    window.replace_layout(remove_camera(window.layout_model, "extra"))
    assert "extra" not in window.grid.tiles
    qtbot.waitUntil(lambda: len(running_threads()) == threads_with_extra - 1)
    assert all_live(window, 2)


def test_save_and_open_round_trip_through_the_window(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    window.replace_layout(resize_grid(window.layout_model, 2, 2))
    assert window.modified
    assert window.save_layout(str(path))  # started; written by the saver thread
    qtbot.waitUntil(lambda: not window.modified, timeout=10000)
    assert read_layout(path) == window.layout_model and window.layout_path == str(path)
    assert AppSettings().recent_layouts()[0] == str(path.resolve())
    assert not window.windowTitle().startswith("*")
    window.replace_layout(resize_grid(window.layout_model, 2, 3))
    (tmp_path / "a-file").write_text("")
    unwritable = tmp_path / "a-file" / "mine.json"  # its folder is a file: the save fails
    assert window.save_layout(str(unwritable), wait=True) is False
    assert window.modified and window.layout_path == str(path)  # still unsaved, still the old file
    path.write_text('{"schema_version": 1, "grid": {"rows": "two"}}')
    before = window.layout_model
    assert window.open_layout_file(str(path)) is False  # refused, and the wall keeps running
    assert window.layout_model is before
    qtbot.waitUntil(lambda: all_live(window, 2), timeout=15000)


def test_closing_the_window_stops_every_thread_within_about_a_second(qtbot: QtBot) -> None:
    win = MainWindow(pattern_layout(4), scripted=True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: all_live(win, 2), timeout=15000)
    assert len(running_threads()) >= 5
    began = time.monotonic()
    win.close()
    elapsed = time.monotonic() - began
    assert running_threads() == []
    assert elapsed < 1.5, elapsed


def test_none_refcount_stays_flat_across_many_paint_and_update_calls(window: MainWindow, qtbot: QtBot) -> None:
    """PySide6 6.12.0 on Python 3.11 decrements None on every call that returns nothing and aborts."""
    qtbot.waitUntil(lambda: all_live(window, 2), timeout=15000)
    tile = next(iter(window.grid.tiles.values()))
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    before = sys.getrefcount(None)
    for _ in range(3000):
        tile.update()
        tile.repaint()
        image.fill(0)
        window.pipeline.frames_ready.emit()
    drift = sys.getrefcount(None) - before
    assert abs(drift) < 500, f"None's refcount drifted by {drift}"


def test_an_empty_wall_says_what_it_waits_for_and_geometry_is_remembered(qtbot: QtBot) -> None:
    layout = Layout(rows=1, columns=1, connections=[ConnectionSpec("idle", "pattern", {"fps": 1})])
    win = MainWindow(layout, scripted=True)
    qtbot.addWidget(win)
    win.show()
    assert win.grid.empty_hint.isVisible() and "Waiting for cameras on test pattern" in win.grid.empty_hint.text()
    win.resize(700, 500)
    win.move(40, 30)
    win.close()
    again = MainWindow(Layout(rows=1, columns=1), scripted=True)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 500)
    again.close()


def test_the_camera_dialog_shows_the_fields_of_each_kind(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QComboBox, QLineEdit

    from monitor_app.ui.camera_dialog import CameraDialog

    dialog = CameraDialog(CameraForm(title="Gate", kind="hub", address="tcp://*:5555", name="gate"), "Edit camera")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.name.isVisible() and dialog.address.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData("pattern"))
    assert not dialog.address.isVisible() and not dialog.name.isVisible()
    sub_url, transport = dialog.field("url", "sub_url"), dialog.field("url", "transport")
    assert isinstance(sub_url, QLineEdit) and isinstance(transport, QComboBox)
    assert not sub_url.isVisible() and not transport.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData("url"))
    assert sub_url.isVisible() and transport.isVisible() and not dialog.name.isVisible()
    dialog.address.setText("rtsp://cam/1")
    sub_url.setText("rtsp://cam/2")
    transport.setCurrentIndex(transport.findData("udp"))
    dialog.column.setValue(1)
    form = dialog.form()
    assert (form.kind, form.address, form.title, form.column) == ("url", "rtsp://cam/1", "Gate", 1)
    assert (form.settings["sub_url"], form.settings["transport"]) == ("rtsp://cam/2", "udp")


# Cameras that appear by themselves, and connections that fail, on the real window ----------------
PEERS = Path(__file__).resolve().parents[1] / "peers"


def hub_layout(port: int, placed: tuple[str, ...] = ()) -> Layout:
    layout = Layout(rows=1, columns=1, title="hub")
    layout.connections.append(ConnectionSpec("hub", "hub", {"endpoint": f"tcp://127.0.0.1:{port}"}, True))
    for n, name in enumerate(placed):
        layout.grow_to_fit(n + 1)
        layout.cameras.append(CameraSpec(name, "hub", name=name, row=0, column=n))
    return layout


def peer(script: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen([sys.executable, str(PEERS / script), *args], stdout=subprocess.PIPE, text=True, env=env)


def finished(proc: subprocess.Popen[str], qtbot: QtBot, timeout_ms: int = 30000) -> None:
    """Wait for a peer to exit while the window keeps running; it must have succeeded."""
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=timeout_ms)
    assert proc.returncode == 0


def texts(win: MainWindow) -> list[str]:
    """What the window says in words: every label, and each tile's title and health."""
    from PySide6.QtWidgets import QLabel

    found = [label.text() for label in win.findChildren(QLabel) if label.isVisible()]
    for tile in win.grid.tiles.values():
        health = tile.feed.health.snapshot()
        found += [tile.title, health.error, tile._status_text(health, health.state)]
    return found


@pytest.fixture
def hub_window(qtbot: QtBot) -> Iterator[tuple[MainWindow, str]]:
    port = free_port()
    win = MainWindow(hub_layout(port, placed=("kept",)), scripted=True)
    qtbot.addWidget(win)
    win.resize(800, 500)
    win.show()
    qtbot.waitExposed(win)
    yield win, f"tcp://127.0.0.1:{port}"
    win.close()


def test_a_name_whose_frames_never_decode_gets_no_tile_and_a_real_senders_first_frame_is_painted(
    hub_window: tuple[MainWindow, str], qtbot: QtBot
) -> None:
    win, hub = hub_window
    finished(peer("undecodable_sender.py", "--connect", hub, "--name", "bogus"), qtbot)
    qtbot.wait(4000)  # well past the moment its tile used to appear
    assert set(win.grid.tiles) == {"kept"} and [c.name for c in win.layout_model.cameras] == ["kept"]
    # imagezmq's own sender, one frame only: that frame is the one painted.
    one_frame = peer("imagezmq_sender.py", "--connect", hub, "--name", "real|jpg", "--fps", "1", "--seconds", "0.01")
    qtbot.waitUntil(lambda: "real" in win.grid.tiles, timeout=20000)
    tile = win.grid.tiles["real"]
    qtbot.waitUntil(lambda: tile.feed.health.frames_displayed >= 1, timeout=5000)
    finished(one_frame, qtbot)
    assert tile.feed.health.frames_received == 1 and tile.current_image_size() is not None
    assert not win.modified and "bogus" not in win.grid.tiles


def test_a_camera_that_appeared_by_itself_leaves_when_silent_and_returns_as_new(
    hub_window: tuple[MainWindow, str], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor_app.core.layouts import adhoc

    monkeypatch.setattr(adhoc, "FORGET_SILENT_AFTER_S", 2.0, raising=False)
    win, hub = hub_window
    args = ("--connect", hub, "--name", "kept", "--name", "gone", "--fps", "20", "--seconds", "1")
    sender = peer("imagezmq_sender.py", *args)
    qtbot.waitUntil(lambda: "gone" in win.grid.tiles, timeout=20000)
    finished(sender, qtbot)
    stopped = time.monotonic()
    qtbot.waitUntil(lambda: "gone" not in win.grid.tiles, timeout=15000)
    assert time.monotonic() - stopped > 1.5  # silent for a while first, not at once
    assert "kept" in win.grid.tiles  # placed: it was in the layout as opened
    assert [c.id for c in win.layout_model.cameras] == ["kept"] and not win.modified
    finished(peer("imagezmq_sender.py", "--connect", hub, "--name", "gone", "--fps", "1", "--seconds", "0.01"), qtbot)
    qtbot.waitUntil(lambda: "gone" in win.grid.tiles, timeout=20000)  # back, as a new camera
    qtbot.waitUntil(lambda: win.grid.tiles["gone"].feed.health.frames_displayed >= 1, timeout=5000)


@pytest.mark.parametrize("with_a_tile", [False, True])
def test_a_hub_whose_port_is_taken_says_so_on_the_wall(qtbot: QtBot, with_a_tile: bool) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        layout = hub_layout(taken.getsockname()[1])
        if with_a_tile:
            layout.connections.append(ConnectionSpec("p", "pattern", {"fps": 5}))
            layout.cameras.append(CameraSpec("pattern", "p"))
        win = MainWindow(layout, scripted=True)
        qtbot.addWidget(win)
        win.show()
        try:
            qtbot.waitUntil(lambda: any("already in use" in t for t in texts(win) if t), timeout=10000)
            assert win.grid.banner.isVisible() is with_a_tile and win.grid.empty_hint.isVisible() is not with_a_tile
            shown = win.grid.banner if with_a_tile else win.grid.empty_hint
            assert f"imagezmq hub tcp://127.0.0.1:{taken.getsockname()[1]}: Error: cannot bind" in shown.text()
        finally:
            win.close()


def test_the_empty_wall_counts_the_messages_a_connection_refused_with_the_last_reason(qtbot: QtBot) -> None:
    import zmq

    port = free_port()
    win = MainWindow(hub_layout(port), scripted=True)
    qtbot.addWidget(win)
    win.show()
    context = zmq.Context()
    sock = context.socket(zmq.REQ)
    sock.setsockopt(zmq.LINGER, 0)
    try:
        sock.connect(f"tcp://127.0.0.1:{port}")
        for parts in ([b"one part only"], [b"{not json", b"x"]):
            sock.send_multipart(parts)
            qtbot.waitUntil(lambda: bool(sock.poll(0)), timeout=10000)
            sock.recv()
        expected = "2 malformed messages refused, the last: header is not UTF-8 JSON"
        qtbot.waitUntil(lambda: expected in win.grid.empty_hint.text(), timeout=5000)
        assert "Waiting for cameras on imagezmq hub" in win.grid.empty_hint.text()
    finally:
        sock.close()
        context.term()
        win.close()


def test_a_subscriber_to_something_that_is_not_zeromq_says_why_on_the_wall(qtbot: QtBot) -> None:
    web = ConnectionSpec("web", "sub", {"endpoints": ["http://127.0.0.1:8080/video"]}, auto_add_cameras=True)
    win = MainWindow(Layout(rows=1, columns=1, connections=[web]), scripted=True)
    qtbot.addWidget(win)
    win.show()
    try:
        qtbot.waitUntil(lambda: "Protocol not supported" in win.grid.empty_hint.text(), timeout=10000)
        assert "imagezmq subscriber http://127.0.0.1:8080/video: Error: cannot connect to" in win.grid.empty_hint.text()
    finally:
        win.close()


def test_the_camera_dialog_hides_an_ingest_token_unless_it_is_being_edited(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLineEdit

    from monitor_app.ui.camera_dialog import CameraDialog

    form = CameraForm(title="Yard", kind="http_ingest", address="0.0.0.0:8000", settings={"token": "s3cret"})
    dialog = CameraDialog(form, "Edit camera")
    qtbot.addWidget(dialog)
    dialog.show()
    token = dialog.field("http_ingest", "token")
    assert isinstance(token, QLineEdit) and token.isVisible()
    assert token.echoMode() == QLineEdit.EchoMode.PasswordEchoOnEdit and token.displayText() != "s3cret"
    assert dialog.form().settings["token"] == "s3cret"  # hidden on screen, kept in the layout
