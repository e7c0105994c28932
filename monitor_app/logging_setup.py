"""Logging for the app: a rotating file in the per-user log folder, plus stderr, with passwords masked.

Records go through a QueueHandler to a QueueListener thread that does the writing, so the GUI thread
and the receiver threads never wait on the disk or a slow terminal. In the window, ``sys.stderr`` is
by then the terminal copy that ``third_party_output`` leaves Python while it captures fd 2.
"""

from __future__ import annotations

import atexit
import logging
import logging.handlers
import os
import queue
import sys
from dataclasses import dataclass, field
from pathlib import Path

from monitor_app.core.identity import APP_ID, LOG_LEVEL_ENV
from monitor_app.core.paths import log_dir
from monitor_app.core.redact import mask_text

LOG_FILE_NAME = f"{APP_ID}.log"
FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
MAX_BYTES = 2 * 1024 * 1024
BACKUP_COUNT = 5


CONSOLE = {"console": True}
"""``extra=`` of the few INFO records the terminal shows too (start-up, shutdown); the rest go to the file."""


class ConsoleFilter(logging.Filter):
    """The terminal gets warnings and errors, and the records marked ``CONSOLE``, unless the user asked
    for a level (``CAMERA_MONITOR_LOG_LEVEL``): a clean run prints its start and its end, nothing else."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level or getattr(record, "console", False)


class PasswordMaskFilter(logging.Filter):
    """Rewrites a record's message, traceback and stack with ``user:***@`` in place of any URL password."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not raise into the thread that logged it
            message = f"{record.msg!s} (arguments {record.args!r} did not fit)"
        masked = mask_text(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


@dataclass
class LoggingSetup:
    """What :func:`configure_logging` installed; :meth:`stop` flushes and removes it (also run at exit)."""

    log_file: Path | None
    queue_handler: logging.handlers.QueueHandler
    listener: logging.handlers.QueueListener
    handlers: list[logging.Handler] = field(default_factory=list)
    stopped: bool = False

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        logging.getLogger().removeHandler(self.queue_handler)
        self.listener.stop()  # drains the queue, then joins the writer thread
        for handler in self.handlers:
            handler.close()


_current: LoggingSetup | None = None


def configure_logging(
    level: str | int | None = None,
    *,
    to_stderr: bool = True,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> LoggingSetup:
    """Send the root logger's records to the rotating log file and stderr; replaces an earlier setup."""
    global _current
    if _current is not None:
        _current.stop()
    level = level if level is not None else os.environ.get(LOG_LEVEL_ENV, "INFO").upper()
    formatter = logging.Formatter(FORMAT)
    handlers: list[logging.Handler] = []
    log_file: Path | None = None
    problem = ""
    try:
        log_file = log_dir(create=True) / LOG_FILE_NAME
        file_handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
        )
        handlers.append(file_handler)
    except OSError as exc:  # read-only home, full disk: run on without a log file
        problem, log_file = f"no log file: {exc}", None
    if to_stderr and sys.stderr is not None:  # sys.stderr is None in a windowed (no console) Windows build
        console = logging.StreamHandler(sys.stderr)
        asked = logging.getLevelName(os.environ.get(LOG_LEVEL_ENV, "").upper())  # "Level X" when not a level
        if log_file is None:  # the terminal is all there is: it gets every record
            asked = logging.NOTSET
        console.addFilter(ConsoleFilter(asked if isinstance(asked, int) else logging.WARNING))
        handlers.append(console)
    for handler in handlers:
        handler.setFormatter(formatter)

    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    queue_handler = logging.handlers.QueueHandler(records)
    queue_handler.addFilter(PasswordMaskFilter())
    listener = logging.handlers.QueueListener(records, *handlers, respect_handler_level=True)
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(queue_handler)
    listener.start()
    _current = LoggingSetup(log_file, queue_handler, listener, handlers)
    atexit.register(_current.stop)
    if problem:
        logging.getLogger("monitor_app").warning("%s", problem)
    return _current


def stop_logging() -> None:
    """Write out every queued record and stop now: before an abort, when atexit will not run."""
    if _current is not None:
        _current.stop()


def current_log_file() -> Path | None:
    """The file the app is logging to now; None before :func:`configure_logging`, after a stop, or with no file."""
    return _current.log_file if _current and not _current.stopped else None
