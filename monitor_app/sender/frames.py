"""Where the sender's frames come from: the test pattern, or a webcam, video file or camera URL."""

from __future__ import annotations

import logging
import threading

import cv2
import numpy as np

from monitor_app.core.sources.base import PermanentSourceError, SourceError
from monitor_app.core.sources.pattern import TestPatternRenderer, hue_for
from monitor_app.sender.options import PATTERN, SendOptions

log = logging.getLogger(__name__)


class PatternFrames:
    """The synthetic test pattern, paced by the sender."""

    def __init__(self, name: str, size: tuple[int, int] | None) -> None:
        width, height = size or (640, 360)
        self._renderer = TestPatternRenderer(name, width, height, hue=hue_for(name))
        self._n = 0
        self.description = f"test pattern {width}x{height}"
        self.natural_fps: float | None = None
        self.default_fps: float | None = 15.0

    def start(self) -> None:
        pass

    def next_frame(self, stop: threading.Event) -> np.ndarray | None:
        self._n += 1
        return self._renderer.render(self._n)

    def close(self) -> None:
        pass


class CaptureFrames:
    """A webcam, video file or camera URL through OpenCV, with open and read timeouts."""

    def __init__(self, source: str, loop: bool) -> None:
        from monitor_app.core.sources.url_open import UrlKind, classify_url

        self._target = classify_url(source)
        self._is_file = self._target.kind is UrlKind.FILE
        self._loop = loop
        self._cap: cv2.VideoCapture | None = None
        self.description = self._target.masked
        self.natural_fps: float | None = None  # a file's own rate: never played faster
        self.default_fps: float | None = None  # live sources: as fast as they deliver
        self.ended = False

    def _open(self) -> cv2.VideoCapture:
        from monitor_app.core.sources.url_open import open_capture

        cap = open_capture(self._target)
        fps = cap.get(cv2.CAP_PROP_FPS)
        if self._is_file and 0 < fps <= 240:
            self.natural_fps = float(fps)  # play files at their own speed
        return cap

    def start(self) -> None:
        """Open at once, so a missing file is reported before any hub is found."""
        try:
            self._cap = self._open()
        except PermanentSourceError:
            raise
        except SourceError as exc:
            log.warning("%s; will keep trying", exc)  # a camera that is down now may come back

    def next_frame(self, stop: threading.Event) -> np.ndarray | None:
        """The next frame; None at the end of a file (without loop) or on a failure to retry."""
        if self._cap is None:
            self._cap = self._open()
        ok, frame = self._cap.read()
        if ok and frame is not None:
            return np.asarray(frame)
        if self._is_file and self._loop and self._cap.get(cv2.CAP_PROP_POS_FRAMES) > 0:
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._cap.read()
            if ok and frame is not None:
                return np.asarray(frame)
        self.close()
        if self._is_file and not self._loop:
            self.ended = True
            return None
        raise SourceError(f"{self.description}: no frame (stream ended or timed out)")

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


def open_frames(options: SendOptions) -> PatternFrames | CaptureFrames:
    if options.source == PATTERN:
        return PatternFrames(options.name, options.size)
    return CaptureFrames(options.source, options.loop)
