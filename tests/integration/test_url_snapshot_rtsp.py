"""Snapshots of a URL camera at the stream's resolution, against GStreamer's real RTSP server: the tile
decodes at its own small size, the snapshot asks the reader for the next frame at full size."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import pytest
from pytestqt.qtbot import QtBot

from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout
from monitor_app.core.net import free_port
from monitor_app.core.paths import snapshots_dir
from monitor_app.core.sources.url import UrlSource
from monitor_app.core.sources.url_worker import UrlSettings
from monitor_app.ui.main_window import MainWindow
from tests.integration.test_url_pyav_rtsp import read_frames
from tests.peers.tool_servers import ToolServer, rtsp_server
from tests.ui.test_main_window import all_live
from tests.url_sink import TileSink


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ToolServer]:
    server = rtsp_server(tmp_path / "rtsp.log", free_port(), "door", size="1280x720", fps=10)
    yield server
    server.proc.send_signal(signal.SIGCONT)
    server.stop()


def test_the_reader_hands_a_full_size_frame_to_a_request_from_another_thread(server: ToolServer) -> None:
    source = UrlSource(UrlSettings(server.urls[0]))
    sink = TileSink((320, 180))
    try:
        source.open()
        read_frames(source, sink, 3)
        future = source.request_full_frame("")
        assert future is not None
        read_frames(source, sink, 3 + 3)  # the tile's frames go on meanwhile
        full = future.result(5)
    finally:
        source.close()
    assert sink.frames[-1].pixels.shape[:2] == (180, 320)  # type: ignore[union-attr]
    assert full.pixels is not None and full.pixels.shape == (720, 1280, 3) and full.source_size == (1280, 720)
    assert source.request_full_frame("") is None  # closed: the tile's frame it is


def test_a_snapshot_of_a_1280x720_camera_in_a_small_tile_is_a_1280x720_jpeg(server: ToolServer, qtbot: QtBot) -> None:
    layout = Layout(rows=2, columns=2, title="rtsp")
    layout.connections.append(ConnectionSpec("door", "url", {"url": server.urls[0]}))
    layout.cameras.append(CameraSpec("door", "door", title="Door", row=0, column=0))
    win = MainWindow(layout, scripted=True)
    qtbot.addWidget(win)
    win.resize(640, 420)
    win.show()
    try:
        qtbot.waitExposed(win)
        qtbot.waitUntil(lambda: all_live(win, frames=3), timeout=30000)
        shown = win.pipeline.feed("door").last_frame  # type: ignore[union-attr]
        assert shown is not None and shown.pixels is not None and shown.pixels.shape[1] < 640  # a small tile
        began = time.monotonic()
        win.snapshots.save(["door"])
        qtbot.waitUntil(lambda: "Saved" in win.statusBar().currentMessage(), timeout=10000)
        took_s = time.monotonic() - began
        message = win.statusBar().currentMessage()
        (path,) = sorted(snapshots_dir().glob("*.jpg"))
        image = cv2.imread(str(path))
    finally:
        win.close()
    print(f"full-size snapshot saved {took_s:.2f} s after asking: {message}")
    assert image is not None and image.shape[:2] == (720, 1280)
    assert path.name.startswith("Door_") and "tile's size" not in message
