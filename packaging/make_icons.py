"""Draw the Camera Monitor icon and write resources/camera-monitor.{png,ico,icns} (numpy + OpenCV only).

The outputs are committed; run this again only to change the icon: ``python3 packaging/make_icons.py``.
The ICO and ICNS containers hold PNG images, which Windows Vista+ and macOS 10.7+ read directly.
"""

from __future__ import annotations

import struct
from pathlib import Path

import cv2
import numpy as np

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
MASTER = 1024  # drawn once at this size, then shrunk with INTER_AREA


def draw_master() -> np.ndarray:
    """A 2x2 wall of camera tiles on a rounded dark-blue square; one tile shows a lens, one a red REC dot."""
    s = MASTER
    img = np.zeros((s, s, 4), np.uint8)  # BGRA, transparent
    margin, radius = 40, 180
    bg = (92, 52, 22, 255)  # dark blue (BGR)
    _rounded_rect(img, margin, margin, s - margin, s - margin, radius, bg)
    gap, inner = 36, 120
    cell = (s - 2 * inner - gap) // 2
    tiles = [(0, 0), (1, 0), (0, 1), (1, 1)]
    colours = [(200, 130, 40, 255), (160, 110, 50, 255), (120, 170, 70, 255), (190, 150, 70, 255)]
    for (cx, cy), colour in zip(tiles, colours, strict=True):
        x0 = inner + cx * (cell + gap)
        y0 = inner + cy * (cell + gap)
        _rounded_rect(img, x0, y0, x0 + cell, y0 + cell, 48, colour)
    # The lens over the middle of the wall.
    centre = (s // 2, s // 2)
    cv2.circle(img, centre, 190, (40, 24, 12, 255), -1, cv2.LINE_AA)
    cv2.circle(img, centre, 150, (235, 235, 235, 255), -1, cv2.LINE_AA)
    cv2.circle(img, centre, 105, (60, 36, 20, 255), -1, cv2.LINE_AA)
    cv2.circle(img, (centre[0] - 35, centre[1] - 35), 30, (250, 250, 250, 255), -1, cv2.LINE_AA)
    # REC dot in the top-right tile.
    rec = (inner + cell + gap + cell - 80, inner + 80)
    cv2.circle(img, rec, 44, (40, 40, 230, 255), -1, cv2.LINE_AA)
    return img


def _rounded_rect(img: np.ndarray, x0: int, y0: int, x1: int, y1: int, r: int, colour: tuple[int, ...]) -> None:
    cv2.rectangle(img, (x0 + r, y0), (x1 - r, y1), colour, -1, cv2.LINE_AA)
    cv2.rectangle(img, (x0, y0 + r), (x1, y1 - r), colour, -1, cv2.LINE_AA)
    for cx, cy in ((x0 + r, y0 + r), (x1 - r, y0 + r), (x0 + r, y1 - r), (x1 - r, y1 - r)):
        cv2.circle(img, (cx, cy), r, colour, -1, cv2.LINE_AA)


def png_bytes(master: np.ndarray, size: int) -> bytes:
    small = cv2.resize(master, (size, size), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".png", small, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    if not ok:
        raise RuntimeError(f"PNG encoding failed at {size}px")
    return buf.tobytes()


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNG images (ICONDIR + ICONDIRENTRY table + data)."""
    sizes = sorted(images)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    table, data = b"", b""
    for size in sizes:
        blob = images[size]
        dim = 0 if size >= 256 else size  # 0 means 256
        table += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset + len(data))
        data += blob
    return header + table + data


ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09", 1024: b"ic10"}


def icns_bytes(images: dict[int, bytes]) -> bytes:
    """An ICNS file of PNG entries: 'icns' + total length, then (type, length, PNG) per size."""
    body = b"".join(ICNS_TYPES[size] + struct.pack(">I", 8 + len(blob)) + blob for size, blob in sorted(images.items()))
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> None:
    master = draw_master()
    (RESOURCES / "camera-monitor.png").write_bytes(png_bytes(master, 256))
    (RESOURCES / "camera-monitor.ico").write_bytes(
        ico_bytes({s: png_bytes(master, s) for s in (16, 24, 32, 48, 64, 256)})
    )
    (RESOURCES / "camera-monitor.icns").write_bytes(icns_bytes({s: png_bytes(master, s) for s in ICNS_TYPES}))
    print(f"wrote camera-monitor.png/.ico/.icns in {RESOURCES}")


if __name__ == "__main__":
    main()
