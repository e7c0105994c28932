"""Snapshots: a camera's newest frame saved as a JPEG file, at the resolution it arrived in.

A JPEG camera's bytes are written exactly as received: nothing is decoded or re-encoded, so a snapshot
is the sender's own picture. A frame of pixels (a raw imagezmq array, a test pattern, a URL camera's
decoded frame) is encoded once, at high quality. Files are named ``<camera>_<YYYYmmdd-HHMMSS.mmm>.jpg``
so they sort by camera, then by time; an existing file is never overwritten.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

import cv2

from monitor_app.core.sources.frames import EncodedFrame

SNAPSHOT_QUALITY = 95
"""JPEG quality for frames of pixels: a snapshot is kept and looked at closely, unlike a frame on the wire."""

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
"""Characters no file name may hold on one platform or another (Windows' list covers the others)."""


def snapshot_name(camera: str, when: datetime) -> str:
    """``Front door_20261201-154500.123.jpg``: the camera's title made safe for every file system."""
    safe = _UNSAFE.sub("_", camera).strip(" .")[:100] or "camera"
    return f"{safe}_{when:%Y%m%d-%H%M%S}.{when.microsecond // 1000:03d}.jpg"


def snapshot_jpeg(frame: EncodedFrame) -> bytes:
    """The JPEG a snapshot of ``frame`` holds: its own bytes, or its pixels encoded once."""
    if frame.jpeg is not None:
        return frame.jpeg
    pixels = frame.pixels
    assert pixels is not None
    if pixels.ndim == 3 and pixels.shape[2] == 4:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_BGRA2BGR)
    ok, encoded = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, SNAPSHOT_QUALITY])
    if not ok:
        raise ValueError(f"this frame ({pixels.shape}) cannot be encoded as JPEG")
    return encoded.tobytes()


def save_snapshot(folder: Path, camera: str, frame: EncodedFrame, when: datetime | None = None) -> Path:
    """Write the snapshot into ``folder`` (made if missing); ``OSError`` when the disk says no.

    The file appears whole or not at all (written beside, then renamed), and never replaces another:
    two snapshots in the same millisecond get ``-2``, ``-3`` ... before the extension.
    """
    data = snapshot_jpeg(frame)
    folder.mkdir(parents=True, exist_ok=True)
    name = snapshot_name(camera, when or datetime.now())
    stem = name[: -len(".jpg")]
    for n in range(1, 1000):
        path = folder / (name if n == 1 else f"{stem}-{n}.jpg")
        partial = path.with_name(path.name + ".part")
        try:
            with open(partial, "xb") as out:  # x: a second writer of the same name moves on to the next
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        except FileExistsError:
            continue
        try:
            if path.exists():
                continue
            os.replace(partial, path)
            return path
        finally:
            partial.unlink(missing_ok=True)
    raise FileExistsError(f"too many snapshots named {name} in {folder}")
