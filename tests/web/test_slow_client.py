"""A client that stops reading holds one frame and its socket's buffer: the others' rate and the app's memory stay."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from tests.app_process import Processes
from tests.web.web_app import MjpegReader, WebApp, pattern_layout

PATH = "/cameras/cam00/stream.mjpg"


def test_a_client_that_stops_reading_slows_nobody_and_grows_nothing(procs: Processes, tmp_path: Path) -> None:
    # Big frames of pixels (1280x720 at 30 fps, about 150 KB each as JPEG): a queue would show within seconds.
    layout = pattern_layout(tmp_path / "one.json", 1, columns=2, fps=30, size=(1280, 720))
    web = WebApp(procs, tmp_path, str(layout))
    web.wait_ready()
    reader = MjpegReader(web.port, PATH)
    slow = socket.socket()
    try:
        reader.parts_for(1.0)  # warmed up
        alone = len(reader.parts_for(3.0)) / 3.0
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.connect(("127.0.0.1", web.port))
        slow.sendall(f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())  # and never reads a byte
        web.wait_for("the slow client", lambda s: s["web"]["streams"] == 2)
        time.sleep(1.0)  # its buffers fill
        rss_before = web.json("/api/stats")["app"]["rss_mb"]
        shared = len(reader.parts_for(4.0)) / 4.0
        time.sleep(1.5)  # the window publishes its stats (and resident memory) every second
        stats = web.json("/api/stats")
    finally:
        slow.close()
        reader.close()
    assert alone >= 20, alone
    assert shared >= 0.75 * alone, (alone, shared)
    assert stats["web"]["streams"] == 2, stats["web"]
    assert stats["web"]["max_client_buffer_bytes"] < 1_000_000, stats["web"]
    # 5.5 s of unread frames would be ~25 MB if they queued; what grows instead is noise.
    assert stats["app"]["rss_mb"] - rss_before < 15, (rss_before, stats["app"]["rss_mb"])
    web.app.finish()
