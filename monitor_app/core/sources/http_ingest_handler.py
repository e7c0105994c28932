"""One HTTP request of the ``http_ingest`` kind: check it, decode its JPEG, answer at once.

``POST /image_post`` takes a form (``application/x-www-form-urlencoded``, as
``requests.post(url, data={"img": base64_jpeg})`` sends it, or ``multipart/form-data``)
whose field ``img`` holds a base64 JPEG (a file field may hold the JPEG itself);
``POST /cameras/NAME`` takes the same, or an ``image/jpeg`` body. The camera is the form's
``name`` field, else NAME, else the client's address. Every request is answered the moment
its body is read: 200 ``OK``, or a JSON ``{"error": ...}`` with 400/401/404/405/411/413/415.
Nothing here logs a request line: it may hold ``?token=``.
"""

from __future__ import annotations

import email.parser
import email.policy
import hmac
import json
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from monitor_app.core.sources.imagezmq_wire import MAX_NAME_CHARS, BadMessage, base64_payload, check_jpeg

FORM_PATH = "/image_post"
CAMERA_PREFIX = "/cameras/"
IMAGE_FIELD = "img"
NAME_FIELD = "name"
REQUEST_TIMEOUT_S = 5.0
"""Socket timeout of every connection: a silent or slow client cannot hold a thread longer."""
MAX_DISCARD_BYTES = 1 << 20
"""An oversize body is read and thrown away up to this much, so the client sees the 413."""

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
JPEG = "image/jpeg"
CONTENT_TYPES = (FORM, MULTIPART, JPEG)


class Ingest(Protocol):
    """What a handler reports to: the source that owns the server."""

    token: str | None
    max_body_bytes: int

    def frame(self, camera: str, jpeg: bytes) -> None: ...

    def bad(self, reason: str, camera: str | None) -> None: ...


@dataclass
class Refused(Exception):
    """A request answered with an error ``status``; ``counted`` ones are bad messages."""

    status: int
    reason: str
    camera: str | None = None
    counted: bool = True


class IngestHandler(BaseHTTPRequestHandler):
    """Serves one connection; ``server.ingest`` is where frames and refusals go."""

    timeout = REQUEST_TIMEOUT_S
    protocol_version = "HTTP/1.1"  # keep-alive: a sender can reuse its connection
    server_version = "CameraMonitor"
    sys_version = ""

    def do_POST(self) -> None:
        ingest: Ingest = self.server.ingest  # type: ignore[attr-defined]
        try:
            camera, jpeg = self._receive(ingest)
        except Refused as exc:
            if exc.counted:
                ingest.bad(exc.reason, exc.camera)
            self._answer(exc.status, json.dumps({"error": exc.reason}).encode(), "application/json")
            return
        ingest.frame(camera, jpeg)
        self._answer(200, b"OK", "text/plain; charset=utf-8")

    def do_GET(self) -> None:
        self.send_error(405, "use POST")

    do_PUT = do_DELETE = do_HEAD = do_GET

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Every error, the server's own (bad request line, oversize headers) too, is JSON."""
        self.close_connection = True
        self._answer(code, json.dumps({"error": message or "bad request"}).encode(), "application/json")

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the request line may hold the token; the source counts what matters

    def _receive(self, ingest: Ingest) -> tuple[str, bytes]:
        url = urlsplit(self.path)
        path_camera = self._route(url.path)
        self._authorize(ingest, url.query)
        body, ctype = self._body(ingest.max_body_bytes, path_camera)
        fields = _form_fields(body, ctype, self.headers.get("Content-Type", ""), path_camera)
        name = fields.get(NAME_FIELD)
        camera = _camera_name(name.decode("utf-8", "replace") if name else path_camera or self.client_address[0])
        if ctype == JPEG:
            check_or_refuse(body, camera)
            return camera, body
        image = fields.get(IMAGE_FIELD)
        if image is None:
            raise Refused(400, f"form has no {IMAGE_FIELD!r} field", camera)
        return camera, decode_image(image, camera)

    def _route(self, path: str) -> str | None:
        if path == FORM_PATH:
            return None
        if path.startswith(CAMERA_PREFIX) and len(path) > len(CAMERA_PREFIX):
            return _camera_name(unquote(path[len(CAMERA_PREFIX) :]))
        raise Refused(404, f"no such path; POST to {FORM_PATH} or {CAMERA_PREFIX}NAME", counted=False)

    def _authorize(self, ingest: Ingest, query: str) -> None:
        if ingest.token is None:
            return
        given = parse_qs(query).get("token", [""])[0]
        header = self.headers.get("Authorization", "")
        if header[:7].lower() == "bearer ":
            given = header[7:].strip()
        if not hmac.compare_digest(given.encode(), ingest.token.encode()):
            self.close_connection = True
            raise Refused(401, "missing or wrong token (?token= or Authorization: Bearer)")

    def _body(self, limit: int, camera: str | None) -> tuple[bytes, str]:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise Refused(411, "send a Content-Length (chunked bodies are not accepted)", camera)
        text = self.headers.get("Content-Length")
        if text is None:
            self.close_connection = True
            raise Refused(411, "Content-Length required", camera)
        try:
            length = int(text)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            raise Refused(400, "bad Content-Length", camera)
        if length > limit:
            self.close_connection = True
            self._discard(min(length, MAX_DISCARD_BYTES))
            raise Refused(413, f"body of {length} bytes is over the limit of {limit}", camera)
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True
            raise Refused(400, "body shorter than its Content-Length", camera)
        ctype = self.headers.get_content_type()
        if ctype not in CONTENT_TYPES:
            raise Refused(415, f"content type {ctype[:60]!r} not accepted; use {', '.join(CONTENT_TYPES)}", camera)
        return body, ctype

    def _discard(self, size: int) -> None:
        while size > 0 and (chunk := self.rfile.read(min(size, 65536))):
            size -= len(chunk)

    def _answer(self, status: int, body: bytes, ctype: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError:
            self.close_connection = True  # the client is gone; nothing to tell it


def _form_fields(body: bytes, ctype: str, header: str, camera: str | None) -> dict[str, bytes]:
    """The form's fields (first value of each); an ``image/jpeg`` body has none."""
    if ctype == FORM:
        try:
            pairs = parse_qs(body.decode("ascii"), keep_blank_values=True, max_num_fields=50)
        except (UnicodeDecodeError, ValueError):
            raise Refused(400, "form is not valid urlencoded ASCII", camera) from None
        return {key: values[0].encode("latin-1", "replace") for key, values in pairs.items()}
    if ctype == MULTIPART:
        return _multipart_fields(body, header, camera)
    return {}


def _multipart_fields(body: bytes, header: str, camera: str | None) -> dict[str, bytes]:
    """``multipart/form-data`` through ``email`` (the standard library's MIME parser; ``cgi`` is gone)."""
    head = f"Content-Type: {header}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise Refused(400, "multipart form without a boundary or parts", camera)
    fields: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes) and name not in fields:
            fields[name] = payload
    return fields


def decode_image(value: bytes, camera: str) -> bytes:
    """A form field's JPEG: the bytes themselves, or base64 of them (a data URI too)."""
    if value.startswith(b"\xff\xd8"):
        check_or_refuse(value, camera)
        return value
    try:
        jpeg = base64_payload(value.strip().replace(b" ", b"+"))  # a '+' sent unescaped arrives as a space
    except ValueError:
        raise Refused(400, f"field {IMAGE_FIELD!r} is not base64", camera) from None
    check_or_refuse(jpeg, camera)
    return jpeg


def check_or_refuse(jpeg: bytes, camera: str) -> None:
    try:
        check_jpeg(jpeg, camera)
    except BadMessage as exc:
        raise Refused(400, exc.reason, camera) from None


def _camera_name(text: str) -> str:
    name = text.strip()
    if not name or len(name) > MAX_NAME_CHARS or not name.isprintable():
        raise Refused(400, f"camera name must be 1 to {MAX_NAME_CHARS} printable characters")
    return name
