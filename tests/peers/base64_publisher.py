"""A plain base64 JPEG publisher, the way many tutorials write one (no imagezmq, no name).

    python base64_publisher.py --bind tcp://127.0.0.1:5557 [--fps 20] [--bytes]

Sends single-part messages: ``base64(cv2.imencode(".jpg", frame))`` as a string, or with
``--bytes`` the JPEG bytes themselves. Prints READY once bound; runs until killed.
"""

from __future__ import annotations

import argparse
import base64
import itertools
import sys
import time

import cv2
import numpy as np
import zmq


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bind", required=True)
    parser.add_argument("--fps", type=float, default=20.0)
    parser.add_argument("--bytes", action="store_true", help="send raw JPEG bytes instead of base64 text")
    parser.add_argument("--seconds", type=float, default=300.0)
    args = parser.parse_args()
    context = zmq.Context()
    sock = context.socket(zmq.PUB)
    sock.setsockopt(zmq.LINGER, 0)
    sock.bind(args.bind)
    print("READY", flush=True)
    started = time.monotonic()
    for n in itertools.count():
        if time.monotonic() - started > args.seconds:
            break
        image = np.full((240, 320, 3), (n * 5) % 256, np.uint8)
        ok, jpeg = cv2.imencode(".jpg", image)
        assert ok
        if args.bytes:
            sock.send(jpeg.tobytes())
        else:
            sock.send_string(base64.b64encode(jpeg.tobytes()).decode("ascii"))
        time.sleep(1.0 / args.fps)
    sock.close()
    context.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())
