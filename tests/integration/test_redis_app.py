"""The real app against a real ``redis-server`` and the widely copied Redis camera sender.

The sender ``SET``s a key (the camera's IP) to a base64 JPEG and ``PUBLISH``es the key's name on
``img0`` at 15 fps for 9 s; the app, started with ``--redis ...?channel=img0``, must give that key a
live tile of its own and show at least 60 of its frames.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app_process import App, Processes, tiles
from tests.peers.redis_server import RedisServer

CAMERA = "192.168.1.20"


@pytest.fixture
def server() -> Iterator[RedisServer]:
    srv = RedisServer().start()
    yield srv
    srv.stop()


@pytest.mark.slow
def test_the_example_sender_set_and_publish_makes_a_live_tile(
    procs: Processes, server: RedisServer, tmp_path: Path
) -> None:
    url = f"redis://127.0.0.1:{server.port}/0?channel=img0"
    app = App(procs, tmp_path / "stats.json", "--redis", url, exit_after=14)
    app.wait_for("the Redis connection to be up", lambda s: bool(s["connections"]) and server_subscribed(server))
    sender = procs.peer("redis_key_sender.py", "--port", str(server.port), "--key", CAMERA, ready=True)
    live = app.wait_for(
        "the key's tile to be live",
        lambda s: CAMERA in tiles(s) and tiles(s)[CAMERA]["state"] == "live",
        timeout_s=10,
    )
    assert tiles(live)[CAMERA]["source"] == f"Redis {url}"
    out, _ = sender.communicate(timeout=30)
    assert "SENT" in out
    final = app.finish(terminate=False)  # --exit-after ends it
    tile = tiles(final)[CAMERA]
    print(f"redis tile: {tile['frames_received']} received, {tile['frames_displayed']} displayed; {out.strip()}")
    assert tile["frames_displayed"] >= 60 and tile["bad_messages"] == 0
    assert [t["camera"] for t in final["tiles"]] == [CAMERA]


def server_subscribed(server: RedisServer) -> bool:
    """The app has subscribed: a message published now reaches it (pub/sub keeps no history)."""
    return int(server.client().pubsub_numsub("img0")[0][1]) > 0
