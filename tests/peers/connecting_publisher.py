"""A PUB camera that *connects* to the viewer, as in the widely copied "OpenCV video over ZeroMQ" example.

    python connecting_publisher.py --connect tcp://127.0.0.1:5555 [--fps 15] [--seconds 9]
    python connecting_publisher.py --connect tcp://127.0.0.1:5555 --imagezmq --name garage

By default it sends what the tutorial sends: ``socket.send_string(base64.b64encode(jpeg))``, one
part, no name. With ``--imagezmq`` it sends imagezmq's two-part ``send_jpg`` message (through
imagezmq's own ``SerializingContext``) under ``--name``. Prints READY once connected (ZeroMQ
keeps trying until the viewer binds); runs until ``--seconds`` pass or it is killed.
"""

from __future__ import annotations

import argparse
import base64
import sys
import time

import cv2
import imagezmq.imagezmq as izmq
import numpy as np
import zmq


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connect", required=True)
    parser.add_argument("--imagezmq", action="store_true", help="imagezmq two-part messages instead of base64")
    parser.add_argument("--name", default="camera")
    parser.add_argument("--fps", type=float, default=15.0)
    parser.add_argument("--seconds", type=float, default=300.0)
    args = parser.parse_args()
    context = izmq.SerializingContext()
    sock = context.socket(zmq.PUB)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(args.connect)
    print("READY", flush=True)
    started = time.monotonic()
    period = 1.0 / args.fps
    n = 0
    while time.monotonic() - started < args.seconds:
        image = np.zeros((240, 320, 3), np.uint8)
        image[:, :, 2] = (n * 5) % 256
        cv2.putText(image, f"#{n}", (10, 120), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (255, 255, 255), 2)
        ok, encoded = cv2.imencode(".jpg", image)
        assert ok
        if args.imagezmq:
            sock.send_jpg(args.name, encoded.tobytes())
        else:
            sock.send_string(base64.b64encode(encoded.tobytes()).decode("ascii"))
        n += 1
        time.sleep(max(0.0, started + n * period - time.monotonic()))
    sock.close()
    context.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())
