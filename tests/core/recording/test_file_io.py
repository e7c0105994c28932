"""The aligned buffer O_DIRECT recordings go out from: the kernel fills it (GIL released) where it can."""

from __future__ import annotations

import os

import pytest

from monitor_app.core.recording import file_io
from monitor_app.core.recording.file_io import AlignedBuffer

PARTS: list[bytes | memoryview] = [
    b"cluster-head",
    os.urandom(5000),
    memoryview(os.urandom(3000))[1000:],
    b"",
    os.urandom(7),
]
JOINED = b"".join(bytes(p) for p in PARTS)


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="memfd is Linux only")
def test_the_kernel_copies_the_parts_in_order() -> None:
    buffer = AlignedBuffer(64 * 1024)
    try:
        assert buffer._fd is not None  # the copy runs in pwritev, not in Python
        buffer.memory[:100] = b"x" * 100
        assert buffer.fill(list(PARTS), 100) == len(JOINED)
        assert buffer.memory[:100] == b"x" * 100
        assert buffer.memory[100 : 100 + len(JOINED)] == JOINED
    finally:
        buffer.close()
    assert buffer._fd is None


def test_without_memfd_python_copies_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "memfd_create", raising=False)
    buffer = AlignedBuffer(64 * 1024)
    try:
        assert buffer._fd is None
        assert buffer.fill(list(PARTS), 4096) == len(JOINED)
        assert buffer.memory[4096 : 4096 + len(JOINED)] == JOINED
    finally:
        buffer.close()


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="memfd is Linux only")
def test_a_short_copy_goes_on_where_it_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.pwritev
    calls = []

    def at_most_1000(fd: int, parts: list[bytes], offset: int) -> int:
        joined = b"".join(bytes(p) for p in parts)[:1000]
        calls.append(len(joined))
        return real(fd, [joined], offset)

    monkeypatch.setattr(file_io.os, "pwritev", at_most_1000)
    buffer = AlignedBuffer(64 * 1024)
    try:
        buffer.fill(list(PARTS), 0)
        assert buffer.memory[: len(JOINED)] == JOINED
        assert len(calls) == -(-len(JOINED) // 1000)
    finally:
        buffer.close()


def test_parts_split_at_a_byte_count() -> None:
    parts: list[bytes | memoryview] = [b"abc", b"defg", b"h"]

    def split(count: int) -> tuple[list[bytes], list[bytes]]:
        head, rest = file_io.split_at(parts, count)
        return [bytes(p) for p in head], [bytes(p) for p in rest]

    assert split(0) == ([], [b"abc", b"defg", b"h"])
    assert split(3) == ([b"abc"], [b"defg", b"h"])
    assert split(5) == ([b"abc", b"de"], [b"fg", b"h"])
    assert split(8) == ([b"abc", b"defg", b"h"], [])
    assert split(100) == ([b"abc", b"defg", b"h"], [])
