"""JPEG cameras reach the browser as they were sent: the same bytes, and not one JPEG encode."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from monitor_app.core.net import free_port
from tests.app_process import Processes
from tests.web.web_app import MjpegReader, WebApp


def test_jpeg_frames_from_an_imagezmq_sender_are_forwarded_byte_for_byte(procs: Processes, tmp_path: Path) -> None:
    files = []
    for n in range(3):
        image = np.full((240, 320, 3), (40 * n, 90, 200 - 50 * n), np.uint8)
        cv2.putText(image, f"frame {n}", (20, 120), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (255, 255, 255), 3)
        ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 70 + 10 * n])
        assert ok
        files.append(tmp_path / f"frame{n}.jpg")
        files[-1].write_bytes(jpeg.tobytes())
    sent = {path.read_bytes() for path in files}
    hub = f"tcp://127.0.0.1:{free_port()}"
    web = WebApp(procs, tmp_path, "--hub", hub)
    web.wait_ready()
    procs.peer("fixed_jpeg_sender.py", "--connect", hub, "--name", "door", "--fps", "25", *map(str, files))
    stats = web.wait_for("the sender's camera", lambda s: any(t["frames_received"] for t in s["tiles"]))
    (camera,) = web.json("/api/cameras")
    assert camera["title"] == "door", stats["tiles"]

    reader = MjpegReader(web.port, camera["mjpeg"])
    try:
        parts = reader.parts_for(3.0)
    finally:
        reader.close()
    assert len(parts) >= 15, len(parts)
    assert all(jpeg in sent for _, jpeg in parts)
    assert {jpeg for _, jpeg in parts} == sent  # every file came through, as it was
    status, snapshot = web.get(camera["snapshot"])
    assert status == 200 and snapshot in sent
    web_stats = web.web_stats()
    assert web_stats["jpeg_encodes"] == 0
    assert web_stats["frames_forwarded"] >= len(parts)
    web.app.finish()
