"""``--web`` routes on the real demo app: the page, the camera list, streams, snapshots and stats."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np

from tests.app_process import Processes
from tests.web.web_app import MjpegReader, WebApp

DEMO = ["front-door", "garage", "lab-rig", "backyard", "street", "workshop"]


def test_the_page_cameras_stream_snapshot_and_stats(procs: Processes, tmp_path: Path) -> None:
    web = WebApp(procs, tmp_path, "--demo")
    web.wait_ready()
    status, page = web.get("/")
    assert status == 200 and b"new WebSocket(" in page and b"createObjectURL" in page

    cameras = web.json("/api/cameras")
    assert [c["id"] for c in cameras] == DEMO
    front = cameras[0]
    assert front == {
        "id": "front-door",
        "title": "Front door",
        "state": front["state"],
        "mjpeg": "/cameras/front-door/stream.mjpg",
        "snapshot": "/cameras/front-door/snapshot.jpg",
    }
    assert front["state"] in ("connecting", "live")

    reader = MjpegReader(web.port, front["mjpeg"])  # a JPEG camera at 30 fps
    try:
        parts = reader.parts_for(3.0)
    finally:
        reader.close()
    assert len(parts) >= 15, len(parts)
    image = cv2.imdecode(np.frombuffer(parts[-1][1], np.uint8), cv2.IMREAD_COLOR)
    assert image.shape == (720, 1280, 3)

    status, jpeg = web.get("/cameras/garage/snapshot.jpg")  # a camera of raw pixels, encoded for it
    assert status == 200
    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None and image.shape == (360, 640, 3)
    status, jpeg = web.get("/cameras/garage/snapshot.jpg?width=320&height=320")
    assert cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR).shape == (180, 320, 3)
    assert web.get("/cameras/nobody/snapshot.jpg")[0] == 404
    assert web.get("/cameras/nobody/stream.mjpg")[0] == 404

    stats = web.json("/api/stats")
    assert {"tiles", "connections", "app", "web"} <= stats.keys()  # the --stats-json document, and ours
    assert sorted(t["title"] for t in stats["tiles"]) == sorted(c["title"] for c in cameras)
    assert stats["web"]["frames_forwarded"] >= 15 and stats["web"]["frames_sent"] >= 15
    web.app.finish()


def test_pixels_are_encoded_once_per_frame_for_three_clients(procs: Processes, tmp_path: Path) -> None:
    web = WebApp(procs, tmp_path, "--demo")
    web.wait_ready()
    readers = [MjpegReader(web.port, "/cameras/garage/stream.mjpg") for _ in range(3)]  # 640x360 pixels, 30 fps
    results: list[list[tuple[int, bytes]]] = [[] for _ in readers]
    try:
        for reader in readers:
            reader.part()  # all three watch before the count starts
        before = web.web_stats()["cameras"]["garage"]["encodes"]

        def read(n: int) -> None:
            results[n] = readers[n].parts_for(3.0)

        threads = [threading.Thread(target=read, args=(n,)) for n in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        time.sleep(0.1)
        garage = web.web_stats()["cameras"]["garage"]
    finally:
        for reader in readers:
            reader.close()
    encodes = garage["encodes"] - before
    counts = [len(r) for r in results]
    assert min(counts) >= 30, counts
    # Shared, not one encode per client: the three together got about three times the frames encoded.
    assert sum(counts) >= 2.5 * encodes * 0.9, (counts, encodes)
    assert encodes <= max(counts) + 10, (counts, encodes)
    assert garage["encodes"] <= garage["frames_in"]
    seen = [dict(r) for r in results]
    common = set(seen[0]) & set(seen[1]) & set(seen[2])
    assert len(common) >= 20 and all(seen[0][f] == seen[1][f] == seen[2][f] for f in common)
    web.app.finish()
