"""The HTTP ingest source over real sockets on 127.0.0.1, with urllib as the sender."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode

import numpy as np
import pytest
import simplejpeg

from monitor_app.core.layouts.adhoc import layout_from_addresses
from monitor_app.core.layouts.edits import CameraForm, apply_camera_form, form_for_camera
from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.model import parse_layout
from monitor_app.core.net import free_port
from monitor_app.core.sources.base import PermanentSourceError
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.http_ingest import HttpIngestSource, parse_listen
from monitor_app.core.sources.registry import create_source

JPEG = simplejpeg.encode_jpeg(np.full((48, 64, 3), 120, np.uint8), quality=80)
B64 = base64.b64encode(JPEG).decode()


class Sink:
    """Records what a source delivers."""

    def __init__(self) -> None:
        self.frames: list[EncodedFrame] = []
        self.bad: list[tuple[str, str | None]] = []

    def deliver(self, frame: EncodedFrame) -> None:
        self.frames.append(frame)

    def heartbeat(self, camera: str) -> None:
        pass

    def bad_message(self, reason: str, camera: str | None = None) -> None:
        self.bad.append((reason, camera))

    def camera_link_lost(self, camera: str, reason: str) -> None:
        pass

    def wants_frames(self, camera: str) -> bool:
        return True

    def target_size(self, camera: str) -> tuple[int, int] | None:
        return None


@pytest.fixture
def served() -> Iterator[tuple[HttpIngestSource, str]]:
    port = free_port()
    source = HttpIngestSource(f"127.0.0.1:{port}", max_body_bytes=4096)
    source.open()
    yield source, f"http://127.0.0.1:{port}"
    source.close()


def post(url: str, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": ctype, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def form(**fields: str) -> bytes:
    """What ``requests.post(url, data=fields)`` sends."""
    return urlencode(fields).encode()


def read_all(source: HttpIngestSource, sink: Sink) -> Sink:
    source.read(sink, 0.5)
    return sink


FORM = "application/x-www-form-urlencoded"


def test_example_form_post_is_a_frame_named_by_field_or_client(served: tuple[HttpIngestSource, str]) -> None:
    source, base = served
    assert post(f"{base}/image_post", form(img=B64), FORM) == (200, b"OK")
    assert post(f"{base}/image_post", form(img=B64, name="porch"), FORM) == (200, b"OK")
    sink = read_all(source, Sink())
    assert sorted(f.camera for f in sink.frames) == ["127.0.0.1", "porch"]
    assert all(f.jpeg == JPEG and f.sent_at is None for f in sink.frames) and not sink.bad


def test_jpeg_body_to_a_camera_path_and_multipart(served: tuple[HttpIngestSource, str]) -> None:
    source, base = served
    assert post(f"{base}/cameras/door", JPEG, "image/jpeg")[0] == 200
    boundary = "XyZ"
    multipart = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="img"; filename="f.jpg"\r\n'
        f"Content-Type: image/jpeg\r\n\r\n".encode()
        + JPEG
        + f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nyard\r\n--{boundary}--\r\n'.encode()
    )
    assert post(f"{base}/image_post", multipart, f"multipart/form-data; boundary={boundary}")[0] == 200
    sink = read_all(source, Sink())
    assert sorted(f.camera for f in sink.frames) == ["door", "yard"]
    assert all(f.jpeg == JPEG for f in sink.frames)


def test_bad_requests_get_json_errors_and_are_counted(served: tuple[HttpIngestSource, str]) -> None:
    source, base = served
    status, body = post(f"{base}/image_post", form(img="not base64!!"), FORM)
    assert status == 400 and "base64" in json.loads(body)["error"]
    status, body = post(f"{base}/image_post", form(img=base64.b64encode(b"hello").decode()), FORM)
    assert status == 400 and "JPEG" in json.loads(body)["error"]
    status, body = post(f"{base}/image_post", form(img=B64, pad="x" * 5000), FORM)  # over max_body_bytes=4096
    assert status == 413 and "limit" in json.loads(body)["error"]
    status, body = post(f"{base}/cameras/door", JPEG, "text/plain")
    assert status == 415 and json.loads(body)["error"].startswith("content type 'text/plain'")
    status, body = post(f"{base}/elsewhere", JPEG, "image/jpeg")
    assert status == 404 and "error" in json.loads(body)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}/image_post", timeout=5)
    assert refused.value.code == 405 and json.loads(refused.value.read()) == {"error": "use POST"}
    sink = read_all(source, Sink())
    assert not sink.frames
    assert len(sink.bad) == 4 and sink.bad[2][0].startswith("body of")  # 404s are not counted
    assert source.endpoint_stats()[0]["bad_messages"] == 4


def test_a_missing_content_length_is_411() -> None:
    port = free_port()
    source = HttpIngestSource(f"127.0.0.1:{port}")
    source.open()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            conn.sendall(b"POST /image_post HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\n\r\n")
            assert conn.recv(4096).startswith(b"HTTP/1.1 411")
    finally:
        source.close()


def test_non_loopback_without_a_token_is_refused_at_open() -> None:
    source = HttpIngestSource(f"0.0.0.0:{free_port()}")
    with pytest.raises(PermanentSourceError, match="needs a token"):
        source.open()
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        with pytest.raises(PermanentSourceError, match="address already in use"):
            HttpIngestSource(f"127.0.0.1:{taken.getsockname()[1]}").open()
    finally:
        taken.close()


def test_a_token_is_required_when_set() -> None:
    port = free_port()
    source = HttpIngestSource(f"0.0.0.0:{port}", token="s3cret")
    source.open()
    base = f"http://127.0.0.1:{port}/cameras/door"
    try:
        status, body = post(base, JPEG, "image/jpeg")
        assert status == 401 and "token" in json.loads(body)["error"]
        assert post(base + "?token=wrong", JPEG, "image/jpeg")[0] == 401
        assert post(base + "?token=s3cret", JPEG, "image/jpeg")[0] == 200
        assert post(base, JPEG, "image/jpeg", {"Authorization": "Bearer s3cret"})[0] == 200
        sink = read_all(source, Sink())
        assert len(sink.frames) == 2 and len(sink.bad) == 2
        assert "s3cret" not in source.description and "s3cret" not in json.dumps(source.endpoint_stats())
    finally:
        source.close()


def test_close_is_prompt_with_a_silent_client_and_the_port_can_be_reused() -> None:
    port = free_port()
    source = HttpIngestSource(f"127.0.0.1:{port}")
    source.open()
    silent = socket.create_connection(("127.0.0.1", port), timeout=5)
    silent.sendall(b"POST /image_post HTTP/1.1\r\nContent-Length: 1000\r\n")  # and then nothing
    time.sleep(0.2)
    started = time.monotonic()
    source.close()
    assert time.monotonic() - started < 1.0
    silent.close()
    source.open()  # a reconnect binds the same port again
    try:
        assert post(f"http://127.0.0.1:{port}/cameras/a", JPEG, "image/jpeg")[0] == 200
    finally:
        source.close()


def test_read_waits_at_most_its_timeout_and_wakes_on_a_frame(served: tuple[HttpIngestSource, str]) -> None:
    source, base = served
    started = time.monotonic()
    source.read(Sink(), 0.2)
    assert 0.15 < time.monotonic() - started < 0.5
    threading.Timer(0.1, post, (f"{base}/cameras/a", JPEG, "image/jpeg")).start()
    sink = Sink()
    started = time.monotonic()
    source.read(sink, 3.0)
    assert len(sink.frames) == 1 and time.monotonic() - started < 2.0


def test_the_kind_validates_listen_and_makes_an_auto_adding_adhoc_connection() -> None:
    assert parse_listen(":8000") == ("", 8000) and parse_listen("[::1]:80") == ("::1", 80)
    layout = {"schema_version": 1, "grid": {"rows": 1, "columns": 1}, "cameras": []}
    conn = {"id": "h", "kind": "http_ingest", "listen": "127.0.0.1:8000"}
    assert parse_layout({**layout, "connections": [conn]}).connections[0].options["listen"] == "127.0.0.1:8000"
    with pytest.raises(LayoutError, match=r"\$\.connections\[0\]\.listen: must look like host:port"):
        parse_layout({**layout, "connections": [{**conn, "listen": "8000"}]})
    adhoc = layout_from_addresses([("http_ingest", "127.0.0.1:8000")])
    assert [(c.kind, c.options, c.auto_add_cameras) for c in adhoc.connections] == [
        ("http_ingest", {"listen": "127.0.0.1:8000"}, True)
    ]
    edited = apply_camera_form(
        adhoc, CameraForm("Gate", "http_ingest", "0.0.0.0:8001", name="gate", settings={"token": "t"})
    )
    gate = edited.connection("gate")
    assert gate is not None and gate.options == {"listen": "0.0.0.0:8001", "token": "t"}
    assert form_for_camera(edited, "gate").settings == {"token": "t"}
    source = create_source("http_ingest", "h", {"listen": "127.0.0.1:8000", "token": "t"})
    assert source.description == "HTTP ingest http://127.0.0.1:8000"
