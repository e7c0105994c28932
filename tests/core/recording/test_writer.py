"""The writer thread: files split on time at key frames, a slow disk counted, a refusing disk stops it."""

from __future__ import annotations

import errno
import threading
from datetime import datetime
from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np
import pytest

from monitor_app.core.recording.chunks import Chunk, frame_chunk, packet_chunk
from monitor_app.core.recording.muxer import MatroskaMuxer
from monitor_app.core.recording.recorder import CameraRecorder, RecordingSettings, stats_entry
from monitor_app.core.recording.writer import RecordingWriter
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.packets import CompressedPacket

JPEG = cv2.imencode(".jpg", np.full((48, 64, 3), 90, np.uint8))[1].tobytes()


def jpeg_chunk(at: float) -> Chunk:
    return frame_chunk(EncodedFrame("cam", jpeg=JPEG, received_at=at))


class Namer:
    def __init__(self, folder: Path) -> None:
        self.folder, self.count = folder, 0

    def __call__(self, when: datetime) -> Path:
        self.count += 1
        return self.folder / f"part{self.count}.mkv"


class SlowMuxer(MatroskaMuxer):
    """A disk that takes a write only when the test lets it."""

    gate = threading.Event()

    def write(self, chunk: Chunk) -> None:
        self.gate.wait(10)
        super().write(chunk)


def video_packet(i: int, key: bool) -> Chunk:
    """A packet of a URL camera's stream, 10 a second on a 90 kHz clock (JPEG data: any muxer takes it)."""
    at = 100 + i * 0.1
    pkt = CompressedPacket("cam", "main", "mjpeg", JPEG, i * 9000, i * 9000, Fraction(1, 90000), key, at, size=(64, 48))
    return packet_chunk(pkt)


def test_a_new_file_every_split_at_the_first_key_frame_after_it(tmp_path: Path) -> None:
    namer = Namer(tmp_path)
    writer = RecordingWriter(namer, split_s=1.0, backlog=[])
    for i in range(25):  # 2.5 s at 10 fps, a key frame every 4 packets: files start at 0, 1.2 and 2.4 s
        assert writer.put(video_packet(i, key=i % 4 == 0))
    writer.stop()
    status = writer.status()
    assert status.error is None and status.frames == 25 and status.files == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["part1.mkv", "part2.mkv", "part3.mkv"]


def test_a_slow_disk_counts_what_it_could_not_record(tmp_path: Path) -> None:
    SlowMuxer.gate.clear()
    writer = RecordingWriter(Namer(tmp_path), 900, [], muxer_factory=SlowMuxer, max_frames=5)
    accepted = sum(writer.put(jpeg_chunk(i * 0.05)) for i in range(20))  # returns at once, never waits
    assert 5 <= accepted <= 6  # the queue's 5, and maybe one the thread took before blocking
    assert writer.frames_not_recorded == 20 - accepted
    SlowMuxer.gate.set()
    writer.stop()
    assert writer.status().frames == accepted


def test_after_a_dropped_packet_the_rest_of_its_group_is_not_recorded(tmp_path: Path) -> None:
    SlowMuxer.gate.clear()
    writer = RecordingWriter(Namer(tmp_path), 900, [], muxer_factory=SlowMuxer, max_frames=2)
    kinds = [True, False, False, False, False, True, False]
    for i, key in enumerate(kinds):
        writer.put(video_packet(i, key))
    SlowMuxer.gate.set()
    writer.stop()
    written, lost = writer.status().frames, writer.frames_not_recorded
    assert written + lost == len(kinds) and lost >= 3  # a P-frame without its key frame is never written


def test_an_unwritable_folder_stops_the_recording_with_a_reason(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    settings = RecordingSettings(blocked / "sub", preroll_s=5)
    recorder = CameraRecorder("door", settings)
    for i in range(5):
        recorder.offer(EncodedFrame("door", jpeg=JPEG, received_at=i * 0.1))
    recorder.start()
    recorder.stop()
    report = recorder.report()
    assert report.recording is None and report.error is not None and "Recording stopped" in report.error
    assert stats_entry(report)["recording_error"] == report.error


def test_the_preroll_comes_first_and_raw_frames_are_encoded_once(tmp_path: Path) -> None:
    recorder = CameraRecorder("yard", RecordingSettings(tmp_path, preroll_s=1.0))
    for i in range(30):  # 3 s before the start: the last second is kept
        recorder.offer(EncodedFrame("yard", pixels=np.zeros((48, 64, 3), np.uint8), received_at=i * 0.1))
    recorder.start()
    recorder.offer(EncodedFrame("yard", pixels=np.zeros((48, 64, 3), np.uint8), received_at=3.0))
    recorder.stop()
    (path,) = tmp_path.glob("yard_*.mkv")
    assert path.stat().st_size > 0
    ended = recorder._ended[0].status()
    assert ended.frames in (11, 12) and ended.seconds == pytest.approx(1.0, abs=0.11)  # the pre-roll, then 3.0


def test_a_full_disk_reads_as_a_full_disk() -> None:
    writer = RecordingWriter(lambda when: Path("/nonexistent/x.mkv"), 900, [])
    writer._fail(OSError(errno.ENOSPC, "No space left on device"))
    assert writer.error is not None and "the disk is full" in writer.error
    writer.stop()
