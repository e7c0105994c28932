"""The real app with ``--web`` on a free loopback port, and small HTTP clients of its routes."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from monitor_app.core.net import free_port
from tests.app_process import App, Processes


def pattern_layout(path: Path, count: int, columns: int, fps: float = 10.0, size: tuple[int, int] = (320, 180)) -> Path:
    """A layout of ``count`` test-pattern cameras (raw pixels), the first one spanning 2x2."""
    rows = -(-(count + 3) // columns)
    cameras, cells = [], [(r, c) for r in range(rows) for c in range(columns) if not (r < 2 and c < 2)]
    for n in range(count):
        cell, span = ([0, 0], [2, 2]) if n == 0 else (list(cells[n - 1]), [1, 1])
        cameras.append(
            {"id": f"cam{n:02d}", "title": f"Camera {n + 1}", "connection": f"c{n}", "cell": cell, "span": span}
        )
    layout = {
        "schema_version": 1,
        "title": f"{count} cameras",
        "grid": {"rows": rows, "columns": columns},
        "connections": [
            {"id": f"c{n}", "kind": "pattern", "width": size[0], "height": size[1], "fps": fps} for n in range(count)
        ],
        "cameras": cameras,
    }
    path.write_text(json.dumps(layout))
    return path


class WebApp:
    """``camera-monitor ARGS --web 127.0.0.1:PORT``, ready once ``/api/cameras`` answers."""

    def __init__(
        self,
        procs: Processes,
        tmp_path: Path,
        *args: str,
        exit_after: float = 60,
        host: str = "127.0.0.1",
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        web = ("--web", f"{host}:{self.port}")
        self.app = App(procs, tmp_path / "stats.json", *args, *web, exit_after=exit_after, env=env)

    def wait_ready(self, token: str | None = None, timeout_s: float = 30) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.app.proc.poll() is None, "the app exited"
            try:
                status, _ = self.get("/api/cameras", token=token)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("the web server did not answer")

    def get(self, path: str, token: str | None = None, timeout_s: float = 10) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def json(self, path: str) -> Any:
        status, body = self.get(path)
        assert status == 200, (status, body)
        return json.loads(body)

    def web_stats(self) -> dict[str, Any]:
        return dict(self.json("/api/stats")["web"])

    def wait_for(self, what: str, condition: Any, timeout_s: float = 20) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            stats = self.json("/api/stats")
            if condition(stats):
                return dict(stats)
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what}: {json.dumps(stats)[:3000]}")


class MjpegReader:
    """A client of ``stream.mjpg`` on a raw socket: parses each part's headers and JPEG."""

    def __init__(self, port: int, path: str, timeout_s: float = 10) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout_s)
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        self.file = self.sock.makefile("rb")
        status = self.file.readline()
        assert b" 200 " in status, status
        headers = self._headers()
        assert headers["content-type"].startswith("multipart/x-mixed-replace"), headers
        self.chunked = headers.get("transfer-encoding") == "chunked"
        self.buffer = b""

    def _headers(self) -> dict[str, str]:
        headers = {}
        while (line := self.file.readline().strip()) != b"":
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        return headers

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self.buffer += self._chunk()
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _chunk(self) -> bytes:
        if not self.chunked:
            data = self.file.read1(65536)
            assert data, "the stream ended"
            return data
        size = int(self.file.readline().strip(), 16)
        data = self.file.read(size)
        self.file.readline()
        return data

    def _line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            self.buffer += self._chunk()
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        return line

    def part(self) -> tuple[int, bytes]:
        """The next part: (its X-Frame number, its JPEG bytes)."""
        while (line := self._line()) == b"":
            pass
        assert line.startswith(b"--frame"), line
        headers = {}
        while (line := self._line()) != b"":
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        return int(headers["x-frame"]), self._read(int(headers["content-length"]))

    def parts_for(self, seconds: float) -> list[tuple[int, bytes]]:
        parts, deadline = [], time.monotonic() + seconds
        while time.monotonic() < deadline:
            parts.append(self.part())
        return parts

    def close(self) -> None:
        self.file.close()
        self.sock.close()
