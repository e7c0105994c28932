"""imagezmq PUB senders that die and come back, and names that appear by themselves, against real peers.

The publishers are the real ``imagezmq.ImageSender(..., REQ_REP=False)`` in their own processes
(``tests/peers/imagezmq_sender.py``). The first test runs a ``SubSource`` by ``run_connection`` in
a thread, as the app does, and times the recovery (its figures print with ``-s``); the second runs
the app itself and reads its ``--stats-json``.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from monitor_app.core.net import free_port
from monitor_app.core.pipeline.connection_loop import run_connection
from monitor_app.core.pipeline.decode_queue import DecodeQueue
from monitor_app.core.pipeline.health import CameraState, ConnectionStatus
from monitor_app.core.pipeline.routing import CameraFeed, ConnectionFeeds
from monitor_app.core.sources.zmq_sub import SubSource
from tests.app_process import PEERS, App, Processes, tiles

OUTAGE_S = 3.0


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> float:
    """Wait until ``condition`` holds; return the time it was first seen to."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)
    return time.monotonic()


@contextmanager
def subscriber(endpoint: str, camera: str) -> Iterator[CameraFeed]:
    """A subscriber connection with one camera, in its own receiver thread."""
    status = ConnectionStatus()
    feeds = ConnectionFeeds("pubs", status, DecodeQueue().push)
    feed = CameraFeed(camera, "pubs", camera, status)
    feeds.attach(feed)
    stop = threading.Event()
    thread = threading.Thread(target=run_connection, args=(SubSource([endpoint]), feeds, stop), name="receiver-pubs")
    thread.start()
    try:
        yield feed
    finally:
        stop.set()
        thread.join(10)
        assert not thread.is_alive()


def state(feed: CameraFeed) -> CameraState:
    return feed.health.snapshot().state


def test_a_dead_publisher_shows_reconnecting_and_is_found_again_within_a_second(procs: Processes) -> None:
    endpoint = f"tcp://127.0.0.1:{free_port()}"

    def publisher() -> object:
        return procs.peer("imagezmq_sender.py", "--pub", endpoint, "--name", "yard|jpg", "--fps", "30", ready=True)

    sender = publisher()
    with subscriber(endpoint, "yard") as feed:
        wait_for(lambda: state(feed) is CameraState.LIVE, 20, "the first frames")
        sender.kill()  # type: ignore[attr-defined]
        killed = time.monotonic()
        seen = wait_for(lambda: state(feed) is not CameraState.LIVE, 10, "the tile to notice")
        snap = feed.health.snapshot()
        assert snap.state is CameraState.RECONNECTING, snap  # not Stalled: we know the publisher went away
        assert snap.error == f"publisher {endpoint} disconnected" and snap.retry_in_s is None
        time.sleep(max(0.0, killed + OUTAGE_S - time.monotonic()))
        assert state(feed) is CameraState.RECONNECTING  # still, well past the 3 s that would make it Stalled
        received = feed.health.frames_received
        restarted = time.monotonic()
        publisher()  # READY: the new publisher has bound its port
        bound = time.monotonic()
        back = wait_for(lambda: feed.health.frames_received > received, 15, "frames from the restarted publisher")
        assert state(feed) is CameraState.LIVE
    print(
        f"\npublisher killed: Reconnecting after {seen - killed:.2f} s; after a {OUTAGE_S:.0f} s outage the "
        f"restarted publisher took {bound - restarted:.2f} s to start and bind, and its first frame arrived "
        f"{back - bound:.2f} s after that ({back - restarted:.2f} s after the restart began)"
    )
    # ZeroMQ tries again at most 1 s apart (RECONNECT_IVL_MAX); with its 5 s ceiling this took 2-3 s.
    assert back - bound < 1.8


def test_the_app_shows_a_dead_publisher_reconnecting_and_names_that_never_decode_never_get_a_tile(
    procs: Processes, tmp_path: Path
) -> None:
    hub = f"tcp://127.0.0.1:{free_port()}"
    pub = f"tcp://127.0.0.1:{free_port()}"
    app = App(procs, tmp_path / "stats.json", "--hub", hub, "--sub", pub)

    def publisher() -> object:
        return procs.peer("imagezmq_sender.py", "--pub", pub, "--name", "pub-cam", "--fps", "20", ready=True)

    sender = publisher()
    stats = app.wait_for("the publisher's tile", lambda s: tiles(s).get("pub-cam", {}).get("state") == "live")
    hostile = procs.peer("undecodable_sender.py", "--connect", hub, "--name", "bogus", "--count", "3")
    assert hostile.wait(timeout=60) == 0 and hostile.stdout is not None
    assert json.loads(hostile.stdout.read())["replies"] == 3
    sender.kill()  # type: ignore[attr-defined]
    stats = app.wait_for(
        "the tile of the dead publisher reconnecting", lambda s: tiles(s)["pub-cam"]["state"] != "live", timeout_s=20
    )
    assert tiles(stats)["pub-cam"]["state"] == "reconnecting", tiles(stats)["pub-cam"]
    assert tiles(stats)["pub-cam"]["error"] == f"publisher {pub} disconnected"
    time.sleep(OUTAGE_S)
    stats = app.wait_for("a fresh stats file", lambda s: s["app"]["uptime_s"] > stats["app"]["uptime_s"] + 1)
    assert tiles(stats)["pub-cam"]["state"] == "reconnecting"
    publisher()
    app.wait_for("the restarted publisher live", lambda s: tiles(s)["pub-cam"]["state"] == "live", timeout_s=20)
    final = app.finish()
    assert "bogus" not in tiles(final)  # three plausible JPEGs, none decodable: no tile
    assert sys.executable and PEERS.is_dir()
