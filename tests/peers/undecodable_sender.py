"""Sends one plausible imagezmq message whose JPEG no decoder can show, as a hostile peer would.

    python undecodable_sender.py --connect tcp://127.0.0.1:5555 --name bogus [--count 1]

The JPEG's header is sound (a start marker, a frame of 320x240, tables, a first scan), so every
check before decoding passes; its second scan has impossible progressive parameters, which
libjpeg-turbo and OpenCV both refuse outright (a truncated JPEG is not enough: OpenCV shows
most of one). Prints JSON ``{"replies": N}`` once the hub has answered each message.
"""

from __future__ import annotations

import argparse
import json
import sys

import cv2
import numpy as np
import zmq


def undecodable_jpeg(width: int = 320, height: int = 240) -> bytes:
    ok, encoded = cv2.imencode(".jpg", np.zeros((height, width, 3), np.uint8), [cv2.IMWRITE_JPEG_PROGRESSIVE, 1])
    assert ok
    data = bytearray(encoded.tobytes())
    first = data.find(b"\xff\xda")
    second = data.find(b"\xff\xda", first + 2)
    assert first > 0 and second > first, "a progressive JPEG has several scans"
    spectral = second + 5 + 2 * data[second + 4]  # SOS: marker, length, Ns, Ns component specs, then Ss Se
    data[spectral : spectral + 2] = bytes([200, 10])  # Ss past the 63 coefficients and after Se
    return bytes(data)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connect", required=True, help="the hub (REQ, as imagezmq's ImageSender)")
    parser.add_argument("--name", default="bogus")
    parser.add_argument("--count", type=int, default=1)
    args = parser.parse_args()
    context = zmq.Context()
    sock = context.socket(zmq.REQ)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.RCVTIMEO, 10000)
    sock.connect(args.connect)
    replies = 0
    try:
        for _ in range(args.count):
            sock.send_multipart([json.dumps({"msg": args.name}).encode(), undecodable_jpeg()])
            sock.recv()
            replies += 1
    except zmq.Again:
        pass
    finally:
        sock.close()
        context.term()
    print(json.dumps({"replies": replies}), flush=True)
    return 0 if replies == args.count else 1


if __name__ == "__main__":
    sys.exit(main())
