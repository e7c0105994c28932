"""``--sub-bind``: the real app's SUB socket binds and real PUB cameras connect to it.

The topology of the widely copied "OpenCV video over ZeroMQ" example: each camera's PUB connects
to the viewer. imagezmq's ``ImageSender(REQ_REP=False)`` binds, so the connecting cameras here are
``tests/peers/connecting_publisher.py`` (tutorial base64 strings, or imagezmq's own two-part
``send_jpg`` messages through its ``SerializingContext``).
"""

from __future__ import annotations

from pathlib import Path

from monitor_app.core.net import free_port
from tests.app_process import App, Processes, connection, live_with_frames, tiles


def test_a_connecting_base64_publisher_is_one_live_tile_named_by_its_address(procs: Processes, tmp_path: Path) -> None:
    port = free_port()
    app = App(procs, tmp_path / "stats.json", "--sub-bind", f"tcp://127.0.0.1:{port}", exit_after=14)
    # 15 fps for 9 s; ZeroMQ keeps connecting until the app has bound.
    procs.peer("connecting_publisher.py", "--connect", f"tcp://127.0.0.1:{port}", "--fps", "15", "--seconds", "9")
    # A single-part message names no camera: the tile is named after the peer's address (libzmq gives the IP).
    during = app.wait_for("the publisher's tile live", lambda s: live_with_frames(s, ["127.0.0.1"]))
    assert list(tiles(during)) == ["127.0.0.1"]
    final = app.finish(terminate=False)  # --exit-after 14
    tile = tiles(final)["127.0.0.1"]
    assert tile["frames_received"] >= 60 and tile["frames_displayed"] >= 60, tile
    (ep,) = connection(final, "sub1")["endpoints"]
    assert ep["role"] == "bind" and ep["single_part"] == ep["messages"] >= 60
    assert ep["bad_messages"] == 0


def test_named_imagezmq_publishers_on_one_bound_socket_get_a_tile_each(procs: Processes, tmp_path: Path) -> None:
    port = free_port()
    app = App(procs, tmp_path / "stats.json", "--sub-bind", f":{port}", exit_after=60)
    for name in ("garage", "porch|jpg"):
        procs.peer("connecting_publisher.py", "--connect", f"tcp://127.0.0.1:{port}", "--imagezmq", "--name", name)
    stats = app.wait_for("both cameras live", lambda s: live_with_frames(s, ["garage", "porch"]))
    assert sorted(tiles(stats)) == ["garage", "porch"]  # named messages: no tile for the peer's address
    (ep,) = connection(stats, "sub1")["endpoints"]
    assert ep["endpoint"] == f"tcp://*:{port}" and ep["peers_connected"] == 2 and ep["single_part"] == 0
    final = app.finish()
    assert connection(final, "sub1")["bad_messages"] == 0
