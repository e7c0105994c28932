"""imagenode's exact messages through a real ``imagezmq.ImageSender`` (REQ), for tests.

    python imagenode_sender.py --connect tcp://127.0.0.1:5555 [--frame-seconds 4] [--seconds 60]

One node, ``Garage``, with two views as imagenode names them (``NODE VIEW``): ``Garage Driveway``
sends ``send_jpg`` frames (``|jpg``) and ``Garage Door`` raw ``send_image`` frames (``|image``).
Like imagenode it first sends ``Garage|Restart|...``, then a ``Garage|Heartbeat`` every second and
motion events (``Garage Driveway|motion|moving`` / ``|still``) with a 2x2 black image. After
``--frame-seconds`` the views stop sending frames (heartbeats and events go on) and it prints one
JSON line: the frames sent per camera. Prints READY first.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time

import cv2
import imagezmq
import numpy as np

TINY = np.zeros((2, 2), np.uint8)
"""What imagenode sends with an event or a heartbeat: a tiny black image, not a picture."""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connect", required=True)
    parser.add_argument("--frame-seconds", type=float, default=4.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    sender = imagezmq.ImageSender(connect_to=args.connect)
    print("READY", flush=True)
    sender.send_image("Garage|Restart|imagenode.py", TINY)
    sent = {"Garage Driveway": 0, "Garage Door": 0}
    started = time.monotonic()
    next_beat = next_event = started
    frames_done = False
    for n in itertools.count():
        now = time.monotonic()
        if now - started > args.seconds:
            break
        if now - started < args.frame_seconds:
            image = np.full((240, 320, 3), (n * 9) % 256, np.uint8)
            ok, jpeg = cv2.imencode(".jpg", image)
            assert ok
            sender.send_jpg("Garage Driveway|jpg", jpeg.tobytes())
            sender.send_image("Garage Door|image", image)
            sent["Garage Driveway"] += 1
            sent["Garage Door"] += 1
        elif not frames_done:
            frames_done = True
            print(json.dumps(sent), flush=True)
        if now >= next_event:
            state = "moving" if n % 2 == 0 else "still"
            sender.send_image(f"Garage Driveway|motion|{state}", TINY)
            next_event = now + 0.7
        if now >= next_beat:
            sender.send_image("Garage|Heartbeat", TINY)
            next_beat = now + 1.0
        time.sleep(0.1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
