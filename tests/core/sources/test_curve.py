"""CURVE hubs, subscribers and senders: real keys, real sockets on 127.0.0.1, imagezmq messages, a sniffer."""

from __future__ import annotations

import json
import logging
import os
import select
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import zmq
import zmq.auth

from monitor_app.cli import parse_window_args
from monitor_app.core.layouts.adhoc import layout_from_addresses
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.model import parse_layout
from monitor_app.core.net import free_port
from monitor_app.core.sources.base import PermanentSourceError
from monitor_app.core.sources.curve import CurveClient, CurveServer, curve_from_options
from monitor_app.core.sources.imagezmq_wire import encode_jpeg_message
from monitor_app.core.sources.registry import create_source
from monitor_app.core.sources.zmq_hub import HubSource
from monitor_app.sender.engine import run_sender
from monitor_app.sender.options import SendOptions
from tests.core.sources.test_zmq_sources import Wiring, context, jpeg, pump

__all__ = ["context"]  # the fixture, imported for these tests

JPEG_SOI = b"\xff\xd8\xff"


@dataclass
class Keys:
    """Key pairs made as ``camera-monitor keys`` makes them, and a hub's allow folder holding ``sender``'s key."""

    folder: Path
    allow: Path

    def secret(self, name: str) -> str:
        return str(self.folder / f"{name}.key_secret")

    def public(self, name: str) -> str:
        return str(self.folder / f"{name}.key")

    def secret_texts(self) -> list[str]:
        """Every secret key, as z85 text: none may appear in a log, a message or the stats."""
        texts = []
        for path in self.folder.glob("*.key_secret"):
            secret = zmq.auth.load_certificate(path)[1]
            assert secret is not None
            texts.append(secret.decode())
        return texts


@pytest.fixture
def keys(tmp_path: Path) -> Keys:
    folder, allow = tmp_path / "keys", tmp_path / "allowed"
    folder.mkdir()
    allow.mkdir()
    for name in ("hub", "sender", "stranger", "monitor"):
        zmq.auth.create_certificates(folder, name)
        os.chmod(folder / f"{name}.key_secret", 0o600)
    (allow / "sender.key").write_bytes((folder / "sender.key").read_bytes())
    return Keys(folder, allow)


def curve_hub(keys: Keys, port: int) -> HubSource:
    options = {"curve_secret": keys.secret("hub"), "curve_allow": str(keys.allow)}
    return HubSource(f"tcp://127.0.0.1:{port}", max_message_bytes=200_000, curve=options, domain="hub1")


def sender(ctx: zmq.Context, port: int, keys: Keys | None = None, name: str = "sender") -> zmq.Socket:
    """A REQ socket as imagezmq's ImageSender makes it, a CURVE client of the hub when ``keys`` are given."""
    sock = ctx.socket(zmq.REQ)
    sock.setsockopt(zmq.LINGER, 0)
    if keys is not None:
        CurveClient.load(keys.secret(name), keys.public("hub")).apply(sock)
    sock.connect(f"tcp://127.0.0.1:{port}")
    return sock


def wait_for(condition, timeout_s: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


def assert_no_secrets(keys: Keys, *texts: str) -> None:
    for secret in keys.secret_texts():
        for text in texts:
            assert secret not in text


# The hub ------------------------------------------------------------------------------------------
def test_a_curve_hub_shows_a_sender_whose_key_is_allowed(keys, context, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    port = free_port()
    hub = curve_hub(keys, port)
    hub.open()
    sock = sender(context, port, keys)
    try:
        wiring = Wiring(["front"])
        sock.send_multipart(encode_jpeg_message("front", jpeg(200)))
        pump(hub, wiring, lambda: hub.messages >= 1)
        assert sock.recv() == b"OK"
        frame = wiring.newest("front")
        assert frame is not None and frame.jpeg is not None and frame.jpeg.startswith(JPEG_SOI)
        (stats,) = hub.endpoint_stats()
        assert stats["curve"] is True and stats["auth_failures"] == 0
        assert "(CURVE)" in hub.description
        assert_no_secrets(keys, caplog.text, json.dumps(stats), hub.description)
    finally:
        sock.close()
        hub.close()


def test_a_curve_hub_refuses_and_counts_a_sender_whose_key_is_not_allowed(keys, context, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    port = free_port()
    hub = curve_hub(keys, port)
    hub.open()
    strangers = [sender(context, port, keys, "stranger") for _ in range(2)]
    try:
        wiring = Wiring([], auto_add=True)
        for sock in strangers:
            sock.send_multipart(encode_jpeg_message("intruder", jpeg(50)))
        pump(hub, wiring, lambda: hub.auth_failures >= 2)
        deadline = time.monotonic() + 0.5
        pump(hub, wiring, lambda: time.monotonic() > deadline)  # read a while longer: nothing may come through
        assert hub.messages == 0 and wiring.discovered == [] and wiring.feeds.refused_names == 0
        assert all(not sock.poll(0, zmq.POLLIN) for sock in strangers)  # no reply either
        (stats,) = hub.endpoint_stats()
        assert stats["auth_failures"] == hub.auth_failures >= 2
        refusals = [r for r in caplog.records if "refused a client whose key is not allowed" in r.getMessage()]
        assert [r.levelno for r in refusals] == [logging.WARNING]  # one burst, one line
        assert "(1 so far)" in refusals[0].getMessage() and str(keys.allow) in refusals[0].getMessage()
        assert_no_secrets(keys, caplog.text, json.dumps(stats))
    finally:
        for sock in strangers:
            sock.close()
        hub.close()
    assert hub.endpoint_stats()[0]["auth_failures"] >= 2  # the run's count outlives the socket


def test_a_sender_with_no_curve_delivers_nothing_to_a_curve_hub(keys, context, caplog) -> None:
    port = free_port()
    hub = curve_hub(keys, port)
    hub.open()
    plain = sender(context, port)
    try:
        wiring = Wiring([], auto_add=True)
        plain.send_multipart(encode_jpeg_message("plain", jpeg(80)))
        pump(hub, wiring, lambda: hub.endpoint_stats()[0]["handshake_failures"] >= 1)
        deadline = time.monotonic() + 0.5
        pump(hub, wiring, lambda: time.monotonic() > deadline)
        assert hub.messages == 0 and wiring.discovered == []
        assert "CURVE handshake with a client without CURVE" in caplog.text
    finally:
        plain.close()
        hub.close()


def test_the_send_command_engine_reaches_a_curve_hub_with_its_keys(keys) -> None:
    port = free_port()
    hub = curve_hub(keys, port)
    hub.open()
    stop = threading.Event()
    options = SendOptions(
        endpoint=f"tcp://127.0.0.1:{port}",
        name="engine",
        count=3,
        curve_secret=keys.secret("sender"),
        curve_server=keys.public("hub"),
    )
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(run_sender(options, stop)), name="test-sender")
    thread.start()
    try:
        wiring = Wiring(["engine"])
        pump(hub, wiring, lambda: hub.messages >= 3 and not thread.is_alive())
        assert wiring.newest("engine") is not None
    finally:
        stop.set()
        thread.join(5)
        hub.close()
    (report,) = result
    assert report.frames_sent == 3 and report.auth_failures == 0  # type: ignore[attr-defined]


def test_the_send_command_engine_says_when_the_hub_refuses_its_key(keys, caplog) -> None:
    port = free_port()
    hub = curve_hub(keys, port)
    hub.open()
    stop = threading.Event()
    options = SendOptions(
        endpoint=f"tcp://127.0.0.1:{port}",
        name="intruder",
        curve_secret=keys.secret("stranger"),
        curve_server=keys.public("hub"),
    )
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(run_sender(options, stop)), name="test-sender")
    thread.start()
    try:
        wiring = Wiring([], auto_add=True)
        pump(hub, wiring, lambda: "the server refused this client's key" in caplog.text)
        assert hub.messages == 0 and hub.auth_failures >= 1
    finally:
        stop.set()
        thread.join(5)
        hub.close()
    (report,) = result
    assert report.frames_sent == 0 and report.auth_failures >= 1  # type: ignore[attr-defined]
    assert_no_secrets(keys, caplog.text)


# Subscribers ----------------------------------------------------------------------------------------
def test_a_curve_subscriber_reads_a_curve_publisher_and_a_refused_one_counts_it(keys, context) -> None:
    port = free_port()
    allow_monitor = keys.folder.parent / "monitors"
    allow_monitor.mkdir()
    (allow_monitor / "monitor.key").write_bytes(Path(keys.public("monitor")).read_bytes())
    publisher_curve = CurveServer.load(keys.secret("hub"), str(allow_monitor), "pub")
    pub = context.socket(zmq.PUB)
    pub.setsockopt(zmq.LINGER, 0)
    publisher_curve.apply(pub)
    pub.bind(f"tcp://127.0.0.1:{port}")
    endpoint = [f"tcp://127.0.0.1:{port}"]
    allowed = create_source(
        "sub", "s1", {"endpoints": endpoint, "curve_secret": keys.secret("monitor"), "curve_server": keys.public("hub")}
    )
    refused = create_source(
        "sub",
        "s2",
        {"endpoints": endpoint, "curve_secret": keys.secret("stranger"), "curve_server": keys.public("hub")},
    )
    allowed.open()
    refused.open()
    try:
        seen, unseen = Wiring([], auto_add=True), Wiring([], auto_add=True)

        def publish() -> None:
            pub.send_multipart(encode_jpeg_message("garage", jpeg(30)))
            refused.read(unseen.feeds, 0.01)

        pump(allowed, seen, lambda: "garage" in seen.discovered and publisher_curve.auth_failures >= 1, between=publish)
        pump(refused, unseen, lambda: refused.endpoint_stats()[0]["auth_failures"] >= 1, between=publish)
        assert unseen.discovered == [] and refused.endpoint_stats()[0]["messages"] == 0
        assert allowed.endpoint_stats()[0]["auth_failures"] == 0 and allowed.endpoint_stats()[0]["curve"] is True
    finally:
        allowed.close()
        refused.close()
        pub.close()
        publisher_curve.release()


def test_a_curve_subscriber_reads_the_send_command_engine_publishing_with_curve(keys) -> None:
    port = free_port()
    allow_monitor = keys.folder.parent / "monitors"
    allow_monitor.mkdir()
    (allow_monitor / "monitor.key").write_bytes(Path(keys.public("monitor")).read_bytes())
    options = SendOptions(
        endpoint=f"tcp://127.0.0.1:{port}",
        pub=True,
        name="published",
        fps=30,
        seconds=30,
        curve_secret=keys.secret("hub"),
        curve_allow=str(allow_monitor),
    )
    stop = threading.Event()
    thread = threading.Thread(target=run_sender, args=(options, stop), name="test-publisher")
    thread.start()
    curve = {"curve_secret": keys.secret("monitor"), "curve_server": keys.public("hub")}
    source = create_source("sub", "s", {"endpoints": [f"tcp://127.0.0.1:{port}"], **curve})
    source.open()
    try:
        wiring = Wiring([], auto_add=True)
        pump(source, wiring, lambda: "published" in wiring.discovered)
    finally:
        source.close()
        stop.set()
        thread.join(5)


def test_a_plain_sub_sniffing_a_curve_publisher_receives_nothing(keys, context) -> None:
    port = free_port()
    server = CurveServer.load(keys.secret("hub"), str(keys.allow), "pub")
    pub = context.socket(zmq.PUB)
    pub.setsockopt(zmq.LINGER, 0)
    server.apply(pub)
    pub.bind(f"tcp://127.0.0.1:{port}")
    sniffer = context.socket(zmq.SUB)
    sniffer.setsockopt(zmq.LINGER, 0)
    sniffer.setsockopt(zmq.SUBSCRIBE, b"")
    sniffer.connect(f"tcp://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            pub.send_multipart(encode_jpeg_message("garage", jpeg(30)))
            assert not sniffer.poll(20)
    finally:
        sniffer.close()
        pub.close()
        server.release()


def test_a_bound_curve_subscriber_lets_in_only_allowed_publishers(keys, context) -> None:
    port = free_port()
    source = create_source(
        "sub",
        "cams",
        {
            "endpoints": [f"tcp://127.0.0.1:{port}"],
            "bind": True,
            "curve_secret": keys.secret("hub"),
            "curve_allow": str(keys.allow),
        },
    )
    source.open()
    pubs = []
    for name in ("sender", "stranger"):
        pub = context.socket(zmq.PUB)
        pub.setsockopt(zmq.LINGER, 0)
        CurveClient.load(keys.secret(name), keys.public("hub")).apply(pub)
        pub.connect(f"tcp://127.0.0.1:{port}")
        pubs.append(pub)
    try:
        wiring = Wiring([], auto_add=True)

        def publish() -> None:
            pubs[0].send_multipart(encode_jpeg_message("allowed", jpeg(10)))
            pubs[1].send_multipart(encode_jpeg_message("intruder", jpeg(20)))

        stats = source.endpoint_stats
        pump(
            source, wiring, lambda: "allowed" in wiring.discovered and stats()[0]["auth_failures"] >= 1, between=publish
        )
        assert "intruder" not in wiring.discovered
    finally:
        source.close()
        for pub in pubs:
            pub.close()


# The wire ---------------------------------------------------------------------------------------------
class Sniffer:
    """A TCP forwarder between a sender and a hub that keeps a copy of every byte (what a tap on the wire sees)."""

    def __init__(self, target_port: int) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._target = target_port
        self.seen = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="test-sniffer")
        self._thread.start()

    def _run(self) -> None:
        pairs: dict[socket.socket, socket.socket] = {}
        try:
            while not self._stop.is_set():
                ready, _, _ = select.select([self._listener, *pairs], [], [], 0.05)
                for sock in ready:
                    if sock is self._listener:
                        client, _ = self._listener.accept()
                        upstream = socket.create_connection(("127.0.0.1", self._target))
                        pairs[client], pairs[upstream] = upstream, client
                        continue
                    data = sock.recv(65536)
                    if not data:
                        other = pairs.pop(sock)
                        pairs.pop(other, None)
                        sock.close()
                        other.close()
                        continue
                    self.seen += data
                    pairs[sock].sendall(data)
        finally:
            for sock in pairs:
                sock.close()
            self._listener.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)


@pytest.mark.parametrize("curve", [False, True])
def test_on_the_wire_curve_traffic_holds_no_jpeg_marker_and_plain_traffic_does(keys, context, curve: bool) -> None:
    hub_port = free_port()
    hub = curve_hub(keys, hub_port) if curve else HubSource(f"tcp://127.0.0.1:{hub_port}")
    hub.open()
    tap = Sniffer(hub_port)
    sock = sender(context, tap.port, keys if curve else None)
    try:
        wiring = Wiring(["front"])
        for n in range(3):
            sock.send_multipart(encode_jpeg_message("front", jpeg(40 + n)))
            pump(hub, wiring, lambda n=n: hub.messages > n)
            assert sock.recv() == b"OK"
        assert wiring.newest("front") is not None and len(tap.seen) > 3 * 200
        assert (JPEG_SOI in tap.seen) is not curve
        assert (b"front" in tap.seen) is not curve  # the camera's name is hidden too
    finally:
        sock.close()
        tap.close()
        hub.close()


# Key files ----------------------------------------------------------------------------------------------
def test_a_secret_key_file_readable_by_others_is_refused_naming_the_fix(keys, caplog) -> None:
    path = keys.secret("hub")
    os.chmod(path, 0o644)
    hub = curve_hub(keys, free_port())
    with pytest.raises(PermanentSourceError) as refused:
        hub.open()
    message = str(refused.value)
    assert path in message and f"chmod 600 {path}" in message
    with pytest.raises(PermanentSourceError, match="chmod 600"):
        CurveClient.load(path, keys.public("sender"))
    assert_no_secrets(keys, message, caplog.text)
    hub.close()


def test_missing_or_garbled_key_files_are_named(keys, tmp_path) -> None:
    missing = str(tmp_path / "nope.key_secret")
    with pytest.raises(PermanentSourceError, match=f"{missing}: No such file"):
        CurveServer.load(missing, str(keys.allow), "d")
    garbled = tmp_path / "garbled.key_secret"
    garbled.write_text('curve\n    public-key = "not a key"\n    secret-key = "hunter2hunter2"\n')
    os.chmod(garbled, 0o600)
    with pytest.raises(PermanentSourceError, match=str(garbled)) as bad:
        CurveClient.load(str(garbled), keys.public("hub"))
    assert "hunter2" not in str(bad.value)
    with pytest.raises(PermanentSourceError, match="holds no CURVE secret key"):
        CurveClient.load(keys.public("sender"), keys.public("hub"))  # the public file where the secret goes
    with pytest.raises(PermanentSourceError, match=r"allow folder .* does not exist"):
        CurveServer.load(keys.secret("hub"), str(tmp_path / "no-such-folder"), "d")


def test_options_ask_for_curve_or_say_which_field_is_missing(keys) -> None:
    assert curve_from_options({}, "server", "d") is None
    client = curve_from_options(
        {"curve_secret": keys.secret("sender"), "curve_server": keys.public("hub")}, "client", "d"
    )
    assert isinstance(client, CurveClient) and repr(client) == "CurveClient()"
    with pytest.raises(PermanentSourceError, match="curve_secret is required with curve_allow"):
        curve_from_options({"curve_allow": str(keys.allow)}, "server", "d")
    with pytest.raises(PermanentSourceError, match="curve_allow is for a bound socket"):
        curve_from_options(
            {"curve_secret": keys.secret("sender"), "curve_allow": "x", "curve_server": "y"}, "client", "d"
        )


# One authenticator per context -------------------------------------------------------------------------
def test_servers_of_one_context_share_one_authenticator_with_a_domain_each(keys, context) -> None:
    other_allow = keys.folder.parent / "other"
    other_allow.mkdir()
    (other_allow / "stranger.key").write_bytes(Path(keys.public("stranger")).read_bytes())
    first = CurveServer.load(keys.secret("hub"), str(keys.allow), "first")
    second = CurveServer.load(keys.secret("hub"), str(other_allow), "second")
    ports, servers = [free_port(), free_port()], []
    for curve, port in zip((first, second), ports, strict=True):
        sock = context.socket(zmq.ROUTER)
        sock.setsockopt(zmq.LINGER, 0)
        curve.apply(sock)
        sock.bind(f"tcp://127.0.0.1:{port}")
        servers.append(sock)
    clients = [sender(context, port, keys, name) for port in ports for name in ("sender", "stranger")]
    try:
        assert [t.name for t in threading.enumerate()].count("curve-zap") == 1
        for client in clients:
            client.send(b"hello")
        wait_for(lambda: first.auth_failures == 1 and second.auth_failures == 1)
        for sock in servers:  # each let in exactly the key of its own folder
            assert sock.poll(5000) and sock.recv_multipart()[-1] == b"hello"
            assert not sock.poll(200)
        first.release()
        assert [t.name for t in threading.enumerate()].count("curve-zap") == 1
        for sock in servers:
            sock.close()
        started = time.monotonic()
        second.release()  # the last one: its thread stops at once
        assert time.monotonic() - started < 1.0
        assert "curve-zap" not in [t.name for t in threading.enumerate()]
    finally:
        for client in clients:
            client.close()
        for sock in servers:
            sock.close()
        first.release()
        second.release()


# Layouts and the command line ----------------------------------------------------------------------------
def _layout(**connection: object) -> dict[str, object]:
    return {
        "schema_version": 1,
        "grid": {"rows": 1, "columns": 1},
        "connections": [{"id": "c", **connection}],
        "cameras": [],
    }


@pytest.mark.parametrize(
    ("connection", "problem"),
    [
        (
            {"kind": "hub", "endpoint": ":5555", "curve_allow": "keys"},
            r"\$\.connections\[0\]\.curve_secret: is required",
        ),
        ({"kind": "hub", "endpoint": ":5555", "curve_secret": "h.key_secret"}, r"\.curve_allow: is required"),
        ({"kind": "hub", "endpoint": ":5555", "curve_server": "h.key"}, r"\.curve_server: is not a known field"),
        ({"kind": "sub", "endpoints": [":5555"], "curve_secret": "m.key_secret"}, r"\.curve_server: is required"),
        (
            {"kind": "sub", "endpoints": [":5555"], "bind": True, "curve_secret": "s", "curve_server": "h.key"},
            r"\.curve_server: is for a connecting socket",
        ),
    ],
)
def test_a_layout_with_a_bad_curve_combination_names_the_field(connection: dict[str, object], problem: str) -> None:
    with pytest.raises(LayoutError, match=problem):
        parse_layout(_layout(**connection))


def test_a_good_curve_layout_parses() -> None:
    hub = parse_layout(_layout(kind="hub", endpoint=":5555", curve_secret="h.key_secret", curve_allow="allowed"))
    assert hub.connections[0].options["curve_allow"] == "allowed"
    sub = parse_layout(_layout(kind="sub", endpoints=[":5555"], curve_secret="m.key_secret", curve_server="h.key"))
    assert sub.connections[0].options["curve_server"] == "h.key"


def test_the_window_flags_give_servers_and_clients_their_own_fields() -> None:
    options = parse_window_args(
        [
            *("--hub", ":5555", "--sub", "tcp://pi:5556", "--sub-bind", ":5557"),
            *("--curve-secret", "me.key_secret", "--curve-allow", "allowed", "--curve-server", "pi.key"),
        ]
    )
    layout = layout_from_addresses(options.addresses())
    assert [c.options for c in layout.connections] == [
        {"endpoint": ":5555", "curve_secret": "me.key_secret", "curve_allow": "allowed"},
        {"endpoints": ["tcp://pi:5556"], "curve_secret": "me.key_secret", "curve_server": "pi.key"},
        {"endpoints": [":5557"], "bind": True, "curve_secret": "me.key_secret", "curve_allow": "allowed"},
    ]


@pytest.fixture(autouse=True)
def _no_authenticator_left() -> Iterator[None]:
    yield
    from monitor_app.core.sources import curve_auth

    assert curve_auth._auths == {}  # every CURVE server was released
