"""The imagezmq wire format: what imagezmq sends parses, what we send imagezmq reads, the rest is refused."""

from __future__ import annotations

import base64
import json

import cv2
import imagezmq.imagezmq as izmq
import numpy as np
import pytest
import simplejpeg
import zmq

from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.imagezmq_wire import (
    MAX_SIDE,
    UNNAMED,
    BadMessage,
    Heartbeat,
    camera_from_msg,
    encode_array_message,
    encode_jpeg_message,
    parse_imagezmq,
    parse_message,
    parse_single_part,
)


def jpeg_bytes(width: int = 64, height: int = 48) -> bytes:
    image = np.zeros((height, width, 3), np.uint8)
    image[:, : width // 2] = (0, 128, 255)
    return simplejpeg.encode_jpeg(image, quality=80, colorspace="BGR")


def header(**fields: object) -> bytes:
    return json.dumps(fields).encode()


@pytest.fixture
def imagezmq_pair() -> tuple[zmq.Socket, zmq.Socket]:
    """imagezmq's own serializing sockets over inproc: the reference implementation of the format."""
    context = izmq.SerializingContext()
    sender, receiver = context.socket(zmq.PAIR), context.socket(zmq.PAIR)
    for sock in (sender, receiver):
        sock.setsockopt(zmq.LINGER, 0)
        sock.setsockopt(zmq.RCVTIMEO, 2000)
    receiver.bind("inproc://wire")
    sender.connect("inproc://wire")
    yield sender, receiver
    sender.close()
    receiver.close()
    context.term()


# What imagezmq sends, we read -------------------------------------------------------------
@pytest.mark.parametrize(
    "image",
    [
        np.arange(48 * 64 * 3, dtype=np.uint8).reshape(48, 64, 3),
        np.arange(48 * 64, dtype=np.uint8).reshape(48, 64),
        np.arange(48 * 64 * 4, dtype=np.uint8).reshape(48, 64, 4),
    ],
    ids=["bgr", "gray", "bgra"],
)
def test_imagezmq_send_image_parses_to_the_same_pixels(imagezmq_pair, image: np.ndarray) -> None:
    sender, receiver = imagezmq_pair
    sender.send_array(image, "garage cam|raw")
    parts = receiver.recv_multipart(copy=False)
    frame = parse_message([p.buffer for p in parts])
    assert isinstance(frame, EncodedFrame)
    assert frame.camera == "garage cam"
    assert frame.jpeg is None and frame.sent_at is None
    np.testing.assert_array_equal(frame.pixels, image)


def test_raw_pixels_are_a_view_of_the_received_buffer(imagezmq_pair) -> None:
    sender, receiver = imagezmq_pair
    sender.send_array(np.ones((480, 640, 3), np.uint8), "big")
    parts = receiver.recv_multipart(copy=False)
    frame = parse_message([p.buffer for p in parts])
    assert isinstance(frame, EncodedFrame) and frame.pixels is not None
    assert not frame.pixels.flags.owndata  # zero-copy: no second 900 KB buffer per frame


def test_imagezmq_send_jpg_parses(imagezmq_pair) -> None:
    sender, receiver = imagezmq_pair
    data = jpeg_bytes()
    sender.send_jpg("porch", data)
    frame = parse_message(receiver.recv_multipart())
    assert isinstance(frame, EncodedFrame)
    assert (frame.camera, frame.jpeg, frame.pixels) == ("porch", data, None)


# What we send, imagezmq reads ---------------------------------------------------------------
def test_our_jpeg_message_is_read_by_imagezmq(imagezmq_pair) -> None:
    sender, receiver = imagezmq_pair
    data = jpeg_bytes()
    sender.send_multipart(encode_jpeg_message("cam", data, sent_at=1700000000.5))
    name, received = receiver.recv_jpg()
    assert (name, bytes(received)) == ("cam", data)


def test_our_array_message_is_read_by_imagezmq(imagezmq_pair) -> None:
    sender, receiver = imagezmq_pair
    image = np.arange(30 * 40 * 3, dtype=np.uint8).reshape(30, 40, 3)
    sender.send_multipart(encode_array_message("cam", image, sent_at=1700000000.5))
    name, received = receiver.recv_array()
    assert name == "cam"
    np.testing.assert_array_equal(received, image)


def test_our_messages_round_trip_with_the_timestamp() -> None:
    image = np.zeros((20, 30), np.uint8)
    frame = parse_message(encode_array_message("a", image, sent_at=1700000000.25))
    assert isinstance(frame, EncodedFrame) and frame.sent_at == 1700000000.25
    frame = parse_message(encode_jpeg_message("b", jpeg_bytes(), sent_at=1700000001.0))
    assert isinstance(frame, EncodedFrame) and frame.sent_at == 1700000001.0


# Names and heartbeats ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("msg", "expected"),
    [
        ("garage cam|jpg", ("garage cam", False)),
        ("garage|Heartbeat", ("garage", True)),
        ("garage | heartbeat ", ("garage", True)),
        ("garage|OK|Heartbeat", ("garage", True)),
        ("plain", ("plain", False)),
        ("", (UNNAMED, False)),
        ("|jpg", (UNNAMED, False)),
    ],
)
def test_camera_name_is_the_text_before_the_first_bar(msg: str, expected: tuple[str, bool]) -> None:
    assert camera_from_msg(msg) == expected


def test_heartbeat_is_not_a_frame() -> None:
    message = parse_imagezmq(header(msg="pi-3|Heartbeat"), b"anything")
    assert message == Heartbeat("pi-3")


@pytest.mark.parametrize("stamp", ["yesterday", True, None, float("nan"), -5, 1e20, [1]])
def test_implausible_timestamps_are_ignored(stamp: object) -> None:
    raw = json.dumps({"msg": "a", "sent_at": stamp}).encode()
    frame = parse_imagezmq(raw, jpeg_bytes())
    assert isinstance(frame, EncodedFrame) and frame.sent_at is None


# Hostile headers ---------------------------------------------------------------------------
GRAY_10 = bytes(100)

BAD = [
    ("not json", [b"{nope", GRAY_10]),
    ("not utf-8", [b"\xff\xfe{}", GRAY_10]),
    ("array", [b"[1, 2]", GRAY_10]),
    ("string", [b'"msg"', GRAY_10]),
    ("no msg", [header(name="a"), GRAY_10]),
    ("msg not str", [header(msg=5), GRAY_10]),
    ("dtype float64", [header(msg="a", dtype="float64", shape=[10, 10]), bytes(800)]),
    ("dtype object", [header(msg="a", dtype="object", shape=[10, 10]), GRAY_10]),
    ("dtype list", [header(msg="a", dtype=["uint8"], shape=[10, 10]), GRAY_10]),
    ("shape missing", [header(msg="a", dtype="uint8"), GRAY_10]),
    ("one dim", [header(msg="a", dtype="uint8", shape=[100]), GRAY_10]),
    ("four dims", [header(msg="a", dtype="uint8", shape=[10, 10, 1, 1]), GRAY_10]),
    ("two channels", [header(msg="a", dtype="uint8", shape=[5, 10, 2]), GRAY_10]),
    ("five channels", [header(msg="a", dtype="uint8", shape=[2, 10, 5]), GRAY_10]),
    ("negative", [header(msg="a", dtype="uint8", shape=[-10, -10]), GRAY_10]),
    ("zero", [header(msg="a", dtype="uint8", shape=[0, 10]), b""]),
    ("string dims", [header(msg="a", dtype="uint8", shape=["10", 10]), GRAY_10]),
    ("bool dims", [header(msg="a", dtype="uint8", shape=[True, 100]), GRAY_10]),
    ("float dims", [header(msg="a", dtype="uint8", shape=[10.0, 10]), GRAY_10]),
    ("too wide", [header(msg="a", dtype="uint8", shape=[1, MAX_SIDE + 1]), bytes(MAX_SIDE + 1)]),
    ("huge claim", [header(msg="a", dtype="uint8", shape=[100000, 100000]), GRAY_10]),
    ("short buffer", [header(msg="a", dtype="uint8", shape=[10, 11]), GRAY_10]),
    ("long buffer", [header(msg="a", dtype="uint8", shape=[10, 10, 3]), GRAY_10]),
    ("not jpeg", [header(msg="a"), b"GIF89a...."]),
    ("empty jpeg", [header(msg="a"), b""]),
    ("corrupt jpeg header", [header(msg="a"), b"\xff\xd8\xff" + bytes(range(256)) * 4]),
    ("long header", [header(msg="a" * 5000), GRAY_10]),
    ("control chars", [header(msg="a\x1b[31m"), GRAY_10]),
    ("one part", [header(msg="a")]),
    ("three parts", [header(msg="a"), jpeg_bytes(), b"extra"]),
    ("no parts", []),
]


@pytest.mark.parametrize(("case", "parts"), BAD, ids=[case for case, _ in BAD])
def test_hostile_messages_are_refused_with_a_reason(case: str, parts: list[bytes]) -> None:
    with pytest.raises(BadMessage) as info:
        parse_message(parts)
    assert info.value.reason


def test_a_bad_message_names_its_camera_when_the_header_did() -> None:
    with pytest.raises(BadMessage) as info:
        parse_message([header(msg="porch|jpg", dtype="uint8", shape=[10, 10]), b"short"])
    assert info.value.camera == "porch"


def test_oversized_jpeg_is_refused_from_its_header() -> None:
    # A valid JPEG header claiming 9000x9000 pixels (the SOF0 size fields patched).
    data = bytearray(jpeg_bytes(16, 16))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = (9000).to_bytes(2, "big") * 2
    with pytest.raises(BadMessage, match="out of range"):
        parse_imagezmq(header(msg="a"), bytes(data))


# Single-part publishers -----------------------------------------------------------------------
def test_base64_jpeg_string_as_plain_publishers_send_it() -> None:
    ok, encoded = cv2.imencode(".jpg", np.zeros((24, 32, 3), np.uint8))
    assert ok
    text = base64.b64encode(encoded.tobytes()).decode()
    frame = parse_single_part(text.encode(), "tcp://10.0.0.5:5556")
    assert frame.camera == "tcp://10.0.0.5:5556"
    assert frame.jpeg == encoded.tobytes()


def test_base64_with_a_data_uri_prefix_and_newline() -> None:
    data = jpeg_bytes()
    frame = parse_single_part(b"data:image/jpeg;base64," + base64.b64encode(data) + b"\n", "ep")
    assert frame.jpeg == data


def test_raw_jpeg_bytes_single_part() -> None:
    data = jpeg_bytes()
    assert parse_single_part(data, "ep").jpeg == data


@pytest.mark.parametrize(
    "payload",
    [b"hello world", base64.b64encode(b"not a jpeg"), b"////", b"", b"\xff\xd8\xff garbage", b"\x00" * 50],
)
def test_single_part_garbage_is_refused(payload: bytes) -> None:
    with pytest.raises(BadMessage):
        parse_single_part(payload, "ep")
