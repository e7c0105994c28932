"""URL cameras without a window: classification, FFmpeg options, masking, file playback, errors."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from monitor_app.core.net import free_port
from monitor_app.core.sources.base import PermanentSourceError, SourceError, StreamNotReadyError
from monitor_app.core.sources.region import FULL, Region
from monitor_app.core.sources.registry import create_source
from monitor_app.core.sources.url import UrlSource
from monitor_app.core.sources.url_open import (
    OPTIONS_ENV,
    OPTIONS_GATE,
    UrlKind,
    classify_url,
    diagnose,
    ffmpeg_options,
    fourcc_text,
)
from monitor_app.core.sources.url_worker import UrlSettings

SECRET = "s3cr3tPW"


class RecordingSink:
    """A real FrameSink that keeps what it is given; the tile size can change mid-test."""

    def __init__(self, target: tuple[int, int] | None = (1920, 1080)) -> None:
        self.frames: list[np.ndarray] = []
        self.target = target

    def deliver(self, frame) -> None:  # type: ignore[no-untyped-def]
        assert frame.camera == "" and frame.pixels is not None and frame.sent_at is None
        self.frames.append(frame.pixels)

    def heartbeat(self, camera: str) -> None:
        pass

    def bad_message(self, reason: str, camera: str | None = None) -> None:
        pass

    def wants_frames(self, camera: str) -> bool:
        return True

    def target_size(self, camera: str) -> tuple[int, int] | None:
        return self.target

    def target_region(self, camera: str) -> Region:
        return FULL


def make_clip(path: Path, frames: int, fps: float = 20.0, size: tuple[int, int] = (160, 120)) -> Path:
    """A small MJPEG AVI whose frame i is a flat grey of level 10 * i (so the order is visible)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    assert writer.isOpened()
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), 10 * i, np.uint8))
    writer.release()
    return path


def levels(frames: list[np.ndarray]) -> list[int]:
    """The grey level of each frame, from its colour channels (PyAV's BGRX frames carry a 255 X byte)."""
    return [round(float(f[..., :3].mean()) / 10) for f in frames]


def read_until(source: UrlSource, sink: RecordingSink, done, timeout_s: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not done():
        assert time.monotonic() < deadline, "condition not reached"
        source.read(sink, 0.1)


# Classification ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kind", "device"),
    [
        ("rtsp://cam.local:554/stream1", UrlKind.RTSP, None),
        ("rtsps://admin:x@cam/live", UrlKind.RTSP, None),
        ("http://phone:8080/video", UrlKind.HTTP, None),
        ("HTTPS://nvr/mjpeg?ch=2", UrlKind.HTTP, None),
        ("/videos/door.mp4", UrlKind.FILE, None),
        ("clip.avi", UrlKind.FILE, None),
        ("0", UrlKind.DEVICE, 0),
        ("/dev/video2", UrlKind.DEVICE, 2),
    ],
)
def test_classifies_urls(text: str, kind: UrlKind, device: int | None) -> None:
    target = classify_url(text)
    assert target.kind is kind
    assert target.device == device


def test_file_url_becomes_a_path() -> None:
    target = classify_url("file:///tmp/my%20clip.mp4")
    assert target.kind is UrlKind.FILE and target.url == "/tmp/my clip.mp4"


@pytest.mark.parametrize(
    "text", ["", "   ", "rtsp://", "rtsp://host:99999/x", "ftp://host/x", f"rtsp://u:{SECRET}@/x", "http://a b/c"]
)
def test_malformed_urls_are_permanent_errors_without_password(text: str) -> None:
    with pytest.raises(PermanentSourceError, match="malformed URL") as info:
        classify_url(text)
    assert SECRET not in str(info.value)


# FFmpeg options ----------------------------------------------------------------------------
def test_rtsp_options_default_to_tcp_and_low_delay() -> None:
    options = ffmpeg_options(classify_url("rtsp://cam/x"))
    fields = dict(item.split(";") for item in options.split("|"))
    assert fields["rtsp_transport"] == "tcp"
    assert fields["fflags"] == "nobuffer" and fields["flags"] == "low_delay"
    assert int(fields["analyzeduration"]) <= 1_000_000 and int(fields["probesize"]) <= 1_000_000


def test_rtsp_udp_is_selectable_and_other_transports_refused() -> None:
    assert "rtsp_transport;udp" in ffmpeg_options(classify_url("rtsp://cam/x"), "udp")
    with pytest.raises(PermanentSourceError):
        ffmpeg_options(classify_url("rtsp://cam/x"), "sctp")


def test_http_and_files_get_no_rtsp_options() -> None:
    assert "rtsp_transport" not in ffmpeg_options(classify_url("http://cam/video"))
    assert ffmpeg_options(classify_url("/tmp/a.mp4")) == ""


def test_options_gate_never_changes_options_under_an_open() -> None:
    """Opens with the same options overlap; another set waits until they finish."""
    saved = os.environ.get(OPTIONS_ENV)
    try:
        assert OPTIONS_GATE.acquire("a;1", 1.0)
        assert OPTIONS_GATE.acquire("a;1", 1.0)  # same options: shared
        assert os.environ[OPTIONS_ENV] == "a;1"
        assert not OPTIONS_GATE.acquire("b;2", 0.2)  # different: must wait
        OPTIONS_GATE.release()
        got = threading.Event()
        waiter = threading.Thread(target=lambda: OPTIONS_GATE.acquire("b;2", 5.0) and got.set())
        waiter.start()
        assert not got.wait(0.2)
        OPTIONS_GATE.release()
        waiter.join(5.0)
        assert got.is_set() and os.environ[OPTIONS_ENV] == "b;2"
        OPTIONS_GATE.release()
    finally:
        if saved is None:
            os.environ.pop(OPTIONS_ENV, None)
        else:
            os.environ[OPTIONS_ENV] = saved


def test_fourcc_text() -> None:
    assert fourcc_text(cv2.VideoWriter_fourcc(*"MJPG")) == "MJPG"
    assert fourcc_text(0) == "?"


# Masking and diagnosis with real sockets ----------------------------------------------------
def test_description_and_stats_mask_the_password() -> None:
    source = create_source(
        "url", "c", {"url": f"rtsp://admin:{SECRET}@127.0.0.1/main", "sub_url": f"rtsp://admin:{SECRET}@h/sub"}
    )
    assert SECRET not in source.description and "admin:***@" in source.description


def test_refused_port_is_a_retryable_error_without_password() -> None:
    port = free_port()
    source = UrlSource(UrlSettings(f"rtsp://admin:{SECRET}@127.0.0.1:{port}/x", open_timeout_s=2))
    try:
        with pytest.raises(SourceError, match="refused") as info:
            deadline = time.monotonic() + 10
            source.open()
            while time.monotonic() < deadline:
                source.read(RecordingSink(), 0.1)
        assert not isinstance(info.value, PermanentSourceError)
        assert SECRET not in str(info.value)
        assert SECRET not in repr(source.endpoint_stats())
    finally:
        source.close()


def test_unknown_host_is_reported_as_such() -> None:
    error = diagnose(classify_url("rtsp://nonexistent.invalid/x"), 3.0)
    assert "host not found" in str(error) and not isinstance(error, PermanentSourceError)


def _one_reply_server(reply: bytes) -> tuple[socket.socket, threading.Thread]:
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(5.0)

    def serve() -> None:
        try:
            conn, _ = server.accept()
            with conn:
                conn.settimeout(5.0)
                conn.recv(4096)
                conn.sendall(reply)
        except OSError:
            pass

    thread = threading.Thread(target=serve)
    thread.start()
    return server, thread


@pytest.mark.parametrize(
    ("scheme", "reply", "expected", "kind"),
    [
        ("rtsp", b"RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\n\r\n", "authentication refused", PermanentSourceError),
        ("http", b"HTTP/1.0 401 Unauthorized\r\n\r\n", "authentication refused", PermanentSourceError),
        # A restreamer's "not published yet" and a mistyped path look the same: wait, retrying often.
        ("rtsp", b"RTSP/1.0 404 Not Found\r\nCSeq: 1\r\n\r\n", "no stream at this path yet (404", StreamNotReadyError),
        ("http", b"HTTP/1.0 404 Not Found\r\n\r\n", "stream not found (404)", PermanentSourceError),
    ],
)
def test_diagnosis_reads_the_server_status(scheme: str, reply: bytes, expected: str, kind: type[Exception]) -> None:
    server, thread = _one_reply_server(reply)
    try:
        port = server.getsockname()[1]
        error = diagnose(classify_url(f"{scheme}://admin:{SECRET}@127.0.0.1:{port}/cam"), 5.0)
    finally:
        thread.join(10)
        server.close()
    assert type(error) is kind
    assert expected in str(error) and SECRET not in str(error)


# Video files ---------------------------------------------------------------------------------
def test_missing_file_is_a_permanent_error(tmp_path: Path) -> None:
    source = UrlSource(UrlSettings(str(tmp_path / "nope.mp4")))
    with pytest.raises(PermanentSourceError, match="file not found"):
        source.open()
    source.close()


def test_file_that_is_not_a_video_is_a_permanent_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.mp4"
    bogus.write_text("not a video")
    source = UrlSource(UrlSettings(str(bogus)))
    with pytest.raises(PermanentSourceError):
        source.open()
        read_until(source, RecordingSink(), lambda: False, timeout_s=10)
    source.close()


def test_file_plays_at_its_own_rate_and_loops(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "clip.avi", frames=10, fps=20.0)
    source = UrlSource(UrlSettings(str(clip)))
    sink = RecordingSink()
    try:
        source.open()
        started = time.monotonic()
        read_until(source, sink, lambda: len(sink.frames) >= 15)
        elapsed = time.monotonic() - started
    finally:
        source.close()
    seen = levels(sink.frames)
    assert seen[:10] == list(range(10))  # in order, nothing skipped while the receiver keeps up
    assert 0 in seen[10:]  # it started over
    assert elapsed >= 14 / 20.0 * 0.8  # paced at ~20 fps, not decoded as fast as possible


def test_file_without_loop_stays_on_its_last_frame(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "clip.avi", frames=6, fps=30.0)
    source = UrlSource(UrlSettings(str(clip), loop=False, read_timeout_s=1.0))
    sink = RecordingSink()
    try:
        source.open()
        read_until(source, sink, lambda: source.endpoint_stats()[0]["state"] == "ended")
        for _ in range(10):  # keeps reading without an error or more frames
            source.read(sink, 0.1)
    finally:
        source.close()
    assert levels(sink.frames) == list(range(6))


def test_frames_are_scaled_down_to_the_tile_in_the_receiver(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "clip.avi", frames=5, size=(320, 240))
    source = UrlSource(UrlSettings(str(clip)))
    sink = RecordingSink(target=(160, 160))
    try:
        source.open()
        read_until(source, sink, lambda: len(sink.frames) >= 2)
    finally:
        source.close()
    assert sink.frames[-1].shape[:2] == (120, 160)  # fitted, aspect kept


def test_sub_stream_for_small_tiles_main_for_large(tmp_path: Path) -> None:
    main = make_clip(tmp_path / "main.avi", frames=20, size=(1280, 720))
    sub = make_clip(tmp_path / "sub.avi", frames=20, size=(320, 180))
    source = UrlSource(UrlSettings(str(main), sub_url=str(sub)))
    sink = RecordingSink(target=(1920, 1080))
    try:
        source.open()
        read_until(source, sink, lambda: bool(sink.frames))
        assert sink.frames[-1].shape[:2] == (720, 1280)
        sink.target = (400, 300)  # the tile became small: the sub-stream, unscaled
        read_until(source, sink, lambda: sink.frames[-1].shape[:2] == (180, 320))
        assert [s["stream"] for s in source.endpoint_stats()] == ["sub"]
        sink.target = (1600, 900)  # full window: back to the main stream
        read_until(source, sink, lambda: sink.frames[-1].shape[:2] == (720, 1280))
    finally:
        source.close()


def test_reachable_is_a_tcp_connect_to_the_stream_server(tmp_path: Path) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    try:
        for scheme in ("rtsp", "http"):
            source = UrlSource(UrlSettings(f"{scheme}://admin:{SECRET}@127.0.0.1:{port}/cam"))
            assert source.reachable(5.0) is True
    finally:
        listener.close()
    assert UrlSource(UrlSettings(f"rtsp://127.0.0.1:{port}/cam")).reachable(5.0) is False  # nothing listens now
    assert UrlSource(UrlSettings(str(make_clip(tmp_path / "clip.avi", frames=2)))).reachable(5.0) is None
    assert UrlSource(UrlSettings("0")).reachable(5.0) is None  # a webcam: cannot tell
    assert UrlSource(UrlSettings("ftp://host/x")).reachable(5.0) is None  # malformed: opening says why


def test_reachable_never_blocks_its_caller_on_a_slow_answer() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    backlog = [socket.socket() for _ in range(3)]
    for client in backlog:  # a full accept queue: the kernel drops further SYNs, a connect hangs
        client.setblocking(False)
        client.connect_ex(("127.0.0.1", port))
    try:
        source = UrlSource(UrlSettings(f"rtsp://127.0.0.1:{port}/cam"))
        began = time.monotonic()
        answers = [source.reachable(0.02) for _ in range(3)]
        assert time.monotonic() - began < 2.0
        deadline = time.monotonic() + 10
        while answers[-1] is None and time.monotonic() < deadline:
            answers.append(source.reachable(0.5))
        assert answers[0] is None and answers[-1] is False  # no answer yet, then: not reachable
    finally:
        for client in backlog:
            client.close()
        listener.close()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("rtsp//10.0.0.5/stream1", "rtsp://10.0.0.5/stream1"),
        ("rtsp:/10.0.0.5/stream1", "rtsp://10.0.0.5/stream1"),
        ("HTTP:cam.local:8080/video", "http://cam.local:8080/video"),
        (f"rtsp//admin:{SECRET}@10.0.0.5/x", "rtsp://admin:***@10.0.0.5/x"),
    ],
)
def test_a_mistyped_scheme_is_said_to_be_one_not_a_missing_file(typed: str, meant: str) -> None:
    assert classify_url(typed).kind is UrlKind.FILE  # what FFmpeg would make of it
    source = UrlSource(UrlSettings(typed, open_timeout_s=2))
    try:
        with pytest.raises(PermanentSourceError) as info:
            source.open()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                source.read(RecordingSink(), 0.1)
    finally:
        source.close()
    assert "mistyped" in str(info.value) and meant in str(info.value)
    assert "file not found" not in str(info.value) and SECRET not in str(info.value)
    assert str(diagnose(classify_url(typed), 1.0)) == str(info.value)


def test_a_missing_file_is_still_a_missing_file(tmp_path: Path) -> None:
    assert str(diagnose(classify_url(str(tmp_path / "clip.mp4")), 1.0)).startswith("file not found:")
