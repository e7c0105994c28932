"""URL cameras against real servers: GStreamer's RTSP server, an MJPEG server, a video file, the real app."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout
from monitor_app.core.net import free_port
from monitor_app.core.pipeline.health import CameraState
from monitor_app.core.sources.base import PermanentSourceError, SourceError, StreamNotReadyError
from monitor_app.core.sources.url import UrlSource
from monitor_app.core.sources.url_worker import UrlSettings
from monitor_app.receivers.threads import running_threads
from monitor_app.ui.main_window import MainWindow
from tests.helpers import ROOT
from tests.peers.tool_servers import ToolServer, make_clip, rtsp_server
from tests.url_sink import TileSink

SECRET = "Pa55wordXYZ"


@pytest.fixture(scope="module")
def rtsp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ToolServer]:
    server = rtsp_server(tmp_path_factory.mktemp("rtsp") / "server.log", free_port(), "cam1", "cam2")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def mjpeg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ToolServer]:
    log = tmp_path_factory.mktemp("mjpeg") / "server.log"
    server = ToolServer("mjpeg-test-server", ["--port", str(free_port()), "--size", "320x240", "--fps", "10"], 1, log)
    yield server
    server.stop()


def with_password(url: str) -> str:
    return url.replace("rtsp://", f"rtsp://viewer:{SECRET}@", 1)


def app_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "monitor_app", *args]


def app_env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen")


def tiles_by_title(stats_path: Path) -> dict[str, dict[str, Any]]:
    try:
        document = json.loads(stats_path.read_text())
    except (OSError, ValueError):
        return {}
    return {t["title"]: t for t in document["tiles"]}


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def assert_no_secret_in_files(*paths: Path) -> None:
    for path in paths:
        for file in [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]:
            assert SECRET not in file.read_text(errors="replace"), f"password leaked into {file}"


def test_two_rtsp_one_mjpeg_and_a_file_are_live_in_one_app(
    rtsp: ToolServer, mjpeg: ToolServer, tmp_path: Path, isolated_user_dirs: Path
) -> None:
    clip = make_clip(tmp_path / "clip.avi")
    stats = tmp_path / "stats.json"
    urls = [with_password(rtsp.urls[0]), rtsp.urls[1], mjpeg.urls[0], str(clip)]
    args = [a for url in urls for a in ("--url", url)]
    result = subprocess.run(
        app_command(*args, "--exit-after", "12", "--stats-json", str(stats)),
        capture_output=True,
        text=True,
        timeout=90,
        env=app_env(),
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    tiles = json.loads(stats.read_text())["tiles"]
    assert len(tiles) == 4
    for tile in tiles:
        assert tile["state"] == "live", tile
        assert tile["frames_displayed"] >= 10, tile
    assert SECRET not in result.stderr and SECRET not in result.stdout
    assert "viewer:***@" in stats.read_text()
    assert_no_secret_in_files(stats, isolated_user_dirs)
    logs = [p.read_text(errors="replace") for p in isolated_user_dirs.rglob("*.log*") if p.is_file()]
    assert any("viewer:***@" in text for text in logs), "the app's log file was not found or names no URL"


def test_killed_rtsp_server_reconnects_by_itself_when_it_returns(tmp_path: Path, isolated_user_dirs: Path) -> None:
    port = free_port()
    server = rtsp_server(tmp_path / "rtsp1.log", port, "door")
    url = with_password(server.urls[0])
    stats = tmp_path / "stats.json"
    with open(tmp_path / "app.err", "w") as err:
        app = subprocess.Popen(
            app_command("--url", url, "--exit-after", "90", "--stats-json", str(stats)),
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=app_env(),
            cwd=ROOT,
        )
    try:
        title = f"rtsp://viewer:***@127.0.0.1:{port}/door"

        def tile() -> dict[str, Any]:
            return tiles_by_title(stats).get(title, {})

        wait_for(lambda: tile().get("state") == "live" and tile()["frames_displayed"] > 5, 40, "live")
        server.stop()
        wait_for(lambda: tile().get("state") == "reconnecting", 10, "reconnecting after the server died")
        assert "refused" in (tile()["error"] or "") or "ended" in (tile()["error"] or "")
        uptime_then = json.loads(stats.read_text())["app"]["uptime_s"]
        server = rtsp_server(tmp_path / "rtsp2.log", port, "door")
        shown_before = tile()["frames_displayed"]
        wait_for(lambda: tile().get("state") == "live" and tile()["frames_displayed"] > shown_before + 5, 60, "live")
        document = json.loads(stats.read_text())
        assert document["app"]["uptime_s"] > uptime_then  # the GUI kept refreshing its stats throughout
        assert document["app"]["gui_busy_fraction"] < 0.5
        assert tile()["reconnects"] >= 1
    finally:
        app.send_signal(signal.SIGTERM)  # the app closes its window the normal way
        try:
            app.wait(30)
        finally:
            if app.poll() is None:
                app.kill()
                app.wait(5)
            server.stop()
    assert app.returncode == 0
    assert_no_secret_in_files(stats, tmp_path / "app.err", isolated_user_dirs)


def window_texts(win: MainWindow) -> list[str]:
    """Every piece of text the window shows or exposes: titles, tile overlays, tooltips, menus."""
    texts = [win.windowTitle()]
    for tile in win.grid.tiles.values():
        health = tile.feed.health.snapshot()
        texts += [tile.title, tile.source, tile.accessibleName(), tile.toolTip(), health.error]
        texts.append(tile._status_text(health, health.state))
    for widget in win.findChildren(object):
        for getter in ("text", "toolTip", "statusTip", "windowTitle", "title"):
            value = getattr(widget, getter, None)
            if callable(value):
                try:
                    result = value()
                except TypeError:
                    continue
                if isinstance(result, str):
                    texts.append(result)
    return texts


def test_bad_urls_end_in_clear_states_quickly_and_never_leak_or_block(
    rtsp: ToolServer, qtbot: QtBot, tmp_path: Path
) -> None:
    closed = free_port()
    base = rtsp.urls[0].rsplit("/", 1)[0]
    cases = {
        "refused": (f"rtsp://viewer:{SECRET}@127.0.0.1:{closed}/cam", CameraState.RECONNECTING, "refused"),
        # A wrong path answers 404 like a restreamer's stream not published yet: waiting, retried often.
        "wrong-path": (with_password(f"{base}/no-such-stream"), CameraState.RECONNECTING, "path yet (404"),
        "no-host": (f"rtsp://viewer:{SECRET}@nonexistent.invalid/cam", CameraState.RECONNECTING, "host not found"),
        "no-file": (str(tmp_path / "missing.mp4"), CameraState.ERROR, "file not found"),
        "malformed": (f"rtsp://viewer:{SECRET}@:554/x", CameraState.ERROR, "malformed"),
    }
    layout = Layout(rows=2, columns=3, title="bad urls")
    for n, (key, (url, _, _)) in enumerate(cases.items()):
        layout.connections.append(ConnectionSpec(key, "url", {"url": url, "open_timeout_s": 3}))
        layout.cameras.append(CameraSpec(key, key, title=key, row=n // 3, column=n % 3))
    win = MainWindow(layout, scripted=True)
    qtbot.addWidget(win)
    win.show()

    def settled() -> bool:
        for key, (_, state, reason) in cases.items():
            health = win.grid.tiles[key].feed.health.snapshot()
            if health.state is not state or reason not in health.error:
                return False
        return True

    try:
        qtbot.waitUntil(settled, timeout=15000)  # the open timeout is 3 s
        # The tile shows the countdown to the next try.
        assert win.grid.tiles["refused"].feed.health.snapshot().retry_in_s is not None
        wrong = win.grid.tiles["wrong-path"].feed.health.snapshot().retry_in_s  # every few seconds, not minutes
        assert wrong is not None and wrong <= StreamNotReadyError.retry_within_s
        texts = window_texts(win)
        assert any("refused" in t for t in texts if t)
        assert not [t for t in texts if t and SECRET in t]
        assert SECRET not in json.dumps(win.pipeline.connection_stats())
    finally:
        win.close()  # joins every receiver: none may be stuck in FFmpeg
    assert running_threads() == []


def test_probe_reports_a_live_stream_and_explains_failures(rtsp: ToolServer) -> None:
    ok = subprocess.run(
        app_command("probe", with_password(rtsp.urls[0]), "--seconds", "1.5", "--timeout", "10"),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "640x360" in ok.stdout and "h264" in ok.stdout and "first frame:" in ok.stdout
    assert "viewer:***@" in ok.stdout
    fps = float(ok.stdout.split("fps:", 1)[1].split()[0])
    assert fps > 1
    bad = subprocess.run(
        app_command("probe", with_password(rtsp.urls[0]) + "-missing", "--timeout", "5"),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert bad.returncode == 1
    assert "no stream at this path yet (404 Not Found)" in bad.stdout and "the app keeps retrying" in bad.stdout
    for out in (ok.stdout, ok.stderr, bad.stdout, bad.stderr):
        assert SECRET not in out


def read_until_error(source: UrlSource, sink: TileSink, timeout_s: float) -> SourceError:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            source.read(sink, 0.1)
        except SourceError as exc:
            return exc
    raise AssertionError(f"no error within {timeout_s} s")


def test_a_hung_rtsp_server_is_noticed_by_the_watchdog(tmp_path: Path) -> None:
    """SIGSTOP freezes the server with its sockets open: FFmpeg's read would hang for 2-3x its timeout."""
    server = rtsp_server(tmp_path / "rtsp.log", free_port(), "frozen")
    source = UrlSource(UrlSettings(server.urls[0]))
    sink = TileSink()
    worker = None
    try:
        source.open()
        worker = source._worker
        deadline = time.monotonic() + 30
        while len(sink.frames) < 5:
            assert time.monotonic() < deadline, "no frames"
            source.read(sink, 0.1)
        server.proc.send_signal(signal.SIGSTOP)
        error = read_until_error(source, sink, 20)
        assert not isinstance(error, PermanentSourceError)
        assert "no frame" in str(error)
    finally:
        server.proc.send_signal(signal.SIGCONT)
        began = time.monotonic()
        source.close()
        close_s = time.monotonic() - began
        if worker is not None:
            worker.join(15)  # it finishes on its own once FFmpeg returns
        server.stop()
    assert close_s < 2.0  # close never waits for FFmpeg


def test_a_server_that_never_answers_does_not_block_open_or_close() -> None:
    """A port that accepts connections but never replies: FFmpeg blocks until its open timeout."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    source = UrlSource(UrlSettings(f"rtsp://viewer:{SECRET}@127.0.0.1:{port}/cam", open_timeout_s=4.0))
    worker = None
    try:
        began = time.monotonic()
        source.open()  # returns while FFmpeg still waits
        assert time.monotonic() - began < 3.0  # FFmpeg's open takes 4 s here
        worker = source._worker
        error = read_until_error(source, TileSink(), 20)
        assert "did not answer" in str(error) or "no answer" in str(error)
        assert SECRET not in str(error)
    finally:
        source.close()
        if worker is not None:
            worker.join(15)
        listener.close()
