"""One Matroska file of one camera, without encoding anything again.

Matroska because a file cut short (a crash, a full disk) still plays up to its last whole cluster.
JPEG frames go into an MJPEG track byte for byte, written by ``mjpeg_file`` (they are nearly all the
bytes a wall records, and cheapest written by us); video packets (H.264, H.265, MJPEG from a URL
camera) are remuxed by PyAV with their own timestamps; raw arrays are encoded to JPEG once, here, in
the writer's thread. A chunk that does not fit the track (another codec or size, after a stream
switch) is refused by ``accepts``: the writer then starts a new file.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import simplejpeg

from monitor_app.core.recording.chunks import Chunk
from monitor_app.core.recording.clock import FrameClock, PacketClock
from monitor_app.core.recording.mjpeg_file import MjpegMatroskaFile

# FFmpeg's Matroska muxer offers every track without codec parameters to the extract_extradata filter;
# for MJPEG (which has none to extract) that filter answers at error level, a line per codec it does
# support, for every file. Harmless: the file is whole. Kept out of the user's log.
logging.getLogger("libav.extract_extradata").setLevel(logging.CRITICAL)

RAW_JPEG_QUALITY = 90
"""Raw arrays are encoded once, to be kept: better than the wire's usual 80."""


@dataclass(frozen=True)
class TrackFormat:
    """What a file's single video track holds; a chunk of another format needs a new file."""

    codec: str
    size: tuple[int, int] | None
    time_base: Fraction
    extradata: bytes | None = None


def track_format(chunk: Chunk) -> TrackFormat:
    packet, frame = chunk.packet, chunk.frame
    if packet is not None:
        return TrackFormat(packet.codec, packet.size, packet.time_base or FrameClock.time_base, packet.extradata)
    assert frame is not None
    if frame.jpeg is not None:
        height, width, _, _ = simplejpeg.decode_jpeg_header(frame.jpeg)
        return TrackFormat("mjpeg", (width, height), FrameClock.time_base)
    assert frame.pixels is not None
    return TrackFormat("mjpeg", (int(frame.pixels.shape[1]), int(frame.pixels.shape[0])), FrameClock.time_base)


def jpeg_head(data: bytes) -> bytes | None:
    """A JPEG's bytes up to the end of its frame header (SOF, which holds the size), or None if it has none.

    Frames of one encoder at one size and quality share these bytes exactly, so comparing them tells
    a frame fits its file's track without parsing it again (30 times a second per camera).
    """
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # SOF0-15, not DHT, JPG, DAC
            return data[:at]
    return None


def encode_raw(pixels: np.ndarray) -> bytes:
    """A raw array (gray, BGR or BGRA) as a JPEG, once."""
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    colorspace = {1: "GRAY", 3: "BGR", 4: "BGRA"}[pixels.shape[2]]
    return bytes(simplejpeg.encode_jpeg(np.ascontiguousarray(pixels), RAW_JPEG_QUALITY, colorspace))


class MatroskaMuxer:
    """Opens ``path`` at the first chunk; ``write`` and ``flush`` raise ``OSError``/``av.FFmpegError`` when
    the disk says no. Frames written are on their way to the disk after ``flush`` (video packets sooner)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.format: TrackFormat | None = None
        self.frames = 0
        self.bytes = 0  # payload written (the file adds a little framing)
        self._container: av.container.OutputContainer | None = None
        self._frames_file: MjpegMatroskaFile | None = None
        self._jpeg_head: bytes | None = None
        self._stream: av.stream.Stream | None = None
        self._clock: FrameClock | PacketClock | None = None

    def accepts(self, chunk: Chunk) -> bool:
        if self.format is None:
            return True
        jpeg = chunk.frame.jpeg if chunk.frame is not None else None
        if jpeg is not None and self._jpeg_head is not None and jpeg.startswith(self._jpeg_head):
            return True  # the same tables and frame header as a frame that fitted
        fits = track_format(chunk) == self.format
        if fits and jpeg is not None:
            self._jpeg_head = jpeg_head(jpeg)
        return fits

    def write(self, chunk: Chunk) -> None:
        if self._container is None and self._frames_file is None:
            self._open(chunk)
        assert self._clock is not None
        data = self._payload(chunk)
        pts, dts = self._clock.stamp(chunk)
        if self._frames_file is not None:
            self._frames_file.add(pts, data)
        else:
            self._mux(data, pts, dts, chunk.keyframe)
        self.frames += 1
        self.bytes += len(data)

    def flush(self) -> None:
        """The frames written so far go to the disk (PyAV writes video packets as its clusters fill)."""
        if self._frames_file is not None:
            self._frames_file.flush()

    def close(self) -> None:
        """Write the index and close; a failure here (a full disk) leaves the clusters already written."""
        container, self._container = self._container, None
        frames_file, self._frames_file = self._frames_file, None
        if container is not None:
            container.close()
        if frames_file is not None:
            frames_file.close()

    def file_size(self) -> int:
        if self._frames_file is not None:
            return self._frames_file.size  # counted, not asked of the disk: the badges ask twice a second
        try:  # what reached the disk; while open, FFmpeg's buffer may still hold the newest payload
            return max(os.path.getsize(self.path), self.bytes)
        except OSError:
            return self.bytes

    # Internals -----------------------------------------------------------------------------
    def _open(self, chunk: Chunk) -> None:
        self.format = fmt = track_format(chunk)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if chunk.frame is not None:  # JPEG or raw frames: our own writer, no PyAV in the way
            assert fmt.size is not None
            self._frames_file = MjpegMatroskaFile(self.path, fmt.size)
            self._clock = FrameClock()
            return
        container = av.open(str(self.path), "w", format="matroska")
        try:
            size = fmt.size or (0, 0)
            stream = container.add_mux_stream(fmt.codec, width=size[0], height=size[1])
            stream.time_base = fmt.time_base
        except BaseException:
            container.close()
            raise
        self._container, self._stream = container, stream
        self._clock = PacketClock(fmt.time_base) if chunk.packet is not None else FrameClock()
        self._first = True

    def _mux(self, data: bytes, pts: int, dts: int, keyframe: bool) -> None:
        assert self._stream is not None and self._clock is not None and self._container is not None
        packet = av.Packet(data)
        packet.stream = self._stream
        packet.time_base = self._clock.time_base
        packet.pts, packet.dts = pts, dts
        packet.is_keyframe = keyframe
        self._container.mux(packet)

    def _payload(self, chunk: Chunk) -> bytes:
        frame, packet = chunk.frame, chunk.packet
        if frame is not None:
            if frame.jpeg is not None:
                return frame.jpeg  # the sender's bytes, unchanged
            assert frame.pixels is not None
            return encode_raw(frame.pixels)
        assert packet is not None
        data = packet.data
        if self._first:
            self._first = False
            data = _with_parameter_sets(data, packet.extradata)
        return data


def _with_parameter_sets(data: bytes, extradata: bytes | None) -> bytes:
    """The file's first packet with the stream's parameter sets (SPS/PPS) in front, unless it has them.

    Matroska keeps them in the track header, which the muxer fills from the first packet (the stream
    has no codec context to take them from); an RTSP camera often sends them only in its SDP.
    Only Annex B extradata (start codes, as RTSP and MPEG-TS give) can be put in front of a packet.
    """
    if not extradata or not (extradata.startswith(b"\x00\x00\x01") or extradata.startswith(b"\x00\x00\x00\x01")):
        return data
    if extradata.lstrip(b"\x00") in data:
        return data
    return extradata + data
