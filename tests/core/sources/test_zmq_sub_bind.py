"""A ``sub`` connection with ``bind``: one SUB socket binds, many PUB cameras connect to it."""

from __future__ import annotations

import base64
import dataclasses

import pytest
import zmq

from monitor_app.cli import parse_window_args
from monitor_app.core.layouts.adhoc import layout_from_addresses
from monitor_app.core.layouts.edits import apply_camera_form, form_for_camera
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.model import parse_layout
from monitor_app.core.net import free_port
from monitor_app.core.sources.base import PermanentSourceError
from monitor_app.core.sources.imagezmq_wire import encode_jpeg_message
from monitor_app.core.sources.registry import create_source
from monitor_app.core.sources.zmq_sub import SubSource
from tests.core.sources.test_zmq_sources import Wiring, context, jpeg, pump

__all__ = ["context"]  # the fixture, imported for these tests


def connecting_pub(ctx: zmq.Context, port: int) -> zmq.Socket:
    sock = ctx.socket(zmq.PUB)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(f"tcp://127.0.0.1:{port}")
    return sock


def test_a_bound_subscriber_tells_named_cameras_apart_and_names_single_part_ones_by_peer_ip(context) -> None:
    port = free_port()
    wiring = Wiring([], auto_add=True)
    source = create_source("sub", "s", {"endpoints": [f"tcp://127.0.0.1:{port}"], "bind": True})
    source.open()
    pubs = [connecting_pub(context, port) for _ in range(3)]
    try:

        def publish() -> None:
            pubs[0].send_multipart(encode_jpeg_message("garage|jpg", jpeg(10)))
            pubs[1].send_multipart(encode_jpeg_message("porch", jpeg(20)))
            pubs[2].send(base64.b64encode(jpeg(30)))  # the tutorial's single-part string

        pump(source, wiring, lambda: {"garage", "porch", "127.0.0.1"} <= set(wiring.discovered), between=publish)
        # libzmq's Peer-Address is the IP alone: every nameless publisher on one host shares this name.
        assert sorted(wiring.discovered) == ["127.0.0.1", "garage", "porch"]
        (stats,) = source.endpoint_stats()
        assert stats["role"] == "bind" and stats["bound"] is True and stats["peers_connected"] == 3
        assert int(stats["single_part"]) > 0 and stats["bad_messages"] == 0  # type: ignore[call-overload]
    finally:
        source.close()
        for pub in pubs:
            pub.close()


def test_a_bound_subscriber_never_reconnects() -> None:
    port = free_port()
    source = SubSource([f":{port}"], bind=True)
    source.open()
    try:
        sock = source._subs[0].socket
        assert sock.getsockopt(zmq.RECONNECT_IVL) == 100  # libzmq's default: never set on a bound socket
        assert sock.getsockopt(zmq.RECONNECT_IVL_MAX) == 0
    finally:
        source.close()
    connecting = SubSource([f":{port}"])
    connecting.open()
    try:
        assert connecting._subs[0].socket.getsockopt(zmq.RECONNECT_IVL_MAX) == 1000
    finally:
        connecting.close()


def test_a_taken_port_is_a_permanent_error_like_the_hub(context) -> None:
    port = free_port()
    holder = context.socket(zmq.PULL)
    holder.bind(f"tcp://127.0.0.1:{port}")
    source = SubSource([f"tcp://127.0.0.1:{port}"], bind=True)
    try:
        with pytest.raises(PermanentSourceError, match="address already in use"):
            source.open()
    finally:
        source.close()
        holder.close()


def test_sub_bind_on_the_command_line_and_in_a_layout() -> None:
    options = parse_window_args(["--sub-bind", "tcp://*:5555", "--sub", "tcp://pi:5556"])
    layout = layout_from_addresses(options.addresses())
    assert [(c.id, c.kind, c.options, c.auto_add_cameras) for c in layout.connections] == [
        ("sub1", "sub", {"endpoints": ["tcp://pi:5556"]}, True),
        ("sub2", "sub", {"endpoints": ["tcp://*:5555"], "bind": True}, True),
    ]
    data = {
        "schema_version": 1,
        "grid": {"rows": 1, "columns": 1},
        "connections": [{"id": "cams", "kind": "sub", "endpoints": [":5555"], "bind": True}],
        "cameras": [],
    }
    assert parse_layout(data).connections[0].options["bind"] is True
    data["connections"][0]["bind"] = "yes"  # type: ignore[index]
    with pytest.raises(LayoutError, match=r"\$\.connections\[0\]\.bind: must be true or false"):
        parse_layout(data)


def test_the_camera_editor_keeps_bind() -> None:
    data = {
        "schema_version": 1,
        "grid": {"rows": 1, "columns": 1},
        "connections": [{"id": "cams", "kind": "sub", "endpoints": [":5555"], "bind": True}],
        "cameras": [{"id": "garage", "connection": "cams", "name": "garage"}],
    }
    layout = parse_layout(data)
    form = form_for_camera(layout, "garage")
    assert form.settings["bind"] == "True"
    assert apply_camera_form(layout, form, "garage").connections[0].options["bind"] is True
    unbound = dataclasses.replace(form, settings={**form.settings, "bind": "false"})
    assert "bind" not in apply_camera_form(layout, unbound, "garage").connections[0].options  # the default


def test_a_bound_subscriber_binds_every_endpoint_and_names_nameless_senders_by_address_and_port(context) -> None:
    ports = [free_port(), free_port()]
    wiring = Wiring([], auto_add=True)
    source = create_source("sub", "s", {"endpoints": [f"tcp://127.0.0.1:{p}" for p in ports], "bind": True})
    source.open()
    pubs = [connecting_pub(context, port) for port in ports]
    try:

        def publish() -> None:
            for n, pub in enumerate(pubs):
                pub.send(base64.b64encode(jpeg(10 + n)))

        expected = {f"127.0.0.1 on :{port}" for port in ports}
        pump(source, wiring, lambda: expected <= set(wiring.discovered), between=publish)
        assert sorted(wiring.discovered) == sorted(expected)  # the same host on two ports: two cameras
        assert [s["endpoint"] for s in source.endpoint_stats()] == [f"tcp://127.0.0.1:{p}" for p in ports]
    finally:
        source.close()
        for pub in pubs:
            pub.close()
