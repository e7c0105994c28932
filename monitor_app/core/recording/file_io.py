"""Opening a recording's file, and moving it in and out of ``O_DIRECT`` (Linux: writes that skip the page cache)."""

from __future__ import annotations

import errno
import os
from pathlib import Path


def open_with_head(path: Path, head: bytes, direct: bool) -> tuple[int, bool]:
    """A new file holding ``head`` at once (every file plays from its first cluster, even when the disk fills
    before its first flush), then in ``O_DIRECT`` if asked and the system and file system allow it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o644)
    try:
        os.write(fd, head)
        return fd, direct and set_direct(fd, True)
    except BaseException:
        os.close(fd)
        os.unlink(path)  # not even its head fitted: no file that nothing can play is left behind
        raise


def set_direct(fd: int, direct: bool) -> bool:
    """Whether the file now writes with ``O_DIRECT`` (not on systems or file systems without it)."""
    if not hasattr(os, "O_DIRECT"):
        return False
    import fcntl  # POSIX only, as O_DIRECT is

    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    try:
        fcntl.fcntl(fd, fcntl.F_SETFL, (flags | os.O_DIRECT) if direct else (flags & ~os.O_DIRECT))
    except OSError as exc:
        if exc.errno != errno.EINVAL:  # EINVAL: this file system takes no O_DIRECT
            raise
        return False
    return direct
