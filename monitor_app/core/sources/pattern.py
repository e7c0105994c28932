"""A synthetic camera: moving content with the camera's name and a clock burned in.

A real source (not a mock): it backs the built-in demo and many tests, and can emit JPEG
to exercise the same decode path as network cameras.
"""

from __future__ import annotations

import math
import time
from datetime import datetime

import cv2
import numpy as np
import simplejpeg

from monitor_app.core.sources.base import FrameSink, FrameSource
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.kind import OptionField, SourceKind, SourceRequest, int_range, number_range

MIN_SIDE, MAX_WIDTH, MAX_HEIGHT = 16, 7680, 4320
"""Test-pattern frame sizes accepted (up to 8K UHD)."""
MIN_FPS, MAX_FPS = 0.1, 240.0

_BAR_COLOURS = [(192, 192, 192), (0, 192, 192), (192, 192, 0), (0, 192, 0), (192, 0, 192), (0, 0, 192), (192, 0, 0)]


class TestPatternRenderer:
    """Draws frame ``n`` of a pattern: scrolling colour bars, a bouncing ball, name and clock."""

    __test__ = False  # not a pytest class, whatever its name says

    def __init__(self, name: str, width: int = 640, height: int = 360, hue: int = 0) -> None:
        self.name, self.width, self.height = name, width, height
        bars = np.zeros((height, width * 2, 3), np.uint8)
        bar_w = max(1, width // len(_BAR_COLOURS))
        for i in range(2 * len(_BAR_COLOURS) + 2):
            bars[:, i * bar_w : (i + 1) * bar_w] = _BAR_COLOURS[i % len(_BAR_COLOURS)]
        self._period = bar_w * len(_BAR_COLOURS)
        ramp = np.linspace(0.35, 1.0, height, dtype=np.float32)[:, None, None]
        self._background = (bars * ramp).astype(np.uint8)
        hsv = np.array([[[hue % 180, 255, 255]]], np.uint8)
        self._ball_colour = tuple(int(c) for c in cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)[0, 0])
        self._font_scale = max(0.4, height / 360)

    def render(self, n: int, now: float | None = None) -> np.ndarray:
        now = time.time() if now is None else now
        w, h = self.width, self.height
        offset = (n * 4) % self._period  # one full cycle of bars, so the scroll wraps seamlessly
        frame = np.ascontiguousarray(self._background[:, offset : offset + w])
        radius = max(4, h // 10)
        x = int((w - 2 * radius) * (0.5 + 0.5 * math.sin(n / 23.0))) + radius
        y = int((h - 2 * radius) * (0.5 + 0.5 * math.sin(n / 17.0 + 1.0))) + radius
        cv2.circle(frame, (x, y), radius, self._ball_colour, -1, cv2.LINE_AA)
        cv2.rectangle(frame, (0, h - int(34 * self._font_scale)), (w, h), (0, 0, 0), -1)
        clock = datetime.fromtimestamp(now).strftime("%H:%M:%S.%f")[:-3]
        text = f"{self.name}  {clock}  #{n}"
        cv2.putText(
            frame,
            text,
            (8, h - int(10 * self._font_scale)),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.7 * self._font_scale,
            (255, 255, 255),
            max(1, int(self._font_scale * 1.5)),
            cv2.LINE_AA,
        )
        return frame


class TestPatternSource(FrameSource):
    """Emits frames at ``fps`` as raw BGR pixels or, with ``jpeg_quality``, as JPEG."""

    __test__ = False

    def __init__(
        self,
        name: str,
        width: int = 640,
        height: int = 360,
        fps: float = 30.0,
        jpeg_quality: int | None = None,
        hue: int = 0,
    ) -> None:
        if not (MIN_SIDE <= width <= MAX_WIDTH and MIN_SIDE <= height <= MAX_HEIGHT):
            raise ValueError(f"test pattern size {width}x{height} out of range")
        if not MIN_FPS <= fps <= MAX_FPS:
            raise ValueError(f"test pattern fps {fps} out of range")
        self.name, self.fps, self.jpeg_quality = name, fps, jpeg_quality
        self.description = f"test pattern {width}x{height} @ {fps:g} fps"
        self._renderer = TestPatternRenderer(name, width, height, hue)
        self._count = 0
        self._next_due = 0.0

    def open(self) -> None:
        self._next_due = time.monotonic()

    def read(self, sink: FrameSink, timeout_s: float) -> None:
        wait = self._next_due - time.monotonic()
        if wait > timeout_s:
            time.sleep(timeout_s)
            return
        if wait > 0:
            time.sleep(wait)
        self._next_due = max(self._next_due + 1.0 / self.fps, time.monotonic() - 1.0 / self.fps)
        self._count += 1
        if not sink.wants_frames(self.name):
            sink.heartbeat(self.name)  # nobody looks: not even drawn, but the camera is alive (camera list)
            return
        sent_at = time.time()
        pixels = self._renderer.render(self._count, sent_at)
        if self.jpeg_quality is None:
            sink.deliver(EncodedFrame(self.name, pixels=pixels, sent_at=sent_at))
        else:
            jpeg = simplejpeg.encode_jpeg(pixels, quality=self.jpeg_quality, colorspace="BGR")
            sink.deliver(EncodedFrame(self.name, jpeg=jpeg, sent_at=sent_at))

    def close(self) -> None:
        pass


def hue_for(name: str) -> int:
    """A ball colour that tells test cameras apart and stays the same for the same name."""
    return sum(map(ord, name)) * 37


def _create(request: SourceRequest) -> FrameSource:
    options = request.options
    return TestPatternSource(
        name=request.title,
        width=options["width"],
        height=options["height"],
        fps=options["fps"],
        jpeg_quality=options.get("jpeg_quality"),
        hue=hue_for(request.connection_id),
    )


KIND = SourceKind(
    name="pattern",
    label="Test pattern",
    factory=_create,
    fields={
        "width": OptionField(int, default=640, check=int_range(MIN_SIDE, MAX_WIDTH)),
        "height": OptionField(int, default=360, check=int_range(MIN_SIDE, MAX_HEIGHT)),
        "fps": OptionField((int, float), default=30.0, check=number_range(MIN_FPS, MAX_FPS)),
        "jpeg_quality": OptionField(int, check=int_range(1, 100)),
    },
)
