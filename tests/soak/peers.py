"""The storm's real peers, each a process that can be killed, frozen and brought back on its own port."""

from __future__ import annotations

import json
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import ROOT
from tests.peers.tool_servers import ToolServer

PEERS = ROOT / "tests" / "peers"
READY_TIMEOUT_S = 60.0


class Peer:
    """One sender or server; ``start`` returns once it says READY, and records when that was."""

    def __init__(self, name: str, kind: str, log_dir: Path) -> None:
        self.name, self.kind, self.log_dir = name, kind, log_dir
        self.ready_at: list[float] = []  # monotonic time of every (re)start
        self.down_at: list[float] = []  # monotonic time of every kill
        self.frozen_at: list[float] = []

    def start(self) -> None:
        raise NotImplementedError

    def kill(self) -> None:
        raise NotImplementedError

    def freeze(self, frozen: bool) -> None:
        raise NotImplementedError(f"{self.kind} peers are not frozen in the storm")


class ScriptPeer(Peer):
    """A script of tests/peers (an imagezmq sender) that prints READY once it sends."""

    def __init__(self, name: str, kind: str, log_dir: Path, script: str, *args: str) -> None:
        super().__init__(name, kind, log_dir)
        self.command = [sys.executable, str(PEERS / script), *args]
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        log = open(self.log_dir / f"{self.name}.log", "a")  # noqa: SIM115 - the child holds it
        with log:
            self.proc = subprocess.Popen(
                self.command, cwd=ROOT, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, text=True
            )
        assert self.proc.stdout is not None
        readable, _, _ = select.select([self.proc.stdout], [], [], READY_TIMEOUT_S)
        if not readable or not self.proc.stdout.readline().startswith("READY"):
            raise RuntimeError(f"{self.name} did not start")
        self.ready_at.append(time.monotonic())

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate(timeout=10)
        self.down_at.append(time.monotonic())


class ToolPeer(Peer):
    """An RTSP or MJPEG server from ``shared/tools``, restarted on the same port."""

    def __init__(self, name: str, kind: str, log_dir: Path, tool: str, args: list[str]) -> None:
        super().__init__(name, kind, log_dir)
        self.tool, self.args = tool, args
        self.server: ToolServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None and self.server.urls
        return self.server.urls[0]

    def start(self) -> None:
        self.server = ToolServer(self.tool, self.args, 1, self.log_dir / f"{self.name}.log")
        self.ready_at.append(time.monotonic())

    def kill(self) -> None:
        if self.server is not None:
            if self.server.proc.poll() is None:
                self.server.proc.send_signal(signal.SIGCONT)  # a frozen server must be able to die
                self.server.proc.kill()
                self.server.proc.wait(10)
            self.server.stop()
        self.down_at.append(time.monotonic())

    def freeze(self, frozen: bool) -> None:
        assert self.server is not None
        self.server.proc.send_signal(signal.SIGSTOP if frozen else signal.SIGCONT)
        if frozen:
            self.frozen_at.append(time.monotonic())


def run_hostile_burst(endpoint: str, victim: str) -> int:
    """One round of malformed messages at the hub; the number that must be counted as bad."""
    result = subprocess.run(
        [
            sys.executable,
            str(PEERS / "hostile_sender.py"),
            "--connect",
            endpoint,
            "--rounds",
            "1",
            "--victim",
            victim,
            "--no-raw-garbage",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return int(json.loads(result.stdout)["bad_expected"])
