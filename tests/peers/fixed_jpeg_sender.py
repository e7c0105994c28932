"""A real ``imagezmq.ImageSender`` (REQ) sending the same few JPEG files over and over, for tests.

    python fixed_jpeg_sender.py --connect tcp://127.0.0.1:5555 --name cam1 a.jpg b.jpg c.jpg

A test that knows the files can check that what it gets back is these very bytes. Prints READY.
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

import imagezmq


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connect", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--fps", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    frames = [path.read_bytes() for path in args.files]
    sender = imagezmq.ImageSender(connect_to=args.connect)
    print("READY", flush=True)
    started = time.monotonic()
    for jpeg in itertools.cycle(frames):
        if time.monotonic() - started > args.seconds:
            break
        sender.send_jpg(args.name, jpeg)
        time.sleep(1.0 / args.fps)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
