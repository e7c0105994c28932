"""The registry of source kinds: one declaration is all a new kind needs.

A throw-away kind registered here is validated, filled with its defaults, offered by the
camera form, turned into an ad-hoc layout and run by a real receiver loop, with no other change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest

from monitor_app.core.layouts.adhoc import layout_from_addresses
from monitor_app.core.layouts.edits import CameraForm, apply_camera_form, form_for_camera
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.model import parse_layout
from monitor_app.core.pipeline.connection_loop import run_connection
from monitor_app.core.pipeline.health import CameraState, ConnectionStatus
from monitor_app.core.pipeline.routing import ANY_CAMERA, CameraFeed, ConnectionFeeds
from monitor_app.core.sources import registry
from monitor_app.core.sources.base import FrameSink, FrameSource
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.kind import OptionField, SourceKind, SourceRequest, int_range
from monitor_app.core.sources.registry import KINDS, UnsupportedKindError, create_source, source_kind


class BlinkSource(FrameSource):
    """A real (if tiny) source: a grey frame whose brightness is the ``level`` option."""

    def __init__(self, request: SourceRequest) -> None:
        self.request = request
        self.description = f"blink {request.options['address']}"

    def open(self) -> None:
        pass

    def read(self, sink: FrameSink, timeout_s: float) -> None:
        time.sleep(min(timeout_s, 0.02))
        pixels = np.full((8, 8, 3), self.request.options["level"], np.uint8)
        sink.deliver(EncodedFrame(ANY_CAMERA, pixels=pixels, sent_at=time.time()))

    def close(self) -> None:
        pass


BLINK = SourceKind(
    name="blink",
    label="Blinking test light",
    factory=BlinkSource,
    fields={
        "address": OptionField(str, required=True),
        "level": OptionField(int, default=200, check=int_range(0, 255), label="Brightness"),
    },
    address="address",
    address_hint="any text",
)


@pytest.fixture
def blink() -> Iterator[SourceKind]:
    KINDS[BLINK.name] = BLINK
    yield BLINK
    del KINDS[BLINK.name]


def blink_layout(**options: object) -> dict[str, object]:
    return {
        "schema_version": 1,
        "grid": {"rows": 1, "columns": 2},
        "connections": [{"id": "b", "kind": "blink", "address": "desk", **options}],
        "cameras": [{"id": "b", "title": "Desk light", "connection": "b", "cell": [0, 0]}],
    }


def test_every_built_in_kind_is_declared_once_with_a_factory() -> None:
    assert list(KINDS)[:4] == ["pattern", "hub", "sub", "url"]  # then the newer kinds, each one line
    assert "http_ingest" in KINDS
    for kind in KINDS.values():
        assert kind.label and callable(kind.factory)
        assert kind.address is None or kind.address in kind.fields
    assert source_kind("hub").many_cameras and not source_kind("url").many_cameras
    with pytest.raises(UnsupportedKindError, match="telnet"):
        source_kind("telnet")


def test_a_factory_gets_plain_options_with_the_declared_defaults() -> None:
    source = create_source("pattern", "bench", {"width": 320}, "Bench")
    assert source.description == "test pattern 320x360 @ 30 fps"


def test_a_registered_kind_is_validated_by_its_own_fields(blink: SourceKind) -> None:
    layout = parse_layout(blink_layout(level=10))
    assert layout.connections[0].options == {"address": "desk", "level": 10}
    with pytest.raises(LayoutError) as bad:
        parse_layout(blink_layout(level=999, colour="red"))
    assert {str(p) for p in bad.value.problems} == {
        "$.connections[0].level: must be between 0 and 255, not 999",
        "$.connections[0].colour: is not a known field",
    }
    KINDS.pop(blink.name)
    with pytest.raises(LayoutError, match=r"must be one of pattern, hub, sub, url, .*not 'blink'"):
        parse_layout(blink_layout())
    KINDS[blink.name] = blink


def test_a_registered_kind_is_offered_by_the_form_and_the_command_line(blink: SourceKind) -> None:
    layout = parse_layout(blink_layout())
    form = form_for_camera(layout, "b")
    assert (form.kind, form.address, form.settings) == ("blink", "desk", {"level": "200"})
    added = apply_camera_form(layout, CameraForm("Shelf", "blink", "shelf", column=1, settings={"level": "200"}))
    shelf = added.connection("shelf")
    assert shelf is not None and shelf.options == {"address": "shelf"}  # the default level is left out
    adhoc = layout_from_addresses([("blink", "porch"), ("hub", ":5555")])
    assert [(c.id, c.kind, c.options, c.auto_add_cameras) for c in adhoc.connections] == [
        ("blink1", "blink", {"address": "porch"}, False),
        ("hub1", "hub", {"endpoint": ":5555"}, True),
    ]
    assert [c.id for c in adhoc.cameras] == ["blink1"]


def test_a_registered_kind_runs_in_a_real_receiver_loop(blink: SourceKind) -> None:
    source = registry.create_source("blink", "b", {"address": "desk", "level": 42}, "Desk light")
    status = ConnectionStatus()
    feeds = ConnectionFeeds("b", status, on_work=lambda feed: None)
    feed = CameraFeed("b", "b", ANY_CAMERA, status)
    feeds.attach(feed)
    stop = threading.Event()
    thread = threading.Thread(target=run_connection, args=(source, feeds, stop))
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while feed.inbox.is_empty() and time.monotonic() < deadline:
            time.sleep(0.01)
        frame = feed.inbox.take()
        assert frame is not None and frame.pixels is not None and int(frame.pixels[0, 0, 0]) == 42
        assert status.state is CameraState.LIVE
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()
