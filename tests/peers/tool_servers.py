"""The real test peers of ``shared/tools`` (RTSP and MJPEG servers) in subprocesses, and a small video clip."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import time
from pathlib import Path

import cv2
import numpy as np

from tests.helpers import SHARED_TOOLS

SERVER_START_S = 120.0  # the first start may install Debian packages


class ToolServer:
    """A test peer from ``shared/tools`` in a subprocess: started, waited for, stopped with SIGTERM."""

    def __init__(self, tool: str, args: list[str], streams: int, log: Path) -> None:
        self.log = log
        with open(log, "ab") as err:
            self.proc = subprocess.Popen(
                [str(SHARED_TOOLS / tool), *args], stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL
            )
        self.urls: list[str] = []
        try:
            self._wait_ready(streams)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, streams: int) -> None:
        assert self.proc.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + SERVER_START_S
        buffer = b""
        try:
            while len(self.urls) < streams:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(f"server not ready in time: {self._log_tail()}")
                if not selector.select(min(left, 1.0)):
                    if self.proc.poll() is not None:
                        raise RuntimeError(f"server exited: {self._log_tail()}")
                    continue
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    raise RuntimeError(f"server closed its output: {self._log_tail()}")
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                self.urls += [line.split()[1].decode() for line in lines if line.startswith(b"READY ")]
        finally:
            selector.close()

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def rtsp_server(log: Path, port: int, *names: str, size: str = "640x360", fps: int = 15) -> ToolServer:
    args = ["--port", str(port), "--size", size, "--fps", str(fps), "--gop", "8", "--bitrate", "500"]
    for name in names:
        args += ["--name", name]
    return ToolServer("rtsp-test-server", args, len(names), log)


def make_clip(path: Path) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15, (320, 240))
    for i in range(30):
        writer.write(np.full((240, 320, 3), (i * 8) % 256, np.uint8))
    writer.release()
    return path
