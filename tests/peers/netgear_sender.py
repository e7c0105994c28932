"""A real vidgear NetGear sender (its send mode), the way vidgear's documentation starts one.

    python netgear_sender.py --port 5555 [--pattern 1|2] [--raw] [--fps 15] [--seconds 9] [--size 320x240]

``--pattern 1`` is NetGear's REQ/REP (it connects a REQ socket and waits for each reply: our hub);
``--pattern 2`` its PUB/SUB (a PUB socket that connects: our ``--sub-bind``). Frames are JPEG
(NetGear's default, simplejpeg) unless ``--raw``. Each frame is a gradient with its number drawn on
it. Prints READY once NetGear is set up, and closes NetGear (its goodbye message) at the end.
"""

from __future__ import annotations

import argparse
import sys
import time

import cv2
import numpy as np
from vidgear.gears import NetGear


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--port", required=True)
    parser.add_argument("--pattern", type=int, choices=(1, 2), default=1)
    parser.add_argument("--raw", action="store_true", help="send raw arrays (jpeg_compression=False)")
    parser.add_argument("--fps", type=float, default=15.0)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--size", default="320x240")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    options: dict[str, object] = {"jpeg_compression": not args.raw}
    if args.pattern == 1:  # keep retrying (4 s each) while the viewer starts or restarts
        options["max_retries"] = 30
    netgear = NetGear(address=args.address, port=args.port, pattern=args.pattern, logging=False, **options)
    print("READY", flush=True)
    started = time.monotonic()
    period = 1.0 / args.fps
    n = 0
    try:
        while time.monotonic() - started < args.seconds:
            image = np.zeros((height, width, 3), np.uint8)
            image[:, :, 1] = np.linspace(0, 255, width, dtype=np.uint8)
            cv2.putText(image, f"#{n}", (10, height // 2), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (255, 255, 255), 2)
            netgear.send(image)
            n += 1
            time.sleep(max(0.0, started + n * period - time.monotonic()))
    finally:
        print(f"SENT {n}", flush=True)
        netgear.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
