"""Our own Matroska writer for JPEG frames, read back by FFmpeg (PyAV): bytes, times, index, a cut-short file."""

from __future__ import annotations

import os
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from monitor_app.core.recording import mjpeg_file
from monitor_app.core.recording.chunks import frame_chunk
from monitor_app.core.recording.ebml import size_vint
from monitor_app.core.recording.mjpeg_file import MjpegMatroskaFile
from monitor_app.core.recording.muxer import MatroskaMuxer, jpeg_head
from monitor_app.core.sources.frames import EncodedFrame


def jpegs(count: int, size: tuple[int, int] = (320, 180)) -> list[bytes]:
    """Different JPEGs (a moving bar), so a frame written in the wrong place would show."""
    frames = []
    for i in range(count):
        image = np.full((size[1], size[0], 3), 40, np.uint8)
        image[:, (i * 7) % size[0] :][:, :12] = 220
        frames.append(cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes())
    return frames


def read_back(path: Path) -> tuple[list[bytes], list[float], float | None, int, tuple[int, int]]:
    """Packets' bytes and times (s), the file's duration (s), frames that decode, and the track's size."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        size = (stream.codec_context.width, stream.codec_context.height)
        duration = container.duration / 1e6 if container.duration else None
        packets = [(bytes(p), float(p.pts * p.time_base)) for p in container.demux(stream) if p.size]
    with av.open(str(path)) as container:
        decoded = sum(1 for _ in container.decode(video=0))
    return [p for p, _ in packets], [t for _, t in packets], duration, decoded, size


@pytest.mark.parametrize("direct", [True, False], ids=["o_direct", "page_cache"])
def test_every_frame_is_written_byte_for_byte_at_its_time(tmp_path: Path, direct: bool) -> None:
    frames = jpegs(90)
    path = tmp_path / "cam.mkv"
    file = MjpegMatroskaFile(path, (320, 180), direct=direct)
    times_ms = [round(i * 1000 / 30 + (15 if i > 45 else 0)) for i in range(90)]  # a 15 ms hiccup: kept
    for i, (at, jpeg) in enumerate(zip(times_ms, frames, strict=True)):
        file.add(at, jpeg)
        if i % 7 == 6:
            file.flush()
    file.close()
    packets, times, duration, decoded, size = read_back(path)
    assert packets == frames and decoded == 90 and size == (320, 180)
    assert times == pytest.approx([t / 1000 for t in times_ms], abs=0.0011)
    assert duration == pytest.approx((times_ms[-1] + 33) / 1000, abs=0.01)
    assert os.path.getsize(path) == file.size


def test_clusters_split_at_their_limits_and_the_index_finds_each(tmp_path: Path) -> None:
    frames = jpegs(40)
    path = tmp_path / "cam.mkv"
    file = MjpegMatroskaFile(path, (320, 180))
    for i, jpeg in enumerate(frames):  # frames 20 s apart: no cluster may span more than 32 s
        file.add(i * 20_000, jpeg)
    file.close()
    assert len(file._clusters) >= 20
    with av.open(str(path)) as container:
        container.seek(int(500 * 1e6), any_frame=False)  # through the Cues, to 500 s
        packet = next(p for p in container.demux(video=0) if p.size)
        assert float(packet.pts * packet.time_base) == pytest.approx(500.0, abs=20.0)


def test_a_file_cut_short_plays_up_to_its_last_cluster(tmp_path: Path) -> None:
    frames = jpegs(60)
    path = tmp_path / "cam.mkv"
    file = MjpegMatroskaFile(path, (320, 180), direct=False)
    for i, jpeg in enumerate(frames):
        file.add(i * 33, jpeg)
        if i % 10 == 9:
            file.flush()  # six clusters of ten frames
    cut = file.size - len(frames[-1]) // 2  # a crash in the middle of the last frame; no index, no duration
    os.close(file._fd)
    os.truncate(path, cut)
    packets, _, _, decoded, _ = read_back(path)
    assert packets[:50] == frames[:50] and decoded >= 50


def test_the_muxer_writes_jpeg_frames_through_it_and_checks_their_size_cheaply(tmp_path: Path) -> None:
    small, large = jpegs(3), jpegs(1, (640, 360))
    muxer = MatroskaMuxer(tmp_path / "cam.mkv")
    chunks = [frame_chunk(EncodedFrame("cam", jpeg=j, received_at=100 + i / 10)) for i, j in enumerate(small)]
    for chunk in chunks:
        assert muxer.accepts(chunk)
        muxer.write(chunk)
    assert muxer._jpeg_head == jpeg_head(small[0])  # the next frames matched without a parse
    assert not muxer.accepts(frame_chunk(EncodedFrame("cam", jpeg=large[0])))  # another size: a new file
    muxer.close()
    packets, _, _, decoded, size = read_back(tmp_path / "cam.mkv")
    assert packets == small and decoded == 3 and size == (320, 180)


def test_a_full_disk_raises_and_what_was_written_plays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = jpegs(30)
    path = tmp_path / "cam.mkv"
    file = MjpegMatroskaFile(path, (320, 180))
    for i in range(20):
        file.add(i * 33, frames[i])
    file.flush()
    real_pwrite, real_writev = os.pwrite, getattr(os, "writev", None)

    def full(*args: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(mjpeg_file.os, "pwrite", full)
    monkeypatch.setattr(mjpeg_file.os, "writev", full)
    for i in range(20, 30):
        file.add(i * 33, frames[i])
    with pytest.raises(OSError) as refused:
        file.flush()
    assert refused.value.errno == 28
    monkeypatch.setattr(mjpeg_file.os, "pwrite", real_pwrite)
    if real_writev is not None:
        monkeypatch.setattr(mjpeg_file.os, "writev", real_writev)
    os.close(file._fd)
    packets, _, _, decoded, _ = read_back(path)
    # All but the frames in the last partial 4 KiB block (O_DIRECT keeps it for the next write) play.
    held_back = mjpeg_file.DIRECT_ALIGN // min(len(f) for f in frames) + 1
    assert packets == frames[: len(packets)] and len(packets) >= 20 - held_back and decoded == len(packets)


def test_sizes_are_ebml_vints() -> None:
    assert size_vint(0) == b"\x80" and size_vint(126) == b"\xfe" and size_vint(127) == b"\x40\x7f"
    assert size_vint(5, 8) == b"\x01" + bytes(6) + b"\x05"


def test_a_refused_direct_write_goes_on_through_the_page_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = jpegs(400, (640, 360))  # several megabytes: the aligned buffer fills more than once
    path = tmp_path / "cam.mkv"
    file = MjpegMatroskaFile(path, (640, 360))
    assert file.direct
    real_pwrite, refusals = os.pwrite, []

    def refuse_once(fd: int, data: object, offset: int) -> int:
        if not refusals:  # as a file system that opens with O_DIRECT but writes without it
            refusals.append(offset)
            raise OSError(22, "Invalid argument")
        return real_pwrite(fd, data, offset)  # type: ignore[arg-type]

    monkeypatch.setattr(mjpeg_file.os, "pwrite", refuse_once)
    for i, jpeg in enumerate(frames):
        file.add(i * 33, jpeg)
        if i % 30 == 29:
            file.flush()
    file.close()
    assert refusals and not file.direct
    packets, _, _, decoded, _ = read_back(path)
    assert packets == frames and decoded == 400
