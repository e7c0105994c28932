"""What C libraries write to stderr goes through our logging: each line a DEBUG record of ``monitor_app.stderr``.

libjpeg ("Corrupt JPEG data: ..."), FFmpeg ("[mjpeg @ 0x...] error count: 65") and OpenCV write straight to
file descriptor 2, past Python. While the window runs, fd 2 is a pipe read by a small thread that logs and
counts each line; ``sys.stderr`` (our log lines, tracebacks, warnings) writes to a copy of the original fd,
so Python's own output reaches the terminal unchanged. POSIX only, and only where fd 2 is a real file.

A crash's last words written at C level (CPython's "Fatal Python error: ...") die in the pipe with the
process; ``CAMERA_MONITOR_RAW_STDERR=1`` leaves fd 2 alone to see them.
"""

from __future__ import annotations

import atexit
import contextlib
import faulthandler
import io
import logging
import os
import select
import sys
import threading
from typing import TextIO

from monitor_app.core.third_party_lines import count_line, line_counts

RAW_STDERR_ENV = "CAMERA_MONITOR_RAW_STDERR"
"""Environment variable: ``1`` leaves fd 2 alone, so C libraries print to the terminal directly."""

ORIGIN = "stderr"
POLL_MS = 100  # how soon the reader sees a stop that left the pipe open (a child holding it)
MAX_LINE = 8192  # bytes: a longer run without a newline is logged in pieces

log = logging.getLogger(__name__)
lines_log = logging.getLogger("monitor_app.stderr")


class TerminalStream(io.TextIOBase):
    """``sys.stderr`` while fd 2 is captured: text to the saved terminal fd; after :meth:`release`, to ``fallback``.

    Whoever keeps a reference (the logging StreamHandler) still reaches the terminal once the capture stops.
    """

    def __init__(self, fd: int, fallback: TextIO) -> None:
        super().__init__()
        self._fd: int | None = fd
        self._fallback = fallback
        self._encoding: str = getattr(fallback, "encoding", None) or "utf-8"
        self._lock = threading.RLock()  # re-entrant: a signal handler may print in the middle of a write

    # Read-only at run time (typeshed calls them writable attributes): properties are the only way.
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    @property
    def errors(self) -> str:  # type: ignore[override]
        return "backslashreplace"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        with self._lock:
            if self._fd is None:
                return self._fallback.write(text)
            data = text.encode(self._encoding, "backslashreplace")
            while data:
                data = data[os.write(self._fd, data) :]
        return len(text)

    def flush(self) -> None:
        with self._lock:
            if self._fd is None:
                self._fallback.flush()

    def fileno(self) -> int:
        return self._fd if self._fd is not None else self._fallback.fileno()

    def isatty(self) -> bool:
        try:
            return os.isatty(self.fileno())
        except (OSError, ValueError):
            return False

    def release(self) -> None:
        """Write to ``fallback`` from now on, and close the saved fd."""
        with self._lock:
            fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


class StderrCapture:
    """Points fd 2 at a pipe whose lines become DEBUG records; :meth:`stop` gives the terminal back."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._terminal: TerminalStream | None = None
        self._python_stderr: TextIO | None = None
        self._read_fd = -1
        self._stopping = threading.Event()
        self._faulthandler_was_on = False

    @property
    def active(self) -> bool:
        return self._thread is not None

    def start(self) -> bool:
        """Capture fd 2 now. False, changing nothing, if already active, off by the environment, or no real fd 2."""
        stderr = sys.stderr
        if self.active or os.name != "posix" or os.environ.get(RAW_STDERR_ENV) == "1" or not _is_fd_2(stderr):
            return False
        stderr.flush()
        read_fd, write_fd = os.pipe()
        saved = os.dup(2)
        os.set_blocking(write_fd, False)  # a C library never waits on a full pipe: a lost line beats a stuck thread
        os.dup2(write_fd, 2)
        os.close(write_fd)
        self._python_stderr, self._read_fd = stderr, read_fd
        self._terminal = TerminalStream(saved, stderr)
        sys.stderr = self._terminal
        self._faulthandler_was_on = faulthandler.is_enabled()
        faulthandler.enable(self._terminal)  # a segfault's Python traceback still reaches the terminal
        self._stopping.clear()
        self._thread = threading.Thread(target=self._read, args=(read_fd,), name="stderr-reader", daemon=True)
        self._thread.start()
        return True

    def stop(self, timeout_s: float = 1.0) -> None:
        """Give fd 2 and ``sys.stderr`` back, log what is left in the pipe, join the reader."""
        thread, terminal = self._thread, self._terminal
        if thread is None or terminal is None:
            return
        self._thread = self._terminal = None
        os.dup2(terminal.fileno(), 2)  # also closes the pipe's write end: the reader reads to its end
        if sys.stderr is terminal:
            sys.stderr = self._python_stderr
        with contextlib.suppress(Exception):
            if self._faulthandler_was_on and self._python_stderr is not None:
                faulthandler.enable(self._python_stderr)
            else:
                faulthandler.disable()
        self._stopping.set()
        thread.join(timeout_s)
        terminal.release()
        if not thread.is_alive():
            os.close(self._read_fd)

    def _read(self, read_fd: int) -> None:
        pending = b""
        poller = select.poll()
        poller.register(read_fd, select.POLLIN)
        try:
            while True:
                if not poller.poll(0 if self._stopping.is_set() else POLL_MS):
                    if self._stopping.is_set():
                        break
                    continue
                chunk = os.read(read_fd, 65536)
                if not chunk:
                    break
                *lines, pending = (pending + chunk).split(b"\n")
                for line in lines:
                    _log_line(line)
                while len(pending) > MAX_LINE:
                    _log_line(pending[:MAX_LINE])
                    pending = pending[MAX_LINE:]
        except OSError:  # the pipe went away under us: nothing more to read
            pass
        _log_line(pending)


def _is_fd_2(stream: TextIO | None) -> bool:
    """True if ``stream`` writes to a real fd 2 (not None as in a windowed Windows build, not a test's buffer)."""
    if stream is None:
        return False
    try:
        if stream.fileno() != 2:
            return False
        os.fstat(2)
    except (AttributeError, OSError, ValueError):
        return False
    return True


def _log_line(raw: bytes) -> None:
    text = raw.decode("utf-8", "backslashreplace").rstrip()
    if text:
        count_line(ORIGIN)
        lines_log.debug("%s", text)


def capture_stderr() -> StderrCapture:
    """Start capturing fd 2 for the window app (stopped at exit at the latest)."""
    capture = StderrCapture()
    capture.start()
    atexit.register(capture.stop)
    return capture


def quiet_opencv(debug: bool) -> None:
    """OpenCV's warnings and FFmpeg's errors only when we log at DEBUG (both write to fd 2, captured above).

    Their info and debug lines, and FFmpeg's through OpenCV's own log callback, go to stdout, which
    nothing captures, so those levels stay off. A level set in the environment by the user wins.
    """
    if not debug:
        os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # AV_LOG_QUIET; read when FFmpeg first opens a stream
    if "OPENCV_LOG_LEVEL" not in os.environ:
        import cv2

        levels = cv2.utils.logging
        levels.setLogLevel(levels.LOG_LEVEL_WARNING if debug else levels.LOG_LEVEL_ERROR)


def log_line_counts() -> None:
    """One DEBUG line at exit: how many third-party lines went through our logging, by origin."""
    counts = line_counts()
    log.debug("third-party lines logged: %s", ", ".join(f"{o} {n}" for o, n in counts.items()) or "none")
