"""Opening a camera URL with PyAV: FFmpeg options, timeouts that return, failures explained, FFmpeg's log.

PyAV's timeouts are FFmpeg's interrupt callback: no call blocks past them. Reads use a short slice
(``READ_SLICE_S``) rather than the camera's read timeout, so the thread reading sees its stop flag
twice a second even when a server hangs with its socket open; a timed-out read leaves the demuxer
usable (measured against a SIGSTOPped GStreamer RTSP server: reading resumes once it continues), so
the reader counts the silence itself and gives up only after the camera's ``read_timeout_s``.
Opening cannot be sliced (probing waits for a key frame, a GOP on a real camera): ``interrupt``
makes a thread's current FFmpeg call give up at once instead (``_StopClock``).
"""

from __future__ import annotations

import errno
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import av.container.core
import av.logging
from av.codec.hwaccel import HWAccel
from av.container import InputContainer

from monitor_app.core.redact import mask_text
from monitor_app.core.sources.base import PermanentSourceError, SourceError
from monitor_app.core.sources.url_open import CaptureTarget, UrlKind, diagnose, ffmpeg_options, missing_file
from monitor_app.core.sources.url_rtsp import TransportRefused
from monitor_app.core.third_party_lines import count_line

READ_SLICE_S = 0.5
"""How long one demuxer read may wait for data: the stop flag's reaction time."""

ffmpeg_log = logging.getLogger("monitor_app.ffmpeg")
_log_lock = threading.Lock()
_log_routed = False


class _FfmpegLines(logging.Handler):
    """PyAV's ``libav.*`` records, masked, as DEBUG lines of ``monitor_app.ffmpeg`` (stderr stays quiet)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            origin = record.name.removeprefix("libav.")
            ffmpeg_log.debug("%s: %s", origin, mask_text(record.getMessage()))
            count_line("ffmpeg")  # in --stats-json's third_party_lines, beside Qt's and stderr's
        except Exception:  # a log line must never break a read
            self.handleError(record)


def route_ffmpeg_log() -> None:
    """Send FFmpeg's warnings and errors through our logging (and make opens interruptible), once per process.

    PyAV ignores FFmpeg's log by default, and its exceptions then lose their reason; with its
    callback on, each line becomes a record of ``libav.<component>``, which we re-log masked at
    DEBUG (FFmpeg names the URL, password included, in some of them).
    """
    global _log_routed
    with _log_lock:
        if _log_routed:
            return
        libav = logging.getLogger("libav")
        libav.handlers[:] = [_FfmpegLines()]
        libav.propagate = False
        libav.setLevel(logging.DEBUG)
        av.logging.set_level(av.logging.WARNING)
        _install_stop_clock()
        _log_routed = True


class _StopClock:
    """Stands in for the ``time`` module inside PyAV's container module, whose interrupt callback asks
    ``time.monotonic()`` whether the call's timeout has passed (about every 100 ms while FFmpeg waits on
    the network). For a thread told to stop it answers "much later", so FFmpeg gives up now. PyAV has
    no other way to interrupt an open; if a PyAV version stops using ``time`` there, nothing changes
    but the promptness: calls still end at their timeouts."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.stopping: set[int] = set()

    def monotonic(self) -> float:
        now: float = self._real.monotonic()
        return now + 1e9 if threading.get_ident() in self.stopping else now

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


_clock: _StopClock | None = None


def _install_stop_clock() -> None:
    global _clock
    real = getattr(av.container.core, "time", None)
    if _clock is None and real is not None and hasattr(real, "monotonic"):
        _clock = _StopClock(real)
        av.container.core.time = _clock  # type: ignore[attr-defined]


def interrupt(thread_id: int | None) -> None:
    """Make the FFmpeg call thread ``thread_id`` is in (open, probe, read) return now, and every later one."""
    if _clock is not None and thread_id is not None:
        _clock.stopping.add(thread_id)


def forget(thread_id: int | None) -> None:
    """The thread has finished with PyAV: its id may be reused by a thread that must not be interrupted."""
    if _clock is not None and thread_id is not None:
        _clock.stopping.discard(thread_id)


def av_options(target: CaptureTarget, transport: str = "auto") -> dict[str, str]:
    """FFmpeg's input options for ``target``: the same low-delay set the OpenCV path uses."""
    text = ffmpeg_options(target, transport)
    return dict(item.split(";", 1) for item in text.split("|") if item)


def open_input(
    target: CaptureTarget,
    transport: str,
    open_timeout_s: float,
    stopping: Callable[[], bool] = lambda: False,
    hwaccel: HWAccel | None = None,
) -> InputContainer:
    """An opened PyAV container, or ``SourceError`` / ``PermanentSourceError`` with the reason.

    Blocks up to about twice ``open_timeout_s`` (opening, then probing the streams, each bounded);
    call it from the camera's own thread. A failure while ``stopping()`` is not diagnosed (that
    asks the server, which may hang): the caller is going away.
    """
    if target.kind is UrlKind.DEVICE:
        raise PermanentSourceError("webcams are read through OpenCV, not PyAV")
    if target.kind is UrlKind.FILE and not Path(target.url).is_file():
        raise missing_file(target.url)
    route_ffmpeg_log()
    options = av_options(target, transport)
    try:
        timeout = None if target.kind is UrlKind.FILE else (open_timeout_s, READ_SLICE_S)
        return av.open(target.url, mode="r", options=options, timeout=timeout, hwaccel=hwaccel)
    except (av.FFmpegError, OSError) as exc:
        if exc.errno == errno.EPROTONOSUPPORT and target.kind is UrlKind.RTSP and transport == "tcp":
            # FFmpeg's word for a SETUP answered 461: asking the server again is no surer (GStreamer
            # answers a DESCRIBE 503 while it tears down the media of the client it just refused).
            raise TransportRefused("461 Unsupported Transport") from None
        reason = mask_text(str(exc))
    except Exception as exc:  # anything else from FFmpeg's wrapper: never lose the reason
        reason = type(exc).__name__
    if stopping():
        raise SourceError("stopped while opening")
    error = diagnose(target, min(open_timeout_s, 3.0), transport)
    logging.getLogger(__name__).debug("PyAV could not open %s (%s): %s", target.masked, reason, error)
    raise error_with_reason(error, reason) from None


def error_with_reason(error: SourceError, reason: str) -> SourceError:
    """``diagnose``'s answer, or FFmpeg's own words when the server looked fine (its 200, a readable file)."""
    text = str(error)
    if "could not be decoded" in text or "FFmpeg can read" in text:
        return type(error)(f"{text}: {reason}")
    return error


def no_video(target: CaptureTarget) -> SourceError:
    """A container without a video stream: a file will not grow one, a server may fix its stream."""
    what = f"no video stream in {target.masked}"
    return PermanentSourceError(what) if target.kind is UrlKind.FILE else SourceError(what)
