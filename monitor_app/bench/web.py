"""``camera-monitor bench --web``: what the browser view costs the app, with 1, 5 and 20 browser-like clients.

JPEG senders (``bench/senders.py``) feed the real app's ``--hub``; the app serves ``--web`` on
loopback. Each client behaves like the page: one WebSocket, a ``watch`` of every camera, an ack for
every frame. For each number of clients the bench reads the app's CPU time (``/proc``) and its
``/api/stats`` counters over the same span and reports CPU per forwarded frame, the rate each
client got, and the JPEG encodes (0 for JPEG sources). Then one more client stops reading
(a raw socket on ``stream.mjpg``): the others' rate and the app's memory before and after.
The clients run in this process: on a small machine they take CPU the app would otherwise have.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from monitor_app.bench.machine import process_cpu_s, process_rss_mb
from monitor_app.bench.measure import WindowProcess, this_program
from monitor_app.bench.senders import SenderGroup
from monitor_app.core.net import free_port

CLIENT_COUNTS = (1, 5, 20)
READY_TIMEOUT_S = 60.0


def run_web_bench(tiles: int, size: tuple[int, int], fps: float, seconds: float, quality: int) -> dict[str, Any]:
    """Run the phases and return the JSON document (``commands/bench.py`` prints and writes it)."""
    endpoint, port = f"tcp://127.0.0.1:{free_port()}", free_port()
    work = Path(tempfile.mkdtemp(prefix="bench-web-"))
    senders = SenderGroup(endpoint, tiles, size[0], size[1], fps, quality)
    run_s = 60 + (len(CLIENT_COUNTS) + 2) * (seconds + 3)
    command = [
        *this_program(), "--hub", endpoint, "--web", f"127.0.0.1:{port}",
        "--exit-after", f"{run_s:.0f}", "--stats-json", str(work / "stats.json"),
    ]  # fmt: skip
    app: WindowProcess | None = None
    try:
        senders.start()
        app = WindowProcess("web", command, work / "stats.json", work)
        base = f"http://127.0.0.1:{port}"
        cameras = asyncio.run(_wait_for_cameras(base, tiles, app.proc))
        phases = {"0": asyncio.run(_phase(base, app.proc.pid, cameras, 0, seconds))}
        for count in CLIENT_COUNTS:
            phase = phases[str(count)] = asyncio.run(_phase(base, app.proc.pid, cameras, count, seconds))
            extra = phase["app_cpu_fraction"] - phases["0"]["app_cpu_fraction"]  # over the window's own work
            sent = phase["frames_sent_per_s"]
            phase["marginal_cpu_ms_per_forwarded_frame"] = round(1000 * extra / sent, 3) if sent else None
        slow = asyncio.run(_slow_client_phase(base, port, app.proc.pid, cameras, seconds))
    finally:
        if app is not None:
            app.stop()
        senders.stop()
    return {
        "config": {"tiles": tiles, "size": list(size), "fps": fps, "seconds": seconds, "quality": quality},
        "clients": phases,
        "jpeg_encodes": phases[str(CLIENT_COUNTS[-1])]["jpeg_encodes_total"],
        "slow_client": slow,
    }


async def _wait_for_cameras(base: str, tiles: int, proc: subprocess.Popen[bytes]) -> list[str]:
    deadline = time.monotonic() + READY_TIMEOUT_S
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the app exited ({proc.returncode})")
            try:
                async with session.get(base + "/api/cameras") as response:
                    cameras = await response.json()
                live = [c["id"] for c in cameras if c["state"] == "live"]
                if len(live) >= tiles:
                    return live
            except (aiohttp.ClientError, ValueError):
                pass
            await asyncio.sleep(0.5)
    raise RuntimeError(f"not every camera was live within {READY_TIMEOUT_S:.0f} s")


async def _stats(session: aiohttp.ClientSession, base: str) -> dict[str, Any]:
    async with session.get(base + "/api/stats") as response:
        return dict(await response.json())


async def _page(base: str, cameras: list[str], frames: list[int], index: int, stop: asyncio.Event) -> None:
    """A browser-like client: watches every camera and acks each frame the moment it arrives."""
    sizes = {c: [320, 180] for c in cameras}
    async with aiohttp.ClientSession() as session, session.ws_connect(base.replace("http", "ws") + "/ws") as ws:
        await ws.send_json({"type": "watch", "sizes": sizes})
        while not stop.is_set():
            try:
                message = await ws.receive(timeout=0.5)
            except TimeoutError:
                continue
            if message.type is aiohttp.WSMsgType.BINARY:
                (length,) = struct.unpack_from(">H", message.data)
                frames[index] += 1
                await ws.send_str(json.dumps({"type": "ack", "camera": message.data[2 : 2 + length].decode()}))
            elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                return


async def _phase(base: str, pid: int, cameras: list[str], clients: int, seconds: float) -> dict[str, Any]:
    frames = [0] * clients
    stop = asyncio.Event()
    tasks = [asyncio.create_task(_page(base, cameras, frames, n, stop)) for n in range(clients)]
    async with aiohttp.ClientSession() as session:
        await asyncio.sleep(2.0)  # connected and streaming
        before, cpu_before, got_before, t0 = await _stats(session, base), process_cpu_s(pid), list(frames), _now()
        await asyncio.sleep(seconds)
        after, cpu_after, got_after, t1 = await _stats(session, base), process_cpu_s(pid), list(frames), _now()
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    span, web0, web1 = t1 - t0, before["web"], after["web"]
    sent = web1["frames_sent"] - web0["frames_sent"]
    cpu = cpu_after - cpu_before
    per_client = [(b - a) / span for a, b in zip(got_before, got_after, strict=True)]
    return {
        "app_cpu_fraction": round(cpu / span, 3),  # of one core
        "frames_sent_per_s": round(sent / span, 1),
        "cpu_ms_per_forwarded_frame": round(1000 * cpu / sent, 3) if sent else None,
        "fps_per_client_per_camera_min": round(min(per_client) / len(cameras), 2) if clients else None,
        "jpeg_encodes": web1["jpeg_encodes"] - web0["jpeg_encodes"],
        "jpeg_encodes_total": web1["jpeg_encodes"],
        "rss_mb": round(process_rss_mb(pid), 1),
    }


def _now() -> float:
    return time.monotonic()


async def _slow_client_phase(base: str, port: int, pid: int, cameras: list[str], seconds: float) -> dict[str, Any]:
    """Five clients; then a sixth that requests a stream and stops reading: the five's rate, the app's memory."""
    alone = await _phase(base, pid, cameras, 5, seconds)
    slow = socket.socket()
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.connect(("127.0.0.1", port))
    slow.sendall(f"GET /cameras/{cameras[0]}/stream.mjpg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    try:
        with_slow = await _phase(base, pid, cameras, 5, seconds)
        async with aiohttp.ClientSession() as session:
            buffered = (await _stats(session, base))["web"]["max_client_buffer_bytes"]
    finally:
        slow.close()
    return {
        "fps_per_client_per_camera_without": alone["fps_per_client_per_camera_min"],
        "fps_per_client_per_camera_with": with_slow["fps_per_client_per_camera_min"],
        "rss_mb_without": alone["rss_mb"],
        "rss_mb_with": with_slow["rss_mb"],
        "slow_client_buffer_bytes": buffered,
    }


def main(tiles: int, size: tuple[int, int], fps: float, seconds: float, quality: int, out: str | None) -> int:
    print(f"bench --web: {tiles} cameras {size[0]}x{size[1]} at {fps:g} fps, {seconds:g} s a phase", file=sys.stderr)
    try:
        doc = run_web_bench(tiles, size, fps, seconds, quality)
    except RuntimeError as exc:
        print(f"camera-monitor bench --web: {exc}", file=sys.stderr)
        return 1
    text = json.dumps(doc, indent=2)
    print(text)
    if out:
        Path(out).write_text(text + "\n")
    return 0
