"""Against a real RTSP server that refuses RTSP over TCP (GStreamer's, UDP only: it answers a TCP SETUP 461).

``auto`` falls back to UDP by itself and says so once; an explicit ``tcp`` names the refusal and
does not; ``probe`` says which transport it used.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor_app.core.net import free_port
from monitor_app.core.sources.base import PermanentSourceError
from monitor_app.core.sources.url import UrlSource
from monitor_app.core.sources.url_worker import UrlSettings
from tests.helpers import ROOT
from tests.peers.tool_servers import ToolServer
from tests.url_sink import TileSink

SYSTEM_PYTHON = Path("/usr/bin/python3")  # GStreamer's Python bindings are Debian's, not the venv's
PEER = ROOT / "tests" / "peers" / "udp_only_rtsp.py"


@pytest.fixture(scope="module")
def udp_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not SYSTEM_PYTHON.exists():
        pytest.skip("no /usr/bin/python3 for GStreamer's RTSP server")
    log = tmp_path_factory.mktemp("udp-rtsp") / "server.log"
    server = ToolServer(str(SYSTEM_PYTHON), [str(PEER), str(free_port())], 1, log)  # an absolute "tool"
    yield server.urls[0]
    server.stop()


def frames_within(source: UrlSource, count: int, timeout_s: float) -> TileSink:
    sink = TileSink((320, 240))
    source.open()
    deadline = time.monotonic() + timeout_s
    while len(sink.frames) < count:
        assert time.monotonic() < deadline, f"only {len(sink.frames)} frames in {timeout_s} s"
        source.read(sink, 0.1)  # type: ignore[arg-type]
    return sink


def test_auto_falls_back_to_udp_by_itself_and_says_so_once(udp_only: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="monitor_app.core.sources.url_rtsp"):
        for _ in range(2):  # a reconnect goes straight to UDP
            source = UrlSource(UrlSettings(udp_only, open_timeout_s=5))
            try:
                frames_within(source, 5, 20)
                assert source.endpoint_stats()[0]["transport"] == "udp"
            finally:
                source.close()
    said = [r.getMessage() for r in caplog.records if "falling back to UDP" in r.getMessage()]
    assert said == [f"{udp_only}: the server refuses RTSP over TCP (461 Unsupported Transport): falling back to UDP"]


def test_explicit_tcp_names_the_refused_transport_and_does_not_fall_back(udp_only: str) -> None:
    source = UrlSource(UrlSettings(udp_only, transport="tcp", open_timeout_s=5))
    sink = TileSink((320, 240))
    try:
        with pytest.raises(PermanentSourceError, match=r"refuses RTSP over TCP \(461"):
            source.open()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                source.read(sink, 0.1)  # type: ignore[arg-type]
    finally:
        source.close()
    assert not sink.frames and source.endpoint_stats() == []


def test_probe_falls_back_and_says_which_transport(udp_only: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "monitor_app", "probe", udp_only, "--seconds", "1", "--timeout", "5"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "transport:     udp" in run.stdout
