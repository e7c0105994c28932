"""The PyAV reader against GStreamer's real RTSP server: packets for taps, a frozen server, prompt shutdown."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout
from monitor_app.core.net import free_port
from monitor_app.core.pipeline.health import CameraState
from monitor_app.core.sources.base import SourceError
from monitor_app.core.sources.packets import CompressedPacket
from monitor_app.core.sources.url import UrlSource
from monitor_app.core.sources.url_pyav import PyAvWorker
from monitor_app.core.sources.url_worker import UrlSettings
from monitor_app.receivers.threads import running_threads
from monitor_app.ui.main_window import MainWindow
from tests.helpers import ROOT
from tests.peers.tool_servers import ToolServer, rtsp_server
from tests.url_sink import TileSink


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ToolServer]:
    server = rtsp_server(tmp_path / "rtsp.log", free_port(), "door")
    yield server
    server.proc.send_signal(signal.SIGCONT)
    server.stop()


def read_frames(source: UrlSource, sink: TileSink, count: int, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while len(sink.frames) < count:
        assert time.monotonic() < deadline, "no frames"
        source.read(sink, 0.1)


def test_rtsp_packets_reach_the_hook_with_their_timing(server: ToolServer) -> None:
    source = UrlSource(UrlSettings(server.urls[0]))
    packets: list[CompressedPacket] = []
    source.on_packet = packets.append
    sink = TileSink()
    try:
        source.open()
        read_frames(source, sink, 20)
        stats = source.endpoint_stats()[0]
    finally:
        source.close()
    assert stats["reader"] == "pyav" and stats["codec"] == "h264"
    assert sink.frames[-1].source_size == (640, 360) and sink.frames[-1].pixels.shape == (180, 320, 4)  # type: ignore[union-attr]
    assert len(packets) >= 20 and any(p.keyframe for p in packets)
    assert all(p.codec == "h264" and p.data and p.time_base is not None for p in packets)
    stamps = [p.pts for p in packets if p.pts is not None]
    assert stamps == sorted(stamps)


def test_a_frozen_server_times_out_reads_and_never_holds_a_thread_past_close(server: ToolServer) -> None:
    """SIGSTOP keeps the socket open: every FFmpeg read must still return (PyAV's interrupt callback)."""
    source = UrlSource(UrlSettings(server.urls[0], read_timeout_s=3.0))
    sink = TileSink()
    try:
        source.open()
        read_frames(source, sink, 5)
        worker = source._worker
        assert isinstance(worker, PyAvWorker)
        server.proc.send_signal(signal.SIGSTOP)
        frozen_at = time.monotonic()
        with pytest.raises(SourceError, match="no frame") as info:
            while time.monotonic() - frozen_at < 15:
                source.read(sink, 0.1)
        failed_s = time.monotonic() - frozen_at
        source.close()
        source.open()  # a new reader, now waiting on the frozen server
        time.sleep(1.0)
        second = source._worker
        assert second is not None
        began = time.monotonic()
        source.close()
        second.join(2.0)
        worker.join(2.0)
        closed_s = time.monotonic() - began
    finally:
        source.close()
    print(f"frozen server: error after {failed_s:.2f} s ({info.value}); close and join {closed_s:.2f} s")
    assert failed_s < 3.0 + 1.5
    assert not worker.is_alive() and not second.is_alive() and closed_s < 2.0


def test_closing_the_window_with_a_frozen_server_joins_every_thread_within_2_s(
    server: ToolServer, qtbot: QtBot
) -> None:
    layout = Layout(rows=1, columns=1, title="frozen")
    layout.connections.append(ConnectionSpec("door", "url", {"url": server.urls[0]}))
    layout.cameras.append(CameraSpec("door", "door", title="door", row=0, column=0))
    win = MainWindow(layout, scripted=True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.grid.tiles["door"].feed.health.snapshot().state is CameraState.LIVE, timeout=30000)
    server.proc.send_signal(signal.SIGSTOP)
    time.sleep(1.5)  # the reader waits in FFmpeg for data that does not come
    began = time.monotonic()
    win.close()
    deadline = began + 2.0
    while time.monotonic() < deadline and [t for t in threading.enumerate() if t.name.startswith("capture-")]:
        time.sleep(0.02)
    closed_s = time.monotonic() - began
    assert running_threads() == []
    assert not [t.name for t in threading.enumerate() if t.name.startswith("capture-")]
    print(f"window closed with a frozen server: every thread joined in {closed_s:.2f} s")
    assert closed_s < 2.0


def test_probe_says_which_reader_and_decoder_run(server: ToolServer) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "monitor_app", "probe", server.urls[0], "--seconds", "1", "--decoder", "software"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "reader:        pyav" in done.stdout and "decoder:       software" in done.stdout
    assert "640x360" in done.stdout and not done.stderr.strip()  # FFmpeg's own lines stay out of stderr
