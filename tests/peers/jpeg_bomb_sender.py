"""Sends JPEG "bombs" through a real ``imagezmq.ImageSender``: small truncated JPEGs whose header claims a huge frame.

    python jpeg_bomb_sender.py --connect tcp://127.0.0.1:5555 --name bomb [--name bomb-2] [--rate 5] [--seconds 8]
                               [--go-file PATH]

Each bomb is ``--bytes`` long (30 KB) and its header says ``--claim`` (8192x8192): a real
JPEG stripe of that width whose frame height is rewritten, cut short and closed with an EOI
marker, so a lenient full-size decoder (``cv2.imdecode``) fills in the whole claimed frame.
First it sends a few good frames under each name so their tiles exist, prints READY, and
waits for ``--go-file`` to appear (when given); then it sends ``--rate`` bombs a second for
``--seconds``, the names taking turns, and prints ``{"bombs_sent": N}`` (all names together).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import cv2
import imagezmq
import numpy as np

_SOF_MARKERS = {0xC0, 0xC1, 0xC2}  # baseline, extended, progressive
_STRIPE_ROWS = 256


def jpeg_bomb(width: int = 8192, height: int = 8192, size: int = 30_000, eoi: bool = True) -> bytes:
    """``size`` bytes of a JPEG whose header claims ``width`` x ``height``; the scan data is cut short."""
    stripe = np.zeros((_STRIPE_ROWS, width, 3), np.uint8)
    stripe[:, :, 1] = (np.arange(width)[None, :] // 64 * 37) % 256  # texture: the scan data is not tiny
    stripe[:, :, 2] = (np.arange(_STRIPE_ROWS)[:, None] * 5) % 256
    ok, encoded = cv2.imencode(".jpg", stripe, [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    data = bytearray(encoded.tobytes())
    sof = _find_sof(data)
    data[sof + 5 : sof + 7] = height.to_bytes(2, "big")  # segment: FF Cn, length(2), precision(1), height(2), width(2)
    data[sof + 7 : sof + 9] = width.to_bytes(2, "big")
    tail = b"\xff\xd9" if eoi else b""
    assert len(data) > size, f"the stripe is only {len(data)} bytes"
    return bytes(data[: size - len(tail)]) + tail


def _find_sof(data: bytearray) -> int:
    pos = 2  # after SOI
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise ValueError(f"no marker at byte {pos}")
        if data[pos + 1] in _SOF_MARKERS:
            return pos
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    raise ValueError("no SOF marker")


def good_jpeg(n: int) -> bytes:
    image = np.full((240, 320, 3), (n * 20) % 256, np.uint8)
    ok, encoded = cv2.imencode(".jpg", image)
    assert ok
    return encoded.tobytes()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connect", required=True, help="REQ: the hub to connect to")
    parser.add_argument("--name", action="append", required=True, help="repeatable: the names take turns")
    parser.add_argument("--claim", default="8192x8192", help="the frame size the header claims")
    parser.add_argument("--bytes", type=int, default=30_000)
    parser.add_argument("--rate", type=float, default=5.0, help="bombs a second")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--warmup", type=int, default=5, help="good frames sent first under each name")
    parser.add_argument("--go-file", help="wait for this file before bombing")
    args = parser.parse_args()
    width, height = (int(n) for n in args.claim.split("x"))
    bomb = jpeg_bomb(width, height, args.bytes)
    sender = imagezmq.ImageSender(connect_to=args.connect)
    for n in range(args.warmup):
        for name in args.name:
            sender.send_jpg(name, good_jpeg(n))
        time.sleep(0.2)
    print("READY", flush=True)
    while args.go_file and not Path(args.go_file).exists():
        for name in args.name:
            sender.send_jpg(name, good_jpeg(0))  # keeps the tiles live while the test measures
        time.sleep(0.5)
    names = itertools.cycle(args.name)
    sent = 0
    started = time.monotonic()
    while time.monotonic() - started < args.seconds:
        sender.send_jpg(next(names), bomb)
        sent += 1
        time.sleep(max(0.0, started + sent / args.rate - time.monotonic()))
    print(json.dumps({"bombs_sent": sent, "bomb_bytes": len(bomb)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
