"""vidgear NetGear senders (the real ``vidgear`` package) into the real app: REQ/REP into ``--hub``,
PUB/SUB into ``--sub-bind``. NetGear names no camera, so each tile is named after the sender's address."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor_app.core.net import free_port
from tests.app_process import App, Processes, connection, live_with_frames, tiles

pytest.importorskip("vidgear.gears", reason="the test extra installs vidgear")


def test_a_netgear_req_sender_is_a_live_tile_on_the_hub(procs: Processes, tmp_path: Path) -> None:
    port = free_port()
    app = App(procs, tmp_path / "stats.json", "--hub", f"tcp://127.0.0.1:{port}", exit_after=14)
    # 15 fps for 9 s, NetGear's defaults (simplejpeg JPEG); it retries until the hub has bound.
    procs.peer("netgear_sender.py", "--port", str(port), "--fps", "15", "--seconds", "9", ready=True)
    during = app.wait_for("the NetGear tile live", lambda s: live_with_frames(s, ["127.0.0.1"]))
    assert list(tiles(during)) == ["127.0.0.1"]
    final = app.finish(terminate=False)
    tile = tiles(final)["127.0.0.1"]
    assert tile["frames_received"] >= 60 and tile["frames_displayed"] >= 60, tile
    (ep,) = connection(final, "hub1")["endpoints"]
    # Before NetGear was understood every message was refused while NetGear was told OK.
    assert ep["bad_messages"] == 0 and ep["goodbyes"] == 1, ep
    assert tile["state"] == "reconnecting" and "closed its stream" in tile["error"]


def test_a_netgear_pub_sender_is_a_live_tile_on_a_bound_sub(procs: Processes, tmp_path: Path) -> None:
    port = free_port()
    app = App(procs, tmp_path / "stats.json", "--sub-bind", f"tcp://127.0.0.1:{port}", exit_after=60)
    procs.peer("netgear_sender.py", "--port", str(port), "--pattern", "2", "--raw", "--fps", "15", ready=True)
    stats = app.wait_for("the NetGear tile live", lambda s: live_with_frames(s, ["127.0.0.1"]))
    assert list(tiles(stats)) == ["127.0.0.1"]
    final = app.finish()
    assert tiles(final)["127.0.0.1"]["frames_displayed"] >= 10
    assert connection(final, "sub1")["bad_messages"] == 0
