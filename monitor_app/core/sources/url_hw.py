"""Hardware decoding for the PyAV reader: which device a camera decodes on, and why not when it cannot.

A camera's ``decoder`` is ``auto`` (the platform's usual devices, in order, the first one that
works), ``software``, or a device name (``vaapi``, ``cuda``, ``videotoolbox``, ``d3d11va`` ...). A
device is tried once per process by creating it for H.264 (what cameras send); one that fails is
remembered with the reason, and ``auto`` says once, at INFO, why it decodes in software. Streams
whose codec the device cannot decode (MJPEG) fall back to software inside FFmpeg.
"""

from __future__ import annotations

import logging
import sys
import threading

import av
from av.codec.hwaccel import HWAccel, hwdevices_available

log = logging.getLogger(__name__)

DEVICE_TYPES = (
    "vaapi",
    "cuda",
    "qsv",
    "videotoolbox",
    "d3d11va",
    "d3d12va",
    "dxva2",
    "vdpau",
    "vulkan",
    "drm",
    "opencl",
    "mediacodec",
    "amf",
)
"""FFmpeg's hardware device types: what a layout may name (it may be opened on another machine)."""
AUTO_ORDER = {
    "linux": ("vaapi", "cuda", "vdpau", "vulkan"),
    "darwin": ("videotoolbox",),
    "win32": ("d3d11va", "cuda", "dxva2"),
}
"""What ``auto`` tries on each platform, best first."""
SOFTWARE = "software"

_lock = threading.Lock()
_problems: dict[str, str | None] = {}  # device -> None when it works, else why not
_told: set[str] = set()


def decoder_problem(value: object) -> str | None:
    """Layout validation's check of a ``decoder`` field."""
    if value in ("auto", SOFTWARE) or value in DEVICE_TYPES:
        return None
    return f"must be auto, software or one of {', '.join(DEVICE_TYPES)}, not {value!r}"


def choose_decoder(setting: str) -> tuple[HWAccel | None, str]:
    """The hwaccel to open a container with (None: software) and the device's name (or ``software``)."""
    if setting == SOFTWARE:
        return None, SOFTWARE
    candidates = AUTO_ORDER.get(sys.platform, ()) if setting == "auto" else (setting,)
    reasons = []
    for name in candidates:
        problem = _device_problem(name)
        if problem is None:
            return HWAccel(name, allow_software_fallback=True), name
        reasons.append(f"{name}: {problem}")
    _tell_once(setting, "; ".join(reasons) or f"none known on {sys.platform}")
    return None, SOFTWARE


def _device_problem(name: str) -> str | None:
    with _lock:
        if name in _problems:
            return _problems[name]
        problem: str | None = None
        if name not in hwdevices_available():
            problem = "not in this FFmpeg build"
        else:
            try:
                HWAccel(name).create(av.Codec("h264", "r"))  # creates the device, then frees it
            except Exception as exc:  # PermissionError, NotImplementedError, FFmpegError: all say "not here"
                problem = f"{type(exc).__name__}: {exc}"
        _problems[name] = problem
        return problem


def _tell_once(setting: str, why: str) -> None:
    with _lock:
        if setting in _told:
            return
        _told.add(setting)
    if setting == "auto":
        log.info("hardware decoding: no usable device (%s); decoding in software", why)
    else:
        log.warning("hardware decoder %s cannot be used (%s); decoding in software", setting, why)
