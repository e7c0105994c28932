"""Throws malformed messages at an imagezmq hub, as an attacker on the network could.

    python hostile_sender.py --connect tcp://127.0.0.1:5555 [--rounds 3] [--victim req-jpeg] [--huge BYTES]

Every message that reaches the hub's parser is counted in ``bad_expected`` (printed as JSON
at the end): wrong part counts, bad JSON, bad dtype / shape / length, corrupt JPEG headers,
a missing REQ envelope. Beyond those it sends a message over the hub's size cap (ZeroMQ
drops that connection), a truncated JPEG (caught by the header check or
the decoder), and raw TCP garbage that is not ZeroMQ at all.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time

import cv2
import numpy as np
import zmq


def header(**fields: object) -> bytes:
    return json.dumps(fields).encode()


def bad_messages(victim: str) -> list[list[bytes]]:
    """Each is one message's parts (after the REQ envelope); every one must be counted as bad."""
    gray = np.zeros((10, 10), np.uint8).tobytes()
    return [
        [b"only one part"],
        [header(msg=victim), b"x", b"a third part"],
        [b"{not json", b"payload"],
        [b"\xff\xfe\x00 not utf-8", b"payload"],
        [header(msg=victim)[:-1] + b",}", b"payload"],
        [b"[1, 2, 3]", b"payload"],
        [b'"just a string"', b"payload"],
        [header(name="no msg key"), b"payload"],
        [header(msg=42), b"payload"],
        [header(msg=victim, dtype="float64", shape=[10, 10]), np.zeros((10, 10)).tobytes()],
        [header(msg=victim, dtype="object", shape=[10, 10]), gray],
        [header(msg=victim, dtype="uint8", shape=[10]), gray],
        [header(msg=victim, dtype="uint8", shape=[10, 10, 1, 1]), gray],
        [header(msg=victim, dtype="uint8", shape=[5, 10, 2]), gray],
        [header(msg=victim, dtype="uint8", shape=[100000, 100000]), gray],
        [header(msg=victim, dtype="uint8", shape=[-10, -10]), gray],
        [header(msg=victim, dtype="uint8", shape=["10", 10]), gray],
        [header(msg=victim, dtype="uint8", shape=[10, 11]), gray],
        [header(msg=victim, dtype="uint8", shape=[10, 10, 3]), gray],
        [header(msg=victim), b"this is not a JPEG at all"],
        [header(msg=victim), b"\xff\xd8\xff" + os.urandom(2000)],
        [header(msg=victim), b""],
        [header(msg="x" * 5000), b"payload"],
    ]


def send_req(context: zmq.Context, endpoint: str, parts: list[bytes]) -> bool:
    """Send as a REQ peer; True if the hub replied within 2 s."""
    sock = context.socket(zmq.REQ)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.RCVTIMEO, 2000)
    sock.connect(endpoint)
    try:
        sock.send_multipart(parts)
        sock.recv()
        return True
    except zmq.Again:
        return False
    finally:
        sock.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connect", required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--victim", default="victim", help="a good camera's name to put in bad headers")
    parser.add_argument("--huge", type=int, default=0, help="also send a message of this many bytes")
    # Random bytes on the port can parse as ZMTP 1.0 frames, a varying number of "messages":
    # leave them out where the count of bad messages must come out exact.
    parser.add_argument("--no-raw-garbage", action="store_true", help="skip the raw TCP garbage")
    args = parser.parse_args()
    context = zmq.Context()
    host, port = args.connect.rsplit("/", 1)[-1].rsplit(":", 1)
    ok, good_jpeg = cv2.imencode(".jpg", np.zeros((120, 160, 3), np.uint8))
    assert ok
    truncated = good_jpeg.tobytes()[: len(good_jpeg) // 2]
    expected = replies = 0
    # A DEALER can skip the REQ envelope entirely.
    dealer = context.socket(zmq.DEALER)
    dealer.setsockopt(zmq.LINGER, 0)
    dealer.connect(args.connect)
    for _ in range(args.rounds):
        for parts in bad_messages(args.victim):
            replies += send_req(context, args.connect, parts)
            expected += 1
        dealer.send_multipart([header(msg=args.victim), good_jpeg.tobytes()])  # no empty delimiter frame
        expected += 1
        send_req(context, args.connect, [header(msg="hostile-truncated"), truncated])
        expected += 1  # refused by the hub's JPEG header check, or else by the decoder
        if args.huge:
            send_req(context, args.connect, [header(msg=args.victim), b"\xff\xd8\xff" + bytes(args.huge)])
        if not args.no_raw_garbage:
            with socket.create_connection((host, int(port)), timeout=2) as raw:
                raw.sendall(os.urandom(4096))
        time.sleep(0.05)
    dealer.close()
    context.term()
    print(json.dumps({"bad_expected": expected, "replies": replies}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
