"""A real ``imagezmq.ImageSender`` in its own process, for tests.

    python imagezmq_sender.py --connect tcp://127.0.0.1:5555 --mode jpeg --name cam1 [--name cam2 ...]
    python imagezmq_sender.py --pub tcp://127.0.0.1:5556 --mode bgr --name cam1

Modes: ``jpeg`` (send_jpg), ``bgr`` and ``gray`` (send_image of a raw array). Several
``--name`` options alternate frame by frame (one sender, many cameras; ``|jpg`` style
suffixes are kept). Runs until killed or ``--seconds`` pass; prints READY once it sends.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time

import cv2
import imagezmq
import numpy as np


def frame(n: int, width: int, height: int, gray: bool) -> np.ndarray:
    image = np.zeros((height, width, 3), np.uint8)
    image[:, :, 1] = (n * 7) % 256
    cv2.putText(image, f"#{n}", (10, height // 2), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (255, 255, 255), 2)
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if gray else image


def main() -> int:
    parser = argparse.ArgumentParser()
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--connect", help="REQ: the hub to connect to")
    target.add_argument("--pub", help="PUB: where to bind")
    parser.add_argument("--mode", choices=("jpeg", "bgr", "gray"), default="jpeg")
    parser.add_argument("--name", action="append", required=True)
    parser.add_argument("--fps", type=float, default=20.0)
    parser.add_argument("--size", default="320x240")
    parser.add_argument("--seconds", type=float, default=300.0)
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    sender = imagezmq.ImageSender(connect_to=args.connect or args.pub, REQ_REP=args.connect is not None)
    names = itertools.cycle(args.name)
    print("READY", flush=True)
    started = time.monotonic()
    for n in itertools.count():
        if time.monotonic() - started > args.seconds:
            break
        image = frame(n, width, height, args.mode == "gray")
        name = next(names)
        if args.mode == "jpeg":
            ok, jpeg = cv2.imencode(".jpg", image)
            assert ok
            sender.send_jpg(name, jpeg.tobytes())
        else:
            sender.send_image(name, image)
        time.sleep(1.0 / args.fps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
