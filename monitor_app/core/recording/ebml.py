"""EBML, Matroska's binary form: elements of an id, a size and a payload, sizes as variable-length integers.

Only what ``mjpeg_file`` writes: unsigned integers, strings, masters and Void (room kept for later).
The spec: RFC 8794 (EBML) and RFC 9559 (Matroska).
"""

from __future__ import annotations

VOID = 0xEC


def element_id(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


def size_vint(size: int, length: int | None = None) -> bytes:
    """An EBML size: ``length`` bytes, or the fewest that hold it (all ones would mean "unknown")."""
    if length is None:
        length = 1
        while size >= (1 << (7 * length)) - 1:
            length += 1
    return (size | (1 << (7 * length))).to_bytes(length, "big")


def element(value: int, payload: bytes) -> bytes:
    return element_id(value) + size_vint(len(payload)) + payload


def uint_element(value: int, number: int) -> bytes:
    return element(value, number.to_bytes(max(1, (number.bit_length() + 7) // 8), "big"))


def void(total: int) -> bytes:
    """A Void element of exactly ``total`` bytes (at least 2): room kept for what ``close`` writes."""
    return bytes([VOID]) + size_vint(total - 2, 1) + bytes(total - 2)
