"""Snapshot files: a JPEG camera's bytes as received, pixels encoded once, names that sort and never clash."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from monitor_app.core.snapshots import save_snapshot, snapshot_name
from monitor_app.core.sources.frames import EncodedFrame

WHEN = datetime(2026, 12, 1, 15, 45, 0, 123456)


def test_names_sort_by_camera_then_time_and_are_safe_on_every_file_system() -> None:
    assert snapshot_name("Front door", WHEN) == "Front door_20261201-154500.123.jpg"
    assert snapshot_name('a/b\\c:d*e?"f<g>h|i\x01', WHEN) == "a_b_c_d_e_f_g_h_i__20261201-154500.123.jpg"
    assert snapshot_name(" .. ", WHEN).startswith("camera_")


def test_a_jpeg_cameras_bytes_are_written_exactly_as_received(tmp_path: Path) -> None:
    ok, encoded = cv2.imencode(".jpg", np.full((480, 640, 3), 77, np.uint8))
    assert ok
    jpeg = encoded.tobytes()
    path = save_snapshot(tmp_path / "new folder", "porch", EncodedFrame("porch", jpeg=jpeg), WHEN)
    assert path.read_bytes() == jpeg
    assert path.name == "porch_20261201-154500.123.jpg" and list(path.parent.iterdir()) == [path]


@pytest.mark.parametrize("channels", [1, 3, 4])
def test_pixels_are_encoded_once_at_their_own_size(tmp_path: Path, channels: int) -> None:
    shape = (720, 1280) if channels == 1 else (720, 1280, channels)
    pixels = np.random.default_rng(1).integers(0, 255, shape, dtype=np.uint8)
    path = save_snapshot(tmp_path, "raw", EncodedFrame("raw", pixels=pixels), WHEN)
    decoded = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    assert decoded is not None and decoded.shape[:2] == (720, 1280)


def test_snapshots_of_the_same_millisecond_never_overwrite_each_other(tmp_path: Path) -> None:
    frames = [EncodedFrame("cam", jpeg=_jpeg(v)) for v in (10, 20, 30)]
    paths = [save_snapshot(tmp_path, "cam", frame, WHEN) for frame in frames]
    assert [p.name for p in paths] == [
        "cam_20261201-154500.123.jpg",
        "cam_20261201-154500.123-2.jpg",
        "cam_20261201-154500.123-3.jpg",
    ]
    assert [p.read_bytes() for p in paths] == [f.jpeg for f in frames]
    assert not list(tmp_path.glob("*.part"))


def test_a_folder_that_is_a_file_says_so(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OSError):
        save_snapshot(tmp_path / "file", "cam", EncodedFrame("cam", jpeg=_jpeg(1)), WHEN)


def _jpeg(value: int) -> bytes:
    ok, encoded = cv2.imencode(".jpg", np.full((24, 32, 3), value, np.uint8))
    assert ok
    return encoded.tobytes()
