"""The PyAV reader of URL cameras: which reader runs, packets for taps, hidden tiles, timestamps, FFmpeg's log."""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.model import parse_layout
from monitor_app.core.pipeline.health import CameraHealth, ConnectionStatus
from monitor_app.core.pipeline.stats import TileReport, tile_entry
from monitor_app.core.sources import url_av, url_hw
from monitor_app.core.sources.base import SourceError
from monitor_app.core.sources.packets import CompressedPacket
from monitor_app.core.sources.url import UrlSource
from monitor_app.core.sources.url_open import classify_url
from monitor_app.core.sources.url_pyav import PyAvWorker, release_container, uses_pyav
from monitor_app.core.sources.url_worker import UrlSettings
from tests.url_sink import TileSink

SECRET = "s3cr3tPW"


def h264_clip(path: Path, frames: int = 60, fps: int = 30, gop: int = 10, size: tuple[int, int] = (320, 240)) -> Path:
    """A real H.264 MP4 (libx264 in PyAV's wheel), a key frame every ``gop`` frames, frame i at grey 25 * (i % 10)."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps, options={"g": str(gop), "keyint_min": str(gop), "bf": "0"})
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        for i in range(frames):
            image = np.full((size[1], size[0], 3), 25 * (i % 10), np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="bgr24")):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def read_until(source: UrlSource, sink: TileSink, done, timeout_s: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not done():
        assert time.monotonic() < deadline, "condition not reached"
        source.read(sink, 0.05)


@pytest.mark.parametrize(
    ("url", "reader", "pyav"),
    [
        ("rtsp://cam/x", "auto", True),
        ("https://phone/video", "auto", True),
        ("/videos/door.mp4", "auto", True),
        ("0", "auto", False),  # webcams: OpenCV
        ("/dev/video1", "pyav", False),
        ("rtsp://cam/x", "opencv", False),
    ],
)
def test_reader_choice(url: str, reader: str, pyav: bool) -> None:
    assert uses_pyav(classify_url(url), reader) is pyav


def layout_with(connection: dict[str, object]) -> dict[str, object]:
    return {
        "schema_version": 1,
        "grid": {"rows": 1, "columns": 1},
        "connections": [{"id": "door", "kind": "url", **connection}],
        "cameras": [{"id": "door", "title": "Door", "connection": "door", "cell": [0, 0]}],
    }


@pytest.mark.parametrize(
    ("connection", "field", "words"),
    [
        ({"url": f"redis://u:{SECRET}@host:6379/0"}, "url", "unsupported scheme 'redis'"),
        ({"url": "rtsp://cam/main", "sub_url": "ftp://cam/sub"}, "sub_url", "unsupported scheme 'ftp'"),
        ({"url": "rtsp://cam/main", "reader": "gstreamer"}, "reader", "must be one of auto, pyav, opencv"),
    ],
)
def test_validation_refuses_what_nothing_can_open(connection: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(LayoutError) as info:
        parse_layout(layout_with(connection))
    assert [p.path for p in info.value.problems] == [f"$.connections[0].{field}"]
    assert words in str(info.value) and SECRET not in str(info.value)


@pytest.mark.parametrize("reader", ["auto", "pyav", "opencv"])
def test_validation_accepts_every_reader(reader: str) -> None:
    layout = parse_layout(layout_with({"url": "rtsp://cam/main", "sub_url": "", "reader": reader}))
    assert layout.connections[0].options["reader"] == reader


def test_a_file_plays_through_pyav_sized_for_the_tile_with_its_packets(tmp_path: Path) -> None:
    clip = h264_clip(tmp_path / "clip.mp4", frames=30, gop=10)
    source = UrlSource(UrlSettings(str(clip), loop=False))
    packets: list[CompressedPacket] = []
    source.on_packet = packets.append
    sink = TileSink(target=(160, 160))
    try:
        source.open()
        read_until(source, sink, lambda: source.endpoint_stats()[0]["state"] == "ended")
        stats = source.endpoint_stats()[0]
    finally:
        source.close()
    assert stats["reader"] == "pyav" and stats["codec"] == "h264" and stats["size"] == [320, 240]
    frame = sink.frames[-1]
    assert frame.pixels is not None and frame.pixels.shape == (120, 160, 4)  # BGRX, fitted in the worker
    assert frame.source_size == (320, 240) and frame.pixels[..., 3].min() == 255
    assert len(packets) == 30 and [p.keyframe for p in packets].count(True) == 3
    assert all(p.codec == "h264" and p.stream == "main" and p.data for p in packets)
    assert isinstance(packets[0].time_base, Fraction) and packets[0].extradata  # SPS/PPS for a stream copy
    pts = [p.pts for p in packets]
    assert pts == sorted(pts) and len(set(pts)) == 30


def test_stopping_a_finished_reader_leaves_no_thread_marked_for_interruption(tmp_path: Path) -> None:
    """A thread id is reused by later threads: one left marked would have every FFmpeg call it makes fail."""
    source = UrlSource(UrlSettings(str(h264_clip(tmp_path / "clip.mp4", frames=3)), loop=False))
    try:
        source.open()
        worker = source._worker
        assert worker is not None
        worker.join(10)  # the file ended: the thread is gone before anyone stops it
        assert not worker.is_alive()
    finally:
        source.close()  # stops the finished worker
    assert url_av._clock is not None and not url_av._clock.stopping


def test_a_hidden_tile_decodes_key_frames_only_and_resumes_at_a_key_frame(tmp_path: Path) -> None:
    clip = h264_clip(tmp_path / "clip.mp4", frames=60, fps=30, gop=10)
    source = UrlSource(UrlSettings(str(clip)))
    sink = TileSink((160, 120))
    try:
        source.open()
        read_until(source, sink, lambda: len(sink.frames) >= 3)
        worker = source._worker
        assert isinstance(worker, PyAvWorker)
        sink.shown = False
        read_until(source, sink, lambda: worker.skipping)
        seq, delivered = worker.seq, len(sink.frames)
        read_until(source, sink, lambda: worker.packets >= 50)
        assert len(sink.frames) == delivered and sink.heartbeats > 0  # alive, nothing delivered
        assert worker.seq - seq <= 3  # key frames are decoded (the decoder keeps its place) but not converted
        sink.shown = True
        read_until(source, sink, lambda: not worker.skipping)
        read_until(source, sink, lambda: len(sink.frames) >= delivered + 12)
    finally:
        source.close()
    place = [round(float(f.pixels[..., :3].mean()) / 25) for f in sink.frames if f.pixels is not None]  # in its GOP
    resumed = place[delivered:]  # key frames decoded while hidden were never converted nor delivered
    assert resumed[0] == 0, place  # decoding resumed at a key frame
    assert all((b - a) % 10 == 1 for a, b in itertools.pairwise(resumed)), place  # then every frame, in order


def test_a_frame_is_new_only_if_its_timestamp_is(tmp_path: Path) -> None:
    worker = PyAvWorker(classify_url(str(tmp_path / "x.mp4")), "main", UrlSettings("x.mp4"), threading.Event())
    worker.view_size = (32, 32)
    for pts in (1, 2, 2, 1, 3):
        frame = av.VideoFrame(64, 48, "yuv420p")
        frame.pts = pts
        worker._present(frame)
    assert worker.seq == 3 and worker.stale == 2
    _, pixels, size, _ = worker.take(0)
    assert pixels is not None and pixels.shape == (24, 32, 4) and size == (64, 48)


def test_ffmpeg_log_lines_are_ours_at_debug_and_masked(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    source = UrlSource(UrlSettings(str(h264_clip(tmp_path / "clip.mp4", frames=3))))
    try:
        source.open()  # the first PyAV open routes FFmpeg's log
    finally:
        source.close()
    with caplog.at_level(logging.DEBUG):
        av.logging.log(av.logging.ERROR, "rtsp", f"method DESCRIBE failed for rtsp://admin:{SECRET}@cam/x\n")
    ours = [r for r in caplog.records if r.name == "monitor_app.ffmpeg" and "DESCRIBE" in r.getMessage()]
    assert [r.levelno for r in ours] == [logging.DEBUG]
    assert "rtsp://admin:***@cam/x" in ours[0].getMessage() and SECRET not in ours[0].getMessage()
    # PyAV's own records stop at "libav" (pytest's capture attaches to such loggers too, so it sees them).
    assert logging.getLogger("libav").propagate is False


def test_the_opencv_reader_is_still_there(tmp_path: Path) -> None:
    clip = h264_clip(tmp_path / "clip.mp4", frames=10)
    source = UrlSource(UrlSettings(str(clip), reader="opencv", loop=False))
    sink = TileSink(target=(640, 480))
    try:
        source.open()
        read_until(source, sink, lambda: len(sink.frames) >= 3)
        assert source.endpoint_stats()[0]["reader"] == "opencv"
    finally:
        source.close()
    assert sink.frames[0].pixels is not None and sink.frames[0].pixels.shape == (240, 320, 3)


def test_decoder_choice_falls_back_to_software_and_says_why_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(url_hw, "_problems", {})
    monkeypatch.setattr(url_hw, "_told", set())
    monkeypatch.setattr(url_hw, "AUTO_ORDER", {sys.platform: ("no-such-device",)})
    assert url_hw.choose_decoder("software") == (None, "software")
    with caplog.at_level(logging.INFO, logger="monitor_app.core.sources.url_hw"):
        assert url_hw.choose_decoder("auto") == (None, "software")
        assert url_hw.choose_decoder("auto") == (None, "software")
    told = [r for r in caplog.records if r.name == "monitor_app.core.sources.url_hw"]
    assert [(r.levelno, "no-such-device: not in this FFmpeg build" in r.getMessage()) for r in told] == [
        (logging.INFO, True)
    ]


def test_the_decoder_is_validated_and_reported(tmp_path: Path) -> None:
    with pytest.raises(LayoutError) as info:
        parse_layout(layout_with({"url": "rtsp://cam/main", "decoder": "gpu"}))
    assert [p.path for p in info.value.problems] == ["$.connections[0].decoder"]
    assert (
        parse_layout(layout_with({"url": "rtsp://cam/main", "decoder": "vaapi"})).connections[0].options["decoder"]
        == "vaapi"
    )  # a device this machine lacks is still a valid layout (it may run elsewhere)
    source = UrlSource(UrlSettings(str(h264_clip(tmp_path / "clip.mp4", frames=3)), decoder="software"))
    sink = TileSink((160, 120))
    try:
        source.open()
        read_until(source, sink, lambda: bool(sink.frames))
        assert source.endpoint_stats()[0]["decoder"] == "software"
    finally:
        source.close()
    report = TileReport("Door", "URL clip.mp4", "door", "", CameraHealth(ConnectionStatus()).snapshot(), "software")
    assert tile_entry(report)["decoder"] == "software"


def test_a_failed_reader_keeps_its_error_but_not_the_decoder_and_its_threads(tmp_path: Path) -> None:
    """A kept traceback holds the frames that hold the codec context, and a PyAV codec context holds FFmpeg's
    frame threads: the soak test saw 3 more threads after every failed stream before this."""
    clip = h264_clip(tmp_path / "clip.mp4", frames=3)
    worker = PyAvWorker(classify_url(str(clip)), "main", UrlSettings(str(clip)), threading.Event())

    def fail_while_decoding() -> None:
        container = av.open(str(clip))
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        try:
            try:
                next(iter(container.decode(stream)))
                raise av.ExitError(0, "a hung server")  # the decoder is in this frame's locals
            except av.FFmpegError:
                raise SourceError("no frame for 3.0 s (read timeout)") from None
        except SourceError as exc:
            worker._fail(exc)
        finally:
            release_container(
                container, stream
            )  # as the reader does: drained first, or a frame thread may wait on the GIL

    def os_threads() -> int:
        return len(list(Path("/proc/self/task").iterdir()))

    fail_while_decoding()  # once first: whatever FFmpeg starts once per process is running now
    before = os_threads()
    for _ in range(3):
        fail_while_decoding()
    deadline = time.monotonic() + 3
    while os_threads() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert os_threads() <= before  # a leak would leave 3 frame threads per failure
    assert worker.error is not None and str(worker.error).startswith("no frame")
    assert worker.error.__traceback__ is None and worker.error.__context__ is None
