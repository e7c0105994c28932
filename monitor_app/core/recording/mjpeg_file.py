"""A Matroska file of JPEG frames, written by us: each batch of frames is one cluster, written at once.

Why not PyAV for these, as for video packets: a wall recording every camera writes every frame it
receives (32 cameras of 720p JPEG at 30 fps are 110 MB/s), and through PyAV each frame cost a packet
copy, the muxer's cluster buffer, its CRC and its 32 KB writes, about 200 µs of CPU a frame with the
disk's share (``bench --record``). Here the received bytes go from their ``bytes`` object to the
kernel untouched; only a 12-byte block header is made per frame.

The layout is what FFmpeg's own muxer writes, so every player and ``ffprobe`` read it the same way:
EBML header, a Segment (of unknown size until closed), a SeekHead and Duration reserved as Void
elements, Info, Tracks (one ``V_MJPEG`` track), then Clusters of SimpleBlocks, each complete when
written. A file cut short (a crash, a full disk) plays up to its last cluster; ``close`` adds the
Cues (one per cluster, for seeking), the Duration, the SeekHead and the Segment's size.

Where the system allows it (Linux), the file is written with ``O_DIRECT``: the bytes are copied once
into a reused, page-aligned buffer (by the kernel, the GIL released: ``file_io.AlignedBuffer``) and go
to the disk from there, not through the page cache. On the bench machines the kernel's copy of
110 MB/s into ever new cache pages (``copy_folio_from_iter_atomic``) was half the writer threads' time,
and nobody reads a recording back soon. Elsewhere, or when a write is refused, the parts go through
the page cache, dropped from it as the file grows.
"""

from __future__ import annotations

import errno
import os
import struct
from pathlib import Path

from monitor_app.core.recording.ebml import element, element_id, size_vint, uint_element, void
from monitor_app.core.recording.file_io import AlignedBuffer, open_with_head, set_direct, split_at

TIMESTAMP_SCALE_NS = 1_000_000
"""Block times in milliseconds, the frames' clock (``clock.FRAME_TIME_BASE``)."""
CLUSTER_FRAMES = 256
"""Frames a cluster takes before it is written anyway: two iovecs a frame stay under ``IOV_MAX`` (1024)."""
CLUSTER_BYTES = 8 * 1024 * 1024
CLUSTER_SPAN_MS = 30_000
"""A block's time is a signed 16-bit offset from its cluster's: at most 32.767 s apart."""
DROP_CACHE_BYTES = 2 * 1024 * 1024
"""Without ``O_DIRECT``: how much is written between asking the kernel to write back and forget the pages."""
DIRECT_ALIGN = 4096
"""``O_DIRECT`` writes whole blocks from aligned memory to aligned offsets: 4 KiB suits every disk."""
DIRECT_BUFFER = 1024 * 1024
"""The aligned buffer each file's bytes pass through; it is written out whenever it fills and at each flush."""
PAGE_CACHE_PIECE = 64 * 1024  # when O_DIRECT is given up (a full disk): pieces small enough to fill what is left

_EBML, _SEGMENT, _SEEK_HEAD, _INFO, _TRACKS = 0x1A45DFA3, 0x18538067, 0x114D9B74, 0x1549A966, 0x1654AE6B
_CLUSTER, _CUES, _SEEK, _SEEK_ID, _SEEK_POSITION = 0x1F43B675, 0x1C53BB6B, 0x4DBB, 0x53AB, 0x53AC
_UNKNOWN_SIZE = b"\x01\xff\xff\xff\xff\xff\xff\xff"
_SEEK_HEAD_ROOM = 96  # three Seek entries of 21 bytes, the SeekHead's own 5, and a Void for the rest
_DURATION_ROOM = 11  # a Duration element: 2-byte id, 1-byte size, an 8-byte float
_BLOCK_HEAD = struct.Struct(">BhB")  # track 1 as a 1-byte vint, the time offset, the flags


def ebml_header() -> bytes:
    return element(
        _EBML,
        uint_element(0x4286, 1)  # EBMLVersion
        + uint_element(0x42F7, 1)  # EBMLReadVersion
        + uint_element(0x42F2, 4)  # EBMLMaxIDLength
        + uint_element(0x42F3, 8)  # EBMLMaxSizeLength
        + element(0x4282, b"matroska")  # DocType
        + uint_element(0x4287, 4)  # DocTypeVersion
        + uint_element(0x4285, 2),  # DocTypeReadVersion
    )


def info(app: bytes) -> bytes:
    return element(
        _INFO,
        uint_element(0x2AD7B1, TIMESTAMP_SCALE_NS) + element(0x4D80, app) + element(0x5741, app) + void(_DURATION_ROOM),
    )


def tracks(width: int, height: int) -> bytes:
    video = uint_element(0xB0, width) + uint_element(0xBA, height)  # PixelWidth, PixelHeight
    entry = (
        uint_element(0xD7, 1)  # TrackNumber
        + uint_element(0x73C5, 1)  # TrackUID
        + uint_element(0x83, 1)  # TrackType: video
        + uint_element(0x9C, 0)  # FlagLacing
        + element(0x86, b"V_MJPEG")  # CodecID
        + element(0xE0, video)
    )
    return element(_TRACKS, element(0xAE, entry))


def seek_head(positions: dict[int, int]) -> bytes:
    """Where Info, Tracks and Cues start (from the Segment's data), padded to its reserved room."""
    entries = b"".join(
        element(_SEEK, element(_SEEK_ID, element_id(key)) + element(_SEEK_POSITION, at.to_bytes(8, "big")))
        for key, at in positions.items()
    )
    head = element(_SEEK_HEAD, entries)
    return head + void(_SEEK_HEAD_ROOM - len(head))


def cues(clusters: list[tuple[int, int]]) -> bytes:
    points = b"".join(
        element(0xBB, uint_element(0xB3, at_ms) + element(0xB7, uint_element(0xF7, 1) + uint_element(0xF1, position)))
        for at_ms, position in clusters
    )
    return element(_CUES, points)


class MjpegMatroskaFile:
    """``add`` frames (milliseconds, JPEG bytes), ``flush`` writes them as a cluster, ``close`` finishes.

    Every method runs on the recording's writer thread and raises ``OSError`` when the disk refuses.
    """

    def __init__(self, path: Path, size: tuple[int, int], app: str = "camera-monitor", direct: bool = True) -> None:
        self.path = path
        start = ebml_header() + element_id(_SEGMENT) + _UNKNOWN_SIZE
        self._segment_at = len(start)  # where the Segment's data starts: positions count from here
        self._info_at = _SEEK_HEAD_ROOM
        info_element = info(app.encode())
        self._duration_at = self._segment_at + self._info_at + len(info_element) - _DURATION_ROOM
        self._tracks_at = self._info_at + len(info_element)
        head = start + void(_SEEK_HEAD_ROOM) + info_element + tracks(*size)
        self._fd, self.direct = open_with_head(path, head, direct)
        self._buffer = AlignedBuffer(DIRECT_BUFFER) if self.direct else None
        # In O_DIRECT, the bytes of the buffer not yet on the disk: the last partial block stays for the next
        # write, rewritten whole with what follows (the head is the first such block).
        self._filled = 0
        if self._buffer is not None:
            self._buffer.memory[: len(head)] = head
            self._filled = len(head)
        self._buffer_at = 0  # the file offset of the buffer's first byte: a multiple of DIRECT_ALIGN
        self._frame_bytes = 0  # of the frames added since the last flush
        self._frames: list[tuple[int, bytes]] = []
        self._cluster_ms = 0
        self._clusters: list[tuple[int, int]] = []  # (time, position) of each cluster written, for the Cues
        self._written = len(head)
        self._dropped_to = self._drop_asked = 0
        self._last_ms = self._step_ms = 0

    @property
    def size(self) -> int:
        """Bytes handed to the kernel so far."""
        return self._written

    def add(self, at_ms: int, jpeg: bytes) -> None:
        if self._frames and (
            len(self._frames) >= CLUSTER_FRAMES
            or self._frame_bytes >= CLUSTER_BYTES
            or at_ms - self._cluster_ms > CLUSTER_SPAN_MS
        ):
            self.flush()
        if not self._frames:
            self._cluster_ms = at_ms
        self._frames.append((at_ms, jpeg))
        self._frame_bytes += len(jpeg)
        self._step_ms, self._last_ms = at_ms - self._last_ms, at_ms

    def flush(self) -> None:
        """The frames added since the last flush, as one cluster in one write."""
        if self._frames:
            self._write(self._cluster())
            self._frames, self._frame_bytes = [], 0
        if self.direct:
            self._write_buffer()
        elif self._written - self._drop_asked >= DROP_CACHE_BYTES:
            self._forget_written()

    def close(self) -> None:
        """The last cluster, the Cues, then what was kept room for; the file is closed even when that fails."""
        try:
            self.flush()
            cues_at = self._written - self._segment_at
            self._write([cues(self._clusters)])
            if self._buffer is not None:  # what follows is a few bytes at odd offsets: through the page cache
                self._leave_direct()
            positions = {_INFO: self._info_at, _TRACKS: self._tracks_at, _CUES: cues_at}
            os.pwrite(self._fd, seek_head(positions), self._segment_at)
            duration = float(self._last_ms + self._step_ms)  # the last frame lasts as long as the one before
            os.pwrite(self._fd, element_id(0x4489) + size_vint(8) + struct.pack(">d", duration), self._duration_at)
            size = self._written - self._segment_at
            os.pwrite(self._fd, size_vint(size, 8), self._segment_at - 8)
            self._forget_written(everything=True)
        finally:
            os.close(self._fd)
            if self._buffer is not None:  # the disk refused the last flush
                self._buffer.close()

    # Internals -------------------------------------------------------------------------------
    def _cluster(self) -> list[bytes]:
        """A Cluster: its header (size and time) and, per frame, a SimpleBlock header and the JPEG as it came."""
        parts: list[bytes] = []
        payload = 0
        for at_ms, jpeg in self._frames:
            block = _BLOCK_HEAD.pack(0x81, at_ms - self._cluster_ms, 0x80)  # 0x80: a key frame
            head = bytes([0xA3]) + size_vint(len(block) + len(jpeg)) + block
            parts += (head, jpeg)
            payload += len(head) + len(jpeg)
        timestamp = uint_element(0xE7, self._cluster_ms)
        self._clusters.append((self._cluster_ms, self._written - self._segment_at))
        return [element_id(_CLUSTER) + size_vint(len(timestamp) + payload) + timestamp, *parts]

    def _write(self, parts: list[bytes]) -> None:
        if self._buffer is not None:
            self._copy_to_buffer(parts)
            return
        total = sum(len(part) for part in parts)
        done = os.writev(self._fd, parts) if hasattr(os, "writev") else os.write(self._fd, b"".join(parts))
        if done < total:  # a short write: the disk is filling; the next one says why it stopped
            rest = memoryview(b"".join(parts))[done:]
            while rest:
                rest = rest[os.write(self._fd, rest) :]
        self._written += total

    def _copy_to_buffer(self, parts: list[bytes]) -> None:
        """Into the buffer, one fill (one GIL-free copy) per buffer's worth, each full buffer out to the disk."""
        assert self._buffer is not None
        pending: list[bytes | memoryview] = list(parts)
        while pending:
            batch, pending = split_at(pending, DIRECT_BUFFER - self._filled)
            self._filled += self._buffer.fill(batch, self._filled)
            self._written = self._buffer_at + self._filled
            if self._filled == DIRECT_BUFFER:
                self._write_buffer()
                if self._buffer is None:  # O_DIRECT was refused: the rest through the page cache
                    self._write([bytes(part) for part in pending])
                    return

    def _write_buffer(self) -> None:
        """The buffer's whole blocks to the disk; its last partial block moves to the front, written again next time."""
        assert self._buffer is not None
        whole = self._filled - self._filled % DIRECT_ALIGN
        done = 0
        with memoryview(self._buffer.memory) as view:
            try:
                while done < whole:
                    count = os.pwrite(self._fd, view[done:whole], self._buffer_at + done)
                    if count <= 0 or count % DIRECT_ALIGN:  # a short write mid-block: the disk is full
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                    done += count
            except OSError:
                refused = True
            else:
                refused = False
                tail = self._filled - whole
                view[:tail] = view[whole : self._filled]
        if refused:  # a full disk takes no whole megabyte, but may take part of it: see how much
            self._leave_direct()
            return
        self._buffer_at += whole
        self._filled = tail

    def _leave_direct(self) -> None:
        """No more ``O_DIRECT``: the buffer goes out in pieces, so a disk with little room left takes what it can
        (and raises where it stops), and the file goes on through the page cache."""
        buffer, self._buffer, self.direct = self._buffer, None, False
        assert buffer is not None
        try:
            set_direct(self._fd, False)
            for start in range(0, self._filled, PAGE_CACHE_PIECE):
                os.pwrite(
                    self._fd,
                    buffer.memory[start : min(self._filled, start + PAGE_CACHE_PIECE)],
                    self._buffer_at + start,
                )
            self._written = self._buffer_at + self._filled
            os.lseek(self._fd, self._written, os.SEEK_SET)  # writev goes on from the end of what was written
        finally:
            buffer.close()

    def _forget_written(self, everything: bool = False) -> None:
        """Write back what was written and drop it from the page cache (a no-op where there is no fadvise).

        The kernel drops only pages already on the disk, so each range is asked about twice: once to start
        its write-back, once more a few megabytes later, when it is clean.
        """
        if not hasattr(os, "posix_fadvise"):
            return
        os.posix_fadvise(self._fd, self._dropped_to, 0, os.POSIX_FADV_DONTNEED)
        self._dropped_to = 0 if everything else self._drop_asked
        self._drop_asked = self._written
