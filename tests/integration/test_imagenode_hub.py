"""The real app's hub against imagenode's exact messages from a real ``imagezmq.ImageSender``.

As imagehub reads them: only ``|jpg`` / ``|image`` are frames; ``Garage Driveway|motion|moving`` is an
event shown on its tile (and in ``--stats-json``), ``Garage|Heartbeat`` keeps every camera of node
``Garage`` alive, and neither ``Garage|Restart|...`` nor the heartbeats make a tile of their own.
"""

from __future__ import annotations

import json
import select
import time
from pathlib import Path

from monitor_app.core.net import free_port
from tests.app_process import App, Processes, connection, live_with_frames, tiles

VIEWS = ["Garage Door", "Garage Driveway"]


def test_imagenode_events_heartbeats_and_restarts_are_not_frames(procs: Processes, tmp_path: Path) -> None:
    hub = f"tcp://127.0.0.1:{free_port()}"
    app = App(procs, tmp_path / "stats.json", "--hub", hub, exit_after=60)
    node = procs.peer("imagenode_sender.py", "--connect", hub, "--frame-seconds", "5", ready=True)
    stats = app.wait_for("both views live", lambda s: live_with_frames(s, VIEWS))
    assert sorted(tiles(stats)) == VIEWS  # no tile "Garage" for the restart or the heartbeats

    # The views stop sending frames; heartbeats and motion events go on.
    assert node.stdout is not None
    readable, _, _ = select.select([node.stdout], [], [], 30)
    assert readable
    sent = json.loads(node.stdout.readline())
    time.sleep(4.5)  # longer than the 3 s after which a camera without frames or heartbeats is stalled
    stats = app.wait_for("an event on the driveway", lambda s: tiles(s)["Garage Driveway"]["event"] is not None)
    by_name = tiles(stats)
    assert sorted(by_name) == VIEWS
    for view in VIEWS:
        tile = by_name[view]
        assert tile["state"] == "live", tile  # the node's heartbeat keeps each of its views alive
        assert tile["frames_received"] == sent[view], tile  # events and heartbeats are not frames
    assert by_name["Garage Driveway"]["event"] in ("motion: moving", "motion: still")
    # The node's restart came before either view had a tile: it made none, and shows on the node's views once
    # they appeared (the door's latest event; the driveway has had motion events since).
    assert by_name["Garage Door"]["event"].startswith("Restart: "), by_name["Garage Door"]
    hub_stats = connection(stats, "hub1")["endpoints"][0]
    assert hub_stats["events"] > 2 and hub_stats["heartbeats"] > 2 and hub_stats["bad_messages"] == 0
    app.finish()
