"""RTSP transports: ``auto`` (TCP, then UDP if the server refuses TCP), ``tcp``, ``udp``; in layouts and on the command line.

The refusal is found by asking the server itself: a tiny real RTSP responder on 127.0.0.1 answers
like Debian's rtsp-server-perl (400 to a TCP SETUP). GStreamer's 461 is in
``tests/integration/test_url_transport_udp.py``.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable

import pytest

from monitor_app.cli import parse_window_args
from monitor_app.core.layouts.adhoc import layout_from_addresses
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.model import parse_layout
from monitor_app.core.sources.registry import create_source
from monitor_app.core.sources.url import UrlSource
from monitor_app.core.sources.url_open import classify_url, diagnose
from monitor_app.core.sources.url_rtsp import TransportRefused, open_with_fallback

SECRET = "tr4nsp0rtPW"
SDP = (
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\na=control:*\r\n"
    "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:trackID=0\r\n"
)


class Responder:
    """A real RTSP peer for one connection: answers each request with the next reply, keeps what it was asked."""

    def __init__(self, replies: Callable[[int], list[bytes]]) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(5.0)
        self.port = self.server.getsockname()[1]
        self.requests: list[str] = []
        self._replies = replies(self.port)
        self._thread = threading.Thread(target=self._serve)
        self._thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.server.accept()
            with conn, conn.makefile("rb") as reader:
                conn.settimeout(5.0)
                for reply in self._replies:
                    head = b"".join(iter(lambda: reader.readline(), b"\r\n"))  # up to the blank line
                    self.requests.append(head.decode("latin-1"))
                    conn.sendall(reply)
        except OSError:
            pass

    def close(self) -> None:
        self._thread.join(10)
        self.server.close()


def describe_ok(port: int) -> bytes:
    body = SDP.encode()
    head = f"RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Base: rtsp://127.0.0.1:{port}/cam/\r\n"
    return (head + f"Content-Type: application/sdp\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def test_a_server_that_answers_a_tcp_setup_400_refuses_tcp_and_says_so() -> None:
    responder = Responder(lambda port: [describe_ok(port), b"RTSP/1.0 400 Bad Request\r\nCSeq: 2\r\n\r\n"])
    try:
        url = f"rtsp://admin:{SECRET}@127.0.0.1:{responder.port}/cam"
        error = diagnose(classify_url(url), 3.0, "tcp")
    finally:
        responder.close()
    assert isinstance(error, TransportRefused) and error.status == "400 Bad Request"
    assert "refuses RTSP over TCP (400 Bad Request)" in str(error) and SECRET not in str(error)
    describe, setup = responder.requests
    assert describe.startswith("DESCRIBE ") and "Authorization: Basic " in describe
    assert setup.startswith(f"SETUP rtsp://127.0.0.1:{responder.port}/cam/trackID=0 RTSP/1.0")
    assert "Transport: RTP/AVP/TCP;unicast;interleaved=0-1" in setup


def test_a_server_that_takes_tcp_is_not_called_a_refusal() -> None:
    setup_ok = (
        b"RTSP/1.0 200 OK\r\nCSeq: 2\r\nSession: 1234;timeout=60\r\nTransport: RTP/AVP/TCP;interleaved=0-1\r\n\r\n"
    )
    responder = Responder(lambda port: [describe_ok(port), setup_ok, b""])  # b"": the TEARDOWN, unanswered
    try:
        error = diagnose(classify_url(f"rtsp://127.0.0.1:{responder.port}/cam"), 3.0, "tcp")
    finally:
        responder.close()
    assert not isinstance(error, TransportRefused) and "could not be decoded" in str(error)
    assert responder.requests[2].startswith("TEARDOWN ") and "Session: 1234\r\n" in responder.requests[2]


def test_auto_falls_back_to_udp_once_and_explicit_transports_never_do(caplog: pytest.LogCaptureFixture) -> None:
    url = f"rtsp://viewer:{SECRET}@127.0.0.1:9/fallback-{id(caplog)}"
    tried: list[str] = []

    def open_once(transport: str) -> str:
        tried.append(transport)
        if transport == "tcp":
            raise TransportRefused("461 Unsupported Transport")
        return "opened"

    with caplog.at_level(logging.INFO, logger="monitor_app.core.sources.url_rtsp"):
        assert open_with_fallback(url, "auto", open_once) == ("opened", "udp")
        assert open_with_fallback(url, "auto", open_once) == ("opened", "udp")  # remembered: straight to UDP
    assert tried == ["tcp", "udp", "udp"]
    said = [r for r in caplog.records if "falling back to UDP" in r.getMessage()]
    assert len(said) == 1 and said[0].levelno == logging.INFO
    assert "461 Unsupported Transport" in said[0].getMessage() and SECRET not in said[0].getMessage()
    with pytest.raises(TransportRefused):
        open_with_fallback(url, "tcp", open_once)
    assert open_with_fallback(url, "udp", open_once) == ("opened", "udp")
    assert open_with_fallback("http://cam/video", "auto", lambda t: t) == ("auto", "auto")  # RTSP only


def test_auto_is_the_layouts_default_and_other_values_are_refused() -> None:
    source = create_source("url", "door", {"url": "rtsp://cam/x"})
    assert isinstance(source, UrlSource) and source.settings.transport == "auto"
    data = {
        "schema_version": 1,
        "grid": {"rows": 1, "columns": 1},
        "connections": [{"id": "door", "kind": "url", "url": "rtsp://cam/x", "transport": "tcp"}],
        "cameras": [],
    }
    assert parse_layout(data).connections[0].options["transport"] == "tcp"
    data["connections"][0]["transport"] = "sctp"  # type: ignore[index]
    with pytest.raises(LayoutError, match="must be one of auto, tcp, udp"):
        parse_layout(data)


def test_transport_on_the_command_line_applies_to_every_url_camera() -> None:
    options = parse_window_args(["--url", "rtsp://a/x", "--transport", "udp", "--url", "rtsp://b/y", "--sub", ":5556"])
    layout = layout_from_addresses(options.addresses())
    urls = [c.options for c in layout.connections if c.kind == "url"]
    assert urls == [{"url": "rtsp://a/x", "transport": "udp"}, {"url": "rtsp://b/y", "transport": "udp"}]
    plain = layout_from_addresses(parse_window_args(["--url", "rtsp://a/x"]).addresses())
    assert plain.connections[0].options == {"url": "rtsp://a/x"}  # the layout's default: auto
    with pytest.raises(SystemExit):
        parse_window_args(["--url", "rtsp://a/x", "--transport", "sctp"])
