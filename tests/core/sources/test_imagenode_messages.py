"""imagenode's conventions, read as imagehub reads them: frames, heartbeats of a node, events."""

from __future__ import annotations

import json

import numpy as np
import pytest

from monitor_app.core.pipeline.health import CameraState, ConnectionStatus
from monitor_app.core.pipeline.routing import CameraFeed, ConnectionFeeds
from monitor_app.core.pipeline.stats import TileReport, tile_entry
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.imagezmq_wire import Event, Heartbeat, parse_message


def raw_message(msg: str, pixels: np.ndarray) -> list[bytes]:
    """What ``ImageSender.send_image(msg, pixels)`` sends."""
    header = {"msg": msg, "dtype": str(pixels.dtype), "shape": list(pixels.shape)}
    return [json.dumps(header).encode(), pixels.tobytes()]


TINY = np.zeros((2, 2), np.uint8)


@pytest.mark.parametrize(
    ("msg", "expected"),
    [
        ("Garage Driveway|motion|moving", Event("Garage Driveway", "motion: moving")),
        ("Garage Driveway|motion|still", Event("Garage Driveway", "motion: still")),
        ("Garage|Restart|imagenode.py", Event("Garage", "Restart: imagenode.py")),
        ("Garage|Heartbeat", Heartbeat("Garage")),
    ],
)
def test_imagenode_events_and_heartbeats_are_not_frames(msg: str, expected: object) -> None:
    assert parse_message(raw_message(msg, TINY)) == expected


@pytest.mark.parametrize("msg", ["Garage Driveway|jpg", "Garage Driveway|image", "Garage Driveway", "cam|raw", "x|"])
def test_only_frame_words_or_no_second_field_are_frames(msg: str) -> None:
    frame = parse_message(raw_message(msg, np.ones((4, 4, 3), np.uint8)))
    assert isinstance(frame, EncodedFrame) and frame.pixels is not None


def test_event_text_is_bounded_and_printable() -> None:
    event = parse_message(raw_message("cam|alarm|" + "\x07" * 3 + "x" * 500, TINY))
    assert isinstance(event, Event) and len(event.text) == 120 and event.text.isprintable()


def wiring(names: list[str], auto_add: bool = True) -> tuple[ConnectionFeeds, dict[str, CameraFeed]]:
    status = ConnectionStatus()
    status.set(CameraState.LIVE)
    feeds = ConnectionFeeds("hub", status, lambda _feed: None, auto_add)
    cams = {name: CameraFeed(name, "hub", name, status) for name in names}
    for cam in cams.values():
        feeds.attach(cam)
    return feeds, cams


def test_a_node_heartbeat_keeps_each_of_its_views_alive_and_makes_no_camera() -> None:
    feeds, cams = wiring(["Garage Driveway", "Garage Door", "Garage2 Yard", "Porch"])
    feeds.heartbeat("Garage")
    alive = {name for name, cam in cams.items() if cam.health.snapshot().last_frame_age_s is not None}
    assert alive == {"Garage Driveway", "Garage Door"}  # not "Garage2 Yard": a node name ends at a space
    feeds.event("Garage", "Restart: imagenode.py")
    assert feeds._known("Garage", or_any=False) is None  # no phantom feed, hence no tile


def test_an_event_is_the_tiles_latest_news_in_the_stats() -> None:
    feeds, cams = wiring(["Garage Driveway"])
    feeds.event("Garage Driveway", "motion: moving")
    feeds.event("Garage Driveway", "motion: still")
    snapshot = cams["Garage Driveway"].health.snapshot()
    assert snapshot.event == "motion: still" and snapshot.frames_received == 0
    entry = tile_entry(TileReport("Garage Driveway", "tcp://*:5555", "hub", "Garage Driveway", snapshot))
    assert entry["event"] == "motion: still"
    feeds.event("Nobody", "motion: moving")  # an event for a camera without a tile is dropped
    assert feeds._known("Nobody", or_any=False) is None
