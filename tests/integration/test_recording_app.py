"""``--record DIR`` end to end: a real imagezmq hub camera, a real RTSP H.264 camera, a disk that fills up.

The files are read back with ``ffprobe``: what codec, what size, whether every frame reads, how long.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from monitor_app.core.net import free_port
from tests.app_process import App, Processes, tiles
from tests.peers.tool_servers import ToolServer, rtsp_server

pytestmark = pytest.mark.slow


def ffprobe(path: Path, *args: str) -> dict[str, Any]:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", *args, str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    return dict(json.loads(result.stdout))


def probe_file(path: Path) -> tuple[dict[str, Any], float]:
    """The video stream (frames counted by decoding every one) and the file's duration."""
    doc = ffprobe(path, "-count_frames", "-show_streams", "-show_format")
    return doc["streams"][0], float(doc["format"]["duration"])


def noise_jpeg(path: Path, size: tuple[int, int], seed: int) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 255, (size[1], size[0], 3), np.uint8)
    ok, data = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    path.write_bytes(data.tobytes())
    return data.tobytes()


def recording_of(stats: dict[str, Any], camera: str) -> dict[str, Any] | None:
    return tiles(stats).get(camera, {}).get("recording")


def test_record_dir_keeps_a_hub_cameras_jpeg_bytes_unchanged(procs: Processes, tmp_path: Path) -> None:
    jpeg = noise_jpeg(tmp_path / "porch.jpg", (320, 240), 1)
    hub = f"tcp://127.0.0.1:{free_port()}"
    folder = tmp_path / "recordings"
    app = App(procs, tmp_path / "stats.json", "--hub", hub, "--record", str(folder))
    procs.peer("fixed_jpeg_sender.py", "--connect", hub, "--name", "porch", "--fps", "20", str(tmp_path / "porch.jpg"))
    app.wait_for("6 s recorded", lambda s: ((recording_of(s, "porch") or {}).get("seconds") or 0) >= 6)
    stats = app.finish()
    recorded = recording_of(stats, "porch")
    assert recorded is not None and tiles(stats)["porch"]["frames_not_recorded"] == 0
    files = sorted(folder.glob("*.mkv"))
    assert [f.name for f in files] == [Path(recorded["file"]).name]
    stream, duration = probe_file(files[0])
    assert stream["codec_name"] == "mjpeg" and (stream["width"], stream["height"]) == (320, 240)
    sizes = {int(p["size"]) for p in ffprobe(files[0], "-show_packets")["packets"]}
    assert sizes == {len(jpeg)}  # every frame is the sender's own bytes
    assert int(stream["nb_read_frames"]) >= 100
    assert duration == pytest.approx(recorded["seconds"], rel=0.1)


@pytest.fixture
def rtsp(tmp_path: Path) -> Iterator[ToolServer]:
    server = rtsp_server(tmp_path / "rtsp.log", free_port(), "door")
    yield server
    server.stop()


def test_record_dir_stream_copies_an_rtsp_h264_camera(procs: Processes, tmp_path: Path, rtsp: ToolServer) -> None:
    folder = tmp_path / "recordings"
    app = App(procs, tmp_path / "stats.json", "--url", rtsp.urls[0], "--record", str(folder))
    app.wait_for(
        "6 s recorded", lambda s: any(((t.get("recording") or {}).get("seconds") or 0) >= 6 for t in s["tiles"])
    )
    stats = app.finish()
    recorded = stats["tiles"][0]["recording"]
    files = sorted(folder.glob("*.mkv"))
    assert len(files) == 1
    stream, duration = probe_file(files[0])
    assert stream["codec_name"] == "h264" and (stream["width"], stream["height"]) == (640, 360)
    assert int(stream["nb_read_frames"]) >= 60  # 15 fps
    assert duration == pytest.approx(recorded["seconds"], rel=0.1)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 6 MB tmpfs, unmounted at the end; skipped where this user may not mount."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {result.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_stops_the_recording_and_nothing_else(procs: Processes, tmp_path: Path, small_disk: Path) -> None:
    hub = f"tcp://127.0.0.1:{free_port()}"
    for i, name in enumerate(("yard", "gate")):
        noise_jpeg(tmp_path / f"{name}.jpg", (320, 240), i)  # 2 MB/s for both: full after a few 1 s batches
    app = App(procs, tmp_path / "stats.json", "--hub", hub, "--record", str(small_disk))
    for name in ("yard", "gate"):
        procs.peer(
            "fixed_jpeg_sender.py", "--connect", hub, "--name", name, "--fps", "10", str(tmp_path / f"{name}.jpg")
        )
    failed = app.wait_for(
        "the recordings to stop on the full disk",
        lambda s: len(tiles(s)) == 2 and all(t["recording_error"] for t in s["tiles"]),
    )
    for tile in failed["tiles"]:
        assert "disk is full" in tile["recording_error"] and tile["recording"] is None
    later = app.wait_for(
        "the wall to go on",
        lambda s: all(
            t["state"] == "live" and t["frames_displayed"] > tiles(failed)[t["camera"]]["frames_displayed"] + 20
            for t in s["tiles"]
        ),
    )
    assert all(t["recording_error"] for t in later["tiles"])
    app.finish()
    files = sorted(small_disk.glob("*.mkv"))
    assert len(files) == 2
    for path in files:  # what was written plays: every frame in it decodes
        result = subprocess.run(
            ["ffprobe", "-v", "error", "-count_frames", "-show_entries", "stream=codec_name,nb_read_frames",
             "-of", "json", str(path)], capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        stream = json.loads(result.stdout)["streams"][0]
        assert stream["codec_name"] == "mjpeg" and int(stream["nb_read_frames"]) > 0
    assert sys.platform == "linux"
