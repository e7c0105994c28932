"""Sender processes: imagezmq-format REQ senders replaying pre-encoded JPEG loops at a fixed rate.

One process runs several cameras on one thread (a poller over their REQ sockets), so 32 cameras
do not cost 32 Python interpreters. Each camera behaves like a real one: it produces a frame every
1/fps seconds; when the receiver has not yet replied to the previous frame, the new frame is
skipped (counted), never queued. A reply that does not come within ``REPLY_TIMEOUT_S`` means the
receiver went away: the socket is closed and opened again (the "lazy pirate" pattern), which is
also how the senders move from our app to the naive one when it binds the same endpoint.
"""

from __future__ import annotations

import json
import math
import multiprocessing as mp
import multiprocessing.synchronize
import time
from dataclasses import dataclass
from typing import Any

import zmq

from monitor_app.bench.scene import frame_loop

REPLY_TIMEOUT_S = 1.0
LOOP_FRAMES = 30


@dataclass
class SenderPlan:
    """What one sender process sends: its cameras, where, at which size, rate and quality."""

    endpoint: str
    names: list[str]
    first_index: int  # position of names[0] in the shared counter arrays
    width: int
    height: int
    fps: float
    quality: int
    seed: int


@dataclass
class _Camera:
    name: str
    index: int
    socket: zmq.Socket[Any] | None = None
    waiting_since: float | None = None
    due: float = 0.0
    frame: int = 0


class SenderGroup:
    """The sender processes of one bench run, with shared counters of frames sent and skipped."""

    def __init__(self, endpoint: str, tiles: int, width: int, height: int, fps: float, quality: int) -> None:
        ctx = mp.get_context("spawn")
        self.names = [f"cam{n:02d}" for n in range(1, tiles + 1)]
        self.sent = ctx.Array("q", tiles, lock=False)
        self.skipped = ctx.Array("q", tiles, lock=False)
        self.ready = ctx.Value("i", 0)
        self._stop = ctx.Event()
        per_process = 8
        self._processes = []
        for start in range(0, tiles, per_process):
            plan = SenderPlan(
                endpoint, self.names[start : start + per_process], start, width, height, fps, quality, seed=start + 1
            )
            proc = ctx.Process(
                target=run_senders,
                args=(plan, self.sent, self.skipped, self.ready, self._stop),
                name=f"bench-sender-{start}",
                daemon=True,
            )
            self._processes.append(proc)

    def start(self, timeout_s: float = 60.0) -> None:
        for proc in self._processes:
            proc.start()
        deadline = time.monotonic() + timeout_s
        while self.ready.value < len(self._processes):
            if time.monotonic() > deadline or any(p.exitcode not in (None, 0) for p in self._processes):
                raise RuntimeError("sender processes did not start")
            time.sleep(0.05)

    def pids(self) -> list[int]:
        return [p.pid for p in self._processes if p.pid is not None and p.exitcode is None]

    def counts(self) -> tuple[list[int], list[int]]:
        return list(self.sent), list(self.skipped)

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        for proc in self._processes:
            proc.join(timeout_s)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout_s)


def run_senders(
    plan: SenderPlan,
    sent: Any,
    skipped: Any,
    ready: Any,
    stop: multiprocessing.synchronize.Event,
) -> None:
    """Body of one sender process; returns within ~50 ms of ``stop`` being set."""
    frames = frame_loop(plan.width, plan.height, LOOP_FRAMES, plan.quality, plan.seed)
    ctx = zmq.Context()
    period = 1.0 / plan.fps
    start = time.monotonic()
    cameras = [
        _Camera(name, plan.first_index + i, due=start + period * i / len(plan.names), frame=i * 7)
        for i, name in enumerate(plan.names)
    ]
    with ready.get_lock():
        ready.value += 1
    try:
        _loop(ctx, plan, cameras, frames, period, sent, skipped, stop)
    finally:
        for cam in cameras:
            if cam.socket is not None:
                cam.socket.close(linger=0)
        ctx.term()


def _open(ctx: zmq.Context[Any], endpoint: str) -> zmq.Socket[Any]:
    sock = ctx.socket(zmq.REQ)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(endpoint)
    return sock


def _loop(
    ctx: zmq.Context[Any],
    plan: SenderPlan,
    cameras: list[_Camera],
    frames: list[bytes],
    period: float,
    sent: Any,
    skipped: Any,
    stop: multiprocessing.synchronize.Event,
) -> None:
    poller = zmq.Poller()
    for cam in cameras:
        cam.socket = _open(ctx, plan.endpoint)
        poller.register(cam.socket, zmq.POLLIN)
    by_socket = {cam.socket: cam for cam in cameras}
    while not stop.is_set():
        now = time.monotonic()
        next_due = min(cam.due for cam in cameras)
        # Round the wait up: a 0 ms poll while a frame is due in 0.4 ms would spin.
        for sock, _ in poller.poll(max(0, min(50, math.ceil((next_due - now) * 1000)))):
            cam = by_socket[sock]
            sock.recv()
            cam.waiting_since = None
        now = time.monotonic()
        for cam in cameras:
            if cam.waiting_since is not None and now - cam.waiting_since > REPLY_TIMEOUT_S:
                assert cam.socket is not None
                poller.unregister(cam.socket)
                del by_socket[cam.socket]
                cam.socket.close(linger=0)
                cam.socket = _open(ctx, plan.endpoint)
                poller.register(cam.socket, zmq.POLLIN)
                by_socket[cam.socket] = cam
                cam.waiting_since = None
            if now < cam.due:
                continue
            missed = int((now - cam.due) / period)  # whole periods we were too late for
            cam.due += period * (missed + 1)
            if missed:
                skipped[cam.index] += missed
            if cam.waiting_since is not None:
                skipped[cam.index] += 1  # the receiver has not taken the last one: a camera does not wait
                continue
            assert cam.socket is not None
            header = json.dumps({"msg": cam.name, "sent_at": time.time()}).encode()
            try:
                cam.socket.send_multipart([header, frames[cam.frame % len(frames)]], flags=zmq.NOBLOCK, copy=False)
            except zmq.Again:  # no receiver connected yet
                skipped[cam.index] += 1
                continue
            cam.frame += 1
            cam.waiting_since = now
            sent[cam.index] += 1
