"""CameraPipeline through its API, on real receiver threads: diffs applied, views set, stragglers kept."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from monitor_app.core.layouts.diff import diff_layouts
from monitor_app.core.layouts.model import CameraSpec, ConnectionSpec, Layout
from monitor_app.core.sources.base import FrameSink, FrameSource
from monitor_app.core.sources.kind import SourceKind, SourceRequest
from monitor_app.core.sources.registry import KINDS
from monitor_app.receivers.pipeline import CameraPipeline
from monitor_app.receivers.threads import running_threads


def patterns(*ids: str, fps: float = 30) -> Layout:
    layout = Layout(rows=1, columns=len(ids))
    for n, cid in enumerate(ids):
        layout.connections.append(ConnectionSpec(cid, "pattern", {"width": 160, "height": 90, "fps": fps}))
        layout.cameras.append(CameraSpec(cid, cid, title=cid.upper(), column=n))
    return layout


@pytest.fixture
def pipeline(qtbot: QtBot) -> Iterator[CameraPipeline]:
    pipe = CameraPipeline(decode_threads=2)
    yield pipe
    assert pipe.stop()


def decoded(pipe: CameraPipeline, key: str) -> int:
    feed = pipe.feed(key)
    return feed.health.frames_decoded if feed is not None else -1


def test_a_diff_restarts_only_what_changed(pipeline: CameraPipeline, qtbot: QtBot) -> None:
    first = patterns("a", "b")
    pipeline.apply(diff_layouts(None, first))
    qtbot.waitUntil(lambda: decoded(pipeline, "a") > 3 and decoded(pipeline, "b") > 3, timeout=10000)
    feed_a = pipeline.feed("a")
    second = patterns("a", "b", "c")
    second.connections[1].options["fps"] = 15  # b restarts; a runs on untouched
    pipeline.apply(diff_layouts(first, second))
    assert pipeline.feed("a") is feed_a  # same feed, same counters
    assert pipeline.feed("b") is not None and decoded(pipeline, "b") == 0
    qtbot.waitUntil(lambda: decoded(pipeline, "b") > 3 and decoded(pipeline, "c") > 3, timeout=10000)
    assert sorted(n for n in running_threads() if n.startswith("receiver-")) == [
        "receiver-a",
        "receiver-b",
        "receiver-c",
    ]
    pipeline.apply(diff_layouts(second, patterns("c")))
    assert pipeline.feed("a") is None and pipeline.feed("b") is None
    assert [n for n in running_threads() if n.startswith("receiver-")] == ["receiver-c"]


def test_set_view_sizes_the_decoded_frames_and_a_hidden_camera_is_not_decoded(
    pipeline: CameraPipeline, qtbot: QtBot
) -> None:
    pipeline.apply(diff_layouts(None, patterns("a")))
    pipeline.set_view("a", size=(80, 80))
    feed = pipeline.feed("a")
    assert feed is not None
    qtbot.waitUntil(lambda: "a" in pipeline.take_ready() and feed.display.take() is not None, timeout=10000)

    def newest_width() -> int:
        pipeline.take_ready()
        frame = feed.display.take()
        return frame.size[0] if frame is not None else -1

    qtbot.waitUntil(lambda: newest_width() == 80, timeout=10000)  # 160x90 fitted into 80x80 -> 80x45
    pipeline.set_view("a", visible=False)
    time.sleep(0.2)  # a frame already being decoded may still land
    before = decoded(pipeline, "a")
    time.sleep(0.5)
    assert decoded(pipeline, "a") == before and feed.health.frames_received > 0
    pipeline.set_view("a", visible=True)
    qtbot.waitUntil(lambda: decoded(pipeline, "a") > before + 3, timeout=10000)
    assert pipeline.health("a") is not None and pipeline.health("nope") is None
    assert not pipeline.can_retry("a")


class StuckSource(FrameSource):
    """Ignores its timeout once asked to read: the receiver outlives a short stop timeout."""

    def __init__(self, request: SourceRequest) -> None:
        self.description = "stuck"
        self.release = threading.Event()

    def open(self) -> None:
        pass

    def read(self, sink: FrameSink, timeout_s: float) -> None:
        STUCK.append(self)
        self.release.wait(10)

    def close(self) -> None:
        pass


STUCK: list[StuckSource] = []


def test_a_thread_that_does_not_stop_in_time_stays_referenced_and_reported(qtbot: QtBot) -> None:
    KINDS["stuck"] = SourceKind("stuck", "Stuck", StuckSource)
    pipe = CameraPipeline(decode_threads=1)
    try:
        layout = Layout(rows=1, columns=1, connections=[ConnectionSpec("s", "stuck")], cameras=[CameraSpec("s", "s")])
        pipe.apply(diff_layouts(None, layout))
        qtbot.waitUntil(lambda: bool(STUCK), timeout=5000)
        assert not pipe.stop(timeout_ms=100)
        assert pipe.stragglers() == ["receiver-s"] and "receiver-s" in running_threads()
        STUCK[0].release.set()
        qtbot.waitUntil(lambda: not pipe.stragglers(), timeout=5000)
        assert "receiver-s" not in running_threads()
    finally:
        del KINDS["stuck"]
        for source in STUCK:
            source.release.set()
        STUCK.clear()
