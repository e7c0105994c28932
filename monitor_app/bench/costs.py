"""Reference costs measured in the same run, and a description of the machine."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from monitor_app.bench.scene import frame_loop
from monitor_app.core.pipeline.decode import decode_to_fit
from monitor_app.core.sources.frames import EncodedFrame


def decode_costs(width: int, height: int, quality: int, box: tuple[int, int], min_s: float = 1.5) -> dict[str, Any]:
    """CPU ms of one frame on one thread: our scaled decode to ``box`` and the naive full decode."""
    frames = frame_loop(width, height, 10, quality, seed=1)
    cv2.setNumThreads(1)
    scaled = _per_frame_ms(lambda data: decode_to_fit(EncodedFrame("bench", jpeg=data), box), frames, min_s)
    full = _per_frame_ms(lambda data: cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR), frames, min_s)
    return {
        "scaled_decode_ms": round(scaled, 3),
        "full_decode_ms": round(full, 3),
        "decode_box": list(box),
        "jpeg_kb_mean": round(sum(map(len, frames)) / len(frames) / 1024, 1),
    }


def _per_frame_ms(decode: Any, frames: list[bytes], min_s: float) -> float:
    for data in frames:  # warm caches and allocators
        decode(data)
    count, started = 0, time.thread_time()
    while time.thread_time() - started < min_s:
        decode(frames[count % len(frames)])
        count += 1
    return (time.thread_time() - started) * 1000 / count


def machine() -> dict[str, Any]:
    import PySide6
    import simplejpeg
    import zmq
    from PySide6.QtCore import qVersion

    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "qt": qVersion(),
        "opencv": cv2.__version__,
        "simplejpeg": simplejpeg.__version__,
        "numpy": np.__version__,
        "pyzmq": zmq.__version__,
        "libzmq": zmq.zmq_version(),
        "loadavg_at_start": _loadavg(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None
