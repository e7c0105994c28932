"""OpenGL, FFmpeg (OpenCV's and PyAV's) and the JPEG decoder: what the cameras' pixels go through.

Each check imports its library itself, so a missing one becomes a FAIL line, not a traceback.
"""

from __future__ import annotations

import ctypes
import glob
import importlib
import re
import sys
import time

from monitor_app.doctor.check import Check, fail, ok
from monitor_app.doctor.system_packages import Distribution, install_advice

GL_LIBRARIES = ("libGL.so.1", "libEGL.so.1")
"""QtGui itself links both, so without them no Qt window (nor offscreen run) starts."""

GPU_DEVICE_PATTERNS = ("/dev/dri/renderD*", "/dev/nvidia[0-9]*")
REINSTALL_JPEG = "pip install --force-reinstall simplejpeg"
REINSTALL_OPENCV = "pip install --force-reinstall opencv-python-headless   (PyPI's wheel bundles FFmpeg)"


def check_opengl(distribution: Distribution) -> Check:
    if not sys.platform.startswith("linux"):
        return ok("opengl", f"the system's OpenGL (not checked on {sys.platform})")
    missing = []
    for name in GL_LIBRARIES:
        try:
            ctypes.CDLL(name)
        except OSError:
            missing.append(name)
    if missing:
        detail = (
            f"{', '.join(missing)} cannot be loaded, and Qt's GUI library needs {'them' if len(missing) > 1 else 'it'}"
        )
        return fail("opengl", detail, install_advice(missing, distribution))
    return ok("opengl", f"{' and '.join(GL_LIBRARIES)} load")


def gpu_devices() -> list[str]:
    """Render nodes and NVIDIA devices present: what a hardware decoder would open."""
    return sorted(path for pattern in GPU_DEVICE_PATTERNS for path in glob.glob(pattern))


def check_opencv_ffmpeg() -> Check:
    """OpenCV opens RTSP, HTTP streams and files through its own FFmpeg build."""
    try:
        cv2 = importlib.import_module("cv2")
    except ImportError as exc:
        return fail("ffmpeg (opencv)", f"OpenCV cannot be imported: {exc}", REINSTALL_OPENCV)
    info = cv2.getBuildInformation()
    enabled = re.search(r"^\s*FFMPEG:\s*(\S+)", info, re.MULTILINE)
    if not enabled or enabled.group(1) != "YES":
        detail = f"OpenCV {cv2.__version__} was built without FFmpeg: RTSP, HTTP streams and video files will not open"
        return fail("ffmpeg (opencv)", detail, REINSTALL_OPENCV)
    libraries = re.findall(r"^\s*(avcodec|avformat|avutil|swscale):\s*YES \(([^)]+)\)", info, re.MULTILINE)
    versions = ", ".join(f"{name} {version}" for name, version in libraries)
    return ok("ffmpeg (opencv)", f"OpenCV {cv2.__version__} with FFmpeg ({versions}); {_hardware_note()}")


def _hardware_note() -> str:
    devices = gpu_devices()
    return f"GPU devices: {', '.join(devices)}" if devices else "no GPU device: software decoding"


def check_pyav() -> Check:
    """PyAV is optional: its FFmpeg and the hardware device types it was built with, when it is installed."""
    try:
        av = importlib.import_module("av")
    except ImportError:
        return ok("ffmpeg (pyav)", "PyAV not installed (optional: OpenCV's FFmpeg decodes the streams)")
    libraries = getattr(av, "library_versions", {}) or {}
    ffmpeg = getattr(av, "ffmpeg_version_info", None) or ", ".join(
        f"{name} {'.'.join(map(str, version))}" for name, version in sorted(libraries.items())
    )
    try:
        hwaccel = importlib.import_module("av.codec.hwaccel")
        types = list(hwaccel.hwdevices_available())
    except (ImportError, AttributeError):
        types = []
    devices = gpu_devices()
    if types and devices:
        hardware = f"hardware device types {', '.join(types)}; devices {', '.join(devices)}"
    elif types:
        hardware = f"built for {', '.join(types)}, but no GPU device: none, software decoding"
    else:
        hardware = "hardware decoders: none, software decoding"
    return ok("ffmpeg (pyav)", f"PyAV {av.__version__}, FFmpeg {ffmpeg or 'version unknown'}; {hardware}")


def check_jpeg() -> Check:
    """Our JPEG path for real: a test picture through the pipeline's decoder (simplejpeg, DCT-scaled to BGRX)."""
    name = "jpeg decoder"
    try:
        cv2 = importlib.import_module("cv2")
        np = importlib.import_module("numpy")
        simplejpeg = importlib.import_module("simplejpeg")
        decode = importlib.import_module("monitor_app.core.pipeline.decode")
        frames = importlib.import_module("monitor_app.core.sources.frames")
    except ImportError as exc:
        return fail(name, f"cannot import the decoder: {exc}", "pip install --force-reinstall simplejpeg numpy")
    picture = np.zeros((480, 640, 3), np.uint8)
    picture[:, :, 2] = 255  # red, in BGR
    ok_, encoded = cv2.imencode(".jpg", picture)
    started = time.perf_counter()
    try:
        pixels, source = decode.decode_to_fit(frames.EncodedFrame("doctor", jpeg=encoded.tobytes()), (160, 120))
    except ValueError as exc:
        return fail(name, f"simplejpeg {simplejpeg.__version__} failed on a test picture: {exc}", REINSTALL_JPEG)
    elapsed_ms = (time.perf_counter() - started) * 1000
    blue, green, red = (int(v) for v in pixels[60, 80, :3])
    if not ok_ or pixels.shape != (120, 160, 4) or source != (640, 480) or red < 200 or max(blue, green) > 60:
        detail = f"simplejpeg {simplejpeg.__version__} decoded a red 640x480 test picture wrongly: {pixels.shape}, BGR {blue, green, red}"
        return fail(name, detail, REINSTALL_JPEG)
    detail = f"simplejpeg {simplejpeg.__version__} (libjpeg-turbo): 640x480 -> 160x120 BGRX in {elapsed_ms:.1f} ms"
    return ok(name, detail)
