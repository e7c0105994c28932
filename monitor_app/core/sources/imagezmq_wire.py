"""The imagezmq 1.2 wire format: parse and validate what arrives, encode what we send.

A message has two parts. Part 0 is UTF-8 JSON ``{"msg": NAME}`` (the payload is JPEG) or
``{"msg": NAME, "dtype": "uint8", "shape": [h, w(, c)]}`` (the payload is a C-contiguous
array). The camera is the text of ``msg`` before its first ``|`` (the imagenode
convention). As imagehub reads imagenode's messages, only ``NAME``, ``NAME|jpg`` and ``NAME|image``
(and ``|jpeg``, ``|raw``) are frames; ``NAME|Heartbeat`` marks a node alive without a frame, and
anything else (``NAME|motion|moving``, ``NODE|Restart|...``) is an ``Event``: text, whatever image
came with it is ignored. Our sender adds the
key ``sent_at`` (``time.time()``), which imagezmq ignores. Single-part messages come from
plain publishers: a base64-encoded JPEG string, or JPEG bytes.

Everything here treats its input as hostile: every failure is a ``BadMessage`` with a
short reason, never another exception.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import simplejpeg

from monitor_app.core.sources.frames import MAX_SIDE, EncodedFrame

SENT_AT_KEY = "sent_at"
"""Extra header key carrying the sender's wall-clock time; imagezmq receivers ignore it."""

ALLOWED_DTYPES: dict[str, np.dtype] = {"uint8": np.dtype(np.uint8)}
"""What the decode pool can show; imagezmq writes ``str(array.dtype)``."""

ALLOWED_CHANNELS = (1, 3, 4)
MAX_HEADER_BYTES = 4096
MAX_NAME_CHARS = 200
UNNAMED = "(unnamed)"
"""Camera name used for an empty ``msg`` ("" is reserved for single-stream connections)."""

BytesLike = bytes | bytearray | memoryview

_JPEG_SOI = b"\xff\xd8\xff"
_DATA_URI_PREFIX = b"base64,"


class BadMessage(ValueError):
    """A malformed or hostile message; ``camera`` is set when the header named one."""

    def __init__(self, reason: str, camera: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.camera = camera


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """``NAME|Heartbeat``: the camera is alive, nothing to show."""

    camera: str


@dataclass(frozen=True, slots=True)
class Event:
    """``NAME|motion|moving`` and the like: news about a camera, as text (``"motion: moving"``); not a frame."""

    camera: str
    text: str


WireMessage = EncodedFrame | Heartbeat | Event

FRAME_WORDS = ("jpg", "jpeg", "image", "raw")
"""The second field of a message that is a frame (imagenode sends ``|jpg`` or ``|image``)."""

MAX_EVENT_CHARS = 120


# Parsing -------------------------------------------------------------------------------
def parse_message(parts: Sequence[BytesLike]) -> WireMessage:
    """A whole ZeroMQ message from an imagezmq sender (after any routing envelope)."""
    if len(parts) != 2:
        raise BadMessage(f"expected 2 message parts, got {len(parts)}")
    return parse_imagezmq(parts[0], parts[1])


def parse_imagezmq(header: BytesLike, payload: BytesLike) -> WireMessage:
    """Validate an imagezmq header + payload; raw payloads become zero-copy array views."""
    return imagezmq_from_fields(read_json_header(header), payload)


def imagezmq_from_fields(fields: dict[str, object], payload: BytesLike) -> WireMessage:
    """The message an imagezmq header (already read by ``read_json_header``) and its payload make."""
    msg = fields.get("msg")
    if not isinstance(msg, str):
        raise BadMessage('header has no "msg" string')
    camera, heartbeat = camera_from_msg(msg)
    if heartbeat:
        return Heartbeat(camera)
    event = event_text(msg)
    if event is not None:
        return Event(camera, event)
    sent_at = _sent_at(fields.get(SENT_AT_KEY))
    if "dtype" in fields or "shape" in fields:
        pixels = parse_array(fields, payload, camera)
        return EncodedFrame(camera, pixels=pixels, sent_at=sent_at)
    jpeg = bytes(payload)
    check_jpeg(jpeg, camera)
    return EncodedFrame(camera, jpeg=jpeg, sent_at=sent_at)


def camera_from_msg(msg: str) -> tuple[str, bool]:
    """``"garage cam|jpg"`` -> ("garage cam", False); ``"garage|Heartbeat"`` -> ("garage", True)."""
    name, _, rest = msg.partition("|")
    name = name.strip()
    if len(name) > MAX_NAME_CHARS:
        raise BadMessage(f"camera name longer than {MAX_NAME_CHARS} characters")
    if not name.isprintable():
        raise BadMessage("camera name contains control characters")
    heartbeat = any(word.strip().lower() == "heartbeat" for word in rest.split("|")) if rest else False
    return name or UNNAMED, heartbeat


def event_text(msg: str) -> str | None:
    """The event a message carries (``"cam|motion|moving"`` -> ``"motion: moving"``), None for a frame."""
    words = [word.strip() for word in msg.split("|")[1:]]
    if not words or words[0].lower() in ("", *FRAME_WORDS):
        return None
    text = ": ".join(word for word in words if word)
    text = "".join(ch if ch.isprintable() else " " for ch in text)[:MAX_EVENT_CHARS]
    return text or "event"


def parse_single_part(data: BytesLike, camera: str) -> EncodedFrame:
    """A one-part message: JPEG bytes, or a base64 string of them (``cv2.imencode`` + b64)."""
    raw = bytes(data)
    if raw.startswith(_JPEG_SOI):
        check_jpeg(raw, camera)
        return EncodedFrame(camera, jpeg=raw)
    try:
        jpeg = base64_payload(raw)
    except ValueError:
        raise BadMessage("single-part message is neither JPEG nor base64", camera) from None
    if not jpeg.startswith(_JPEG_SOI):
        raise BadMessage("base64 message does not hold a JPEG", camera)
    check_jpeg(jpeg, camera)
    return EncodedFrame(camera, jpeg=jpeg)


def base64_payload(text: bytes) -> bytes:
    """The bytes a base64 text stands for, a ``data:...;base64,`` URI's too; ValueError if it is not base64."""
    text = text.strip()
    cut = text.find(_DATA_URI_PREFIX, 0, 64)  # "data:image/jpeg;base64,..."
    if cut >= 0:
        text = text[cut + len(_DATA_URI_PREFIX) :]
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise ValueError(str(exc)) from None


def check_jpeg(data: bytes, camera: str | None = None) -> None:
    """Cheap header check: a JPEG start marker and a readable, sane frame size."""
    if not data.startswith(_JPEG_SOI):
        raise BadMessage("payload is not a JPEG", camera)
    try:
        height, width, _, _ = simplejpeg.decode_jpeg_header(data)
    except ValueError:
        raise BadMessage("corrupt JPEG header", camera) from None
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise BadMessage(f"JPEG size {width}x{height} out of range", camera)


def read_json_header(header: BytesLike) -> dict[str, object]:
    """A message's JSON header (imagezmq's or NetGear's), size-checked; BadMessage if it is not a JSON object."""
    raw = bytes(header)
    if len(raw) > MAX_HEADER_BYTES:
        raise BadMessage(f"header longer than {MAX_HEADER_BYTES} bytes")
    try:
        fields = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadMessage("header is not UTF-8 JSON") from None
    if not isinstance(fields, dict):
        raise BadMessage("header is not a JSON object")
    return fields


def parse_array(fields: Mapping[str, object], payload: BytesLike, camera: str) -> np.ndarray:
    """The array a header's ``dtype`` and ``shape`` describe, as a view of ``payload`` (checked, never copied)."""
    dtype_name, shape = fields.get("dtype"), fields.get("shape")
    if not isinstance(dtype_name, str) or dtype_name not in ALLOWED_DTYPES:
        raise BadMessage(f"dtype {str(dtype_name)[:20]!r} not allowed", camera)
    if not isinstance(shape, list) or len(shape) not in (2, 3):
        raise BadMessage("shape must list 2 or 3 dimensions", camera)
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in shape):
        raise BadMessage("shape must hold integers", camera)
    height, width = shape[0], shape[1]
    channels = shape[2] if len(shape) == 3 else 1
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise BadMessage(f"array size {width}x{height} out of range", camera)
    if channels not in ALLOWED_CHANNELS:
        raise BadMessage(f"{channels} channels not supported", camera)
    dtype = ALLOWED_DTYPES[dtype_name]
    view = memoryview(payload).cast("B")
    expected = height * width * channels * dtype.itemsize
    if view.nbytes != expected:
        raise BadMessage(f"array payload is {view.nbytes} bytes, shape says {expected}", camera)
    pixels = np.frombuffer(view, dtype=dtype)  # a view: no copy of a possibly large frame
    return pixels.reshape((height, width) if channels == 1 else (height, width, channels))


def _sent_at(value: object) -> float | None:
    """The sender's stamp when it is a plausible wall-clock time; anything else is ignored."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    stamp = float(value)
    return stamp if math.isfinite(stamp) and 0 < stamp < 1e11 else None


# Encoding (our sender) -----------------------------------------------------------------
def encode_jpeg_message(name: str, jpeg: bytes, sent_at: float | None = None) -> list[bytes]:
    """What ``ImageSender.send_jpg(name, jpeg)`` sends, plus the optional timestamp."""
    header: dict[str, object] = {"msg": name}
    if sent_at is not None:
        header[SENT_AT_KEY] = sent_at
    return [json.dumps(header).encode("utf-8"), jpeg]


def encode_array_message(name: str, pixels: np.ndarray, sent_at: float | None = None) -> list[bytes | memoryview]:
    """What ``ImageSender.send_image(name, pixels)`` sends, plus the optional timestamp."""
    pixels = np.ascontiguousarray(pixels)
    header: dict[str, object] = {"msg": name, "dtype": str(pixels.dtype), "shape": list(pixels.shape)}
    if sent_at is not None:
        header[SENT_AT_KEY] = sent_at
    return [json.dumps(header).encode("utf-8"), pixels.data]  # a view: sent without a copy


def encode_notice_message(name: str, event: str | None = None) -> list[bytes]:
    """A heartbeat (``event`` None) or an event as imagenode sends them: ``name|Heartbeat``, ``name|motion|moving``.

    ``event`` is an ``Event``'s text (``"motion: moving"``); the payload is empty, as no receiver reads it.
    """
    msg = f"{name}|Heartbeat" if event is None else "|".join([name, *event.split(": ")])
    return [json.dumps({"msg": msg}).encode("utf-8"), b""]


def camera_topic(name: str) -> bytes:
    """The ZeroMQ subscription that takes camera ``name``'s messages from a PUB socket.

    Every imagezmq header starts ``{"msg": "NAME`` (imagezmq and we write ``msg`` first, with
    ``json.dumps``' default separators), so this prefix takes the camera's frames, heartbeats and
    events; it also takes names that start with ``name``, which the receiver's routing then drops.
    """
    return json.dumps({"msg": name}).encode("utf-8")[: -len('"}')]
