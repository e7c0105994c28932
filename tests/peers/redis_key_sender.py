"""The widely copied Redis camera sender: ``SET`` a key (the camera's IP) to a base64 JPEG, then
``PUBLISH`` the key's name on a channel.

    python redis_key_sender.py --port 6379 [--channel img0] [--key 192.168.1.20] [--fps 15] [--seconds 9]

Prints READY once connected, and at the end ``SENT N``.
"""

from __future__ import annotations

import argparse
import base64
import sys
import time

import cv2
import numpy as np
import redis


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--channel", default="img0")
    parser.add_argument("--key", default="192.168.1.20")
    parser.add_argument("--fps", type=float, default=15.0)
    parser.add_argument("--seconds", type=float, default=9.0)
    args = parser.parse_args()
    client = redis.Redis(port=args.port, socket_timeout=5)
    client.ping()
    print("READY", flush=True)
    started = time.monotonic()
    sent = 0
    while time.monotonic() - started < args.seconds:
        image = np.full((240, 320, 3), (sent * 5) % 256, np.uint8)
        ok, jpeg = cv2.imencode(".jpg", image)
        assert ok
        client.set(args.key, base64.b64encode(jpeg.tobytes()))
        client.publish(args.channel, args.key)
        sent += 1
        time.sleep(max(0.0, started + sent / args.fps - time.monotonic()))
    print(f"SENT {sent}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
