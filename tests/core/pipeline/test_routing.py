"""Routing by camera name: provisional feeds for new names, the cap on them, a camera's own state."""

from __future__ import annotations

import time

import numpy as np
import simplejpeg

from monitor_app.core.pipeline.decode import Decoded
from monitor_app.core.pipeline.decode_queue import DecodeQueue, decode_one
from monitor_app.core.pipeline.health import CameraState, ConnectionStatus
from monitor_app.core.pipeline.routing import MAX_NEW_CAMERAS, CameraFeed, ConnectionFeeds
from monitor_app.core.sources.frames import EncodedFrame
from tests.peers.undecodable_sender import undecodable_jpeg

GOOD = simplejpeg.encode_jpeg(np.full((48, 64, 3), 90, np.uint8), colorspace="BGR")
BAD = undecodable_jpeg()


class Hub:
    """An auto-adding connection's sink with a decode queue worked on the test's thread, as the pool would."""

    def __init__(self) -> None:
        self.queue = DecodeQueue()
        self.feeds = ConnectionFeeds("hub", ConnectionStatus(), self.queue.push, auto_add=True)
        self.discovered: list[str] = []

    def send(self, camera: str, jpeg: bytes = GOOD) -> None:
        self.feeds.deliver(EncodedFrame(camera, jpeg=jpeg))
        self.decode_all()

    def decode_all(self) -> None:
        while (feed := self.queue.pop(0.0)) is not None:
            decode_one(feed, self.publish)
            self.queue.done(feed)

    def publish(self, feed: CameraFeed, decoded: Decoded, frame: EncodedFrame) -> None:
        feed.display.put(decoded.pixels)  # what CameraPipeline._publish does, without Qt
        if feed.provisional and self.feeds.discovered(feed):
            self.discovered.append(feed.camera)


def test_a_new_name_is_announced_once_its_first_frame_decoded_and_keeps_that_frame() -> None:
    hub = Hub()
    hub.send("bogus", BAD)
    hub.send("bogus", BAD)
    assert hub.discovered == []  # plausible, never decodable: never a camera
    hub.feeds.heartbeat("ghost")  # a heartbeat alone makes no camera either
    hub.send("cam")
    hub.send("cam")
    assert hub.discovered == ["cam"]  # announced once, after its first frame decoded
    feed = hub.feeds.adopt("cam")
    assert feed is not None and not feed.provisional
    assert feed.health.frames_decoded == 2 and not feed.display.is_empty()  # nothing dropped: it is painted
    assert hub.feeds.adopt("ghost") is None
    hub.send("cam")
    assert hub.discovered == ["cam"] and feed.health.frames_received == 3
    hub.feeds.detach("cam")  # its tile went: if the name sends again, it is new again
    hub.send("cam")
    assert hub.discovered == ["cam", "cam"]
    again = hub.feeds.adopt("cam")
    assert again is not None and again is not feed and again.key != feed.key  # a fresh key for the decode queue


def test_names_that_never_decode_cannot_use_up_the_places_for_new_cameras() -> None:
    hub = Hub()
    for n in range(MAX_NEW_CAMERAS * 3):  # a peer cycling through names, every frame corrupt
        hub.send(f"junk{n}", BAD)
    hub.send("real")
    assert hub.discovered == ["real"] and hub.feeds.refused_names == 0
    for n in range(MAX_NEW_CAMERAS + 5):  # and names that do decode get tiles up to the cap
        hub.send(f"cam{n}")
    assert hub.discovered == ["real"] + [f"cam{n}" for n in range(MAX_NEW_CAMERAS - 1)]
    assert hub.feeds.refused_names == 6
    assert hub.feeds.wants_frames("cam0") and not hub.feeds.wants_frames("one-too-many")
    hub.feeds.detach("cam0")  # a removed tile frees its place
    hub.send("late")
    assert hub.discovered[-1] == "late"


def test_a_waiting_name_gives_its_place_up_only_when_it_failed() -> None:
    hub = Hub()
    for n in range(MAX_NEW_CAMERAS):
        hub.feeds.deliver(EncodedFrame(f"slow{n}", jpeg=GOOD))  # queued, not decoded yet
    hub.send("late")
    assert hub.feeds.refused_names == 1  # every place is taken by a name that may still decode
    hub.decode_all()
    assert len(hub.discovered) == MAX_NEW_CAMERAS


def test_a_camera_shows_its_publisher_gone_until_it_sends_again() -> None:
    status = ConnectionStatus()
    feeds = ConnectionFeeds("sub", status, lambda _feed: None)
    feed = CameraFeed("cam", "sub", "cam", status)
    feeds.attach(feed)
    status.set(CameraState.LIVE)
    feeds.deliver(EncodedFrame("cam", jpeg=GOOD))
    feeds.camera_link_lost("cam", "publisher tcp://10.0.0.9:5556 disconnected")
    feeds.camera_link_lost("unknown", "publisher tcp://10.0.0.9:5556 disconnected")  # no feed: ignored
    snap = feed.health.snapshot()
    assert (snap.state, snap.error, snap.retry_in_s) == (
        CameraState.RECONNECTING,
        "publisher tcp://10.0.0.9:5556 disconnected",
        None,  # ZeroMQ reconnects by itself: no countdown
    )
    assert snap.reconnects == 0
    status.set(CameraState.ERROR, "subscriber closed")  # the connection as a whole wins
    assert feed.health.snapshot().error == "subscriber closed"
    status.set(CameraState.LIVE)
    feeds.heartbeat("cam")
    assert feed.health.snapshot().state is CameraState.LIVE


def test_a_connection_keeps_the_reason_of_the_last_message_it_refused() -> None:
    status = ConnectionStatus()
    feeds = ConnectionFeeds("hub", status, lambda _feed: None)
    feeds.bad_message("header is not UTF-8 JSON")
    feeds.bad_message("expected 2 message parts, got 3", camera="nobody")
    snap = status.snapshot()
    assert (snap.bad_messages, snap.last_bad_reason) == (2, "expected 2 message parts, got 3")
    status.count_bad_frame("corrupt JPEG: Invalid progressive parameters")
    assert status.snapshot().last_bad_reason == "corrupt JPEG: Invalid progressive parameters"
    assert status.messages == 2 and status.bad_messages == 3


def test_a_provisional_feed_that_never_decodes_gives_its_place_up_after_a_while(monkeypatch) -> None:
    from monitor_app.core.pipeline import routing

    hub = Hub()
    for n in range(MAX_NEW_CAMERAS):
        hub.feeds.deliver(EncodedFrame(f"stuck{n}", jpeg=GOOD))  # a decoder that never got to them
    monkeypatch.setattr(routing, "PROVISIONAL_GIVE_UP_S", 0.05, raising=False)
    time.sleep(0.1)
    hub.feeds.deliver(EncodedFrame("next", jpeg=GOOD))
    assert hub.feeds.refused_names == 0


def test_an_event_that_came_before_the_cameras_first_frame_shows_on_its_tile() -> None:
    hub = Hub()
    hub.feeds.event("Garage", "Restart: fswebcam")  # a node-wide event: for each of its views
    hub.feeds.event("Garage Driveway", "motion: still")  # imagenode says so before its first frame; newer
    hub.feeds.event("Porch", "motion: moving")
    assert hub.discovered == []  # an event alone never makes a tile
    hub.send("Garage Driveway")
    hub.send("Porch")
    hub.send("Garage Yard")
    assert hub.discovered == ["Garage Driveway", "Porch", "Garage Yard"]
    shown = {name: hub.feeds.adopt(name) for name in hub.discovered}
    events = {name: feed.health.snapshot().event for name, feed in shown.items() if feed is not None}
    assert events == {"Garage Driveway": "motion: still", "Porch": "motion: moving", "Garage Yard": "Restart: fswebcam"}


def test_early_events_of_a_name_cycler_stay_bounded() -> None:
    hub = Hub()
    for n in range(1000):
        hub.feeds.event(f"ghost{n}", "motion: moving")
    hub.send("ghost999")
    feed = hub.feeds.adopt("ghost999")
    assert feed is not None and feed.health.snapshot().event == "motion: moving"
    assert len(hub.feeds._early_events) <= 64
