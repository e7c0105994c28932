"""Opening a recording's file, moving it in and out of ``O_DIRECT`` (Linux: writes that skip the page cache),
and the aligned buffer such writes go out from."""

from __future__ import annotations

import errno
import mmap
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


class AlignedBuffer:
    """Page-aligned memory that ``O_DIRECT`` writes go out from, filled by the kernel where it can be.

    Filling it is the one copy a JPEG frame costs on its way to the disk (110 MB/s for 32 cameras of
    720p at 30 fps). Done in Python (``mmap[a:b] = frame``) the copy holds the GIL, and while a writer
    holds it the decode threads, back from their C decoder, wait and the other core idles. So on Linux
    the memory is a ``memfd`` mapped here, and ``pwritev`` to that memfd copies a batch of frames in
    one system call, the GIL released. Elsewhere it is anonymous memory, filled by slice assignment.
    """

    def __init__(self, size: int) -> None:
        self._fd: int | None = None
        if hasattr(os, "memfd_create") and hasattr(os, "pwritev"):
            try:
                self._fd = os.memfd_create("recording", os.MFD_CLOEXEC)
                os.ftruncate(self._fd, size)
            except OSError:  # no memfd here (a sandbox, an old kernel): the copy stays in Python
                self._close_fd()
        self.memory = mmap.mmap(self._fd if self._fd is not None else -1, size)

    def fill(self, parts: list[bytes | memoryview], at: int) -> int:
        """Copy ``parts`` one after another into the buffer from ``at`` (they fit); how many bytes that was."""
        total = remaining = sum(len(part) for part in parts)
        if self._fd is None:
            for part in parts:
                self.memory[at : at + len(part)] = part
                at += len(part)
            return total
        while remaining:
            done = os.pwritev(self._fd, parts, at)
            if done <= 0:
                raise OSError(errno.ENOMEM, "the recording's buffer took nothing")
            at, remaining = at + done, remaining - done
            if remaining:  # a short copy (it does not happen in memory, but the call allows it)
                parts = split_at(parts, done)[1]
        return total

    def close(self) -> None:
        self.memory.close()
        self._close_fd()

    def _close_fd(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def split_at(parts: list[bytes | memoryview], count: int) -> tuple[list[bytes | memoryview], list[bytes | memoryview]]:
    """``parts`` as their first ``count`` bytes and the rest (a part that straddles is cut, not copied)."""
    for index, part in enumerate(parts):
        if count < len(part):
            view = memoryview(part)
            head = [*parts[:index], view[:count]] if count else parts[:index]
            return head, [view[count:], *parts[index + 1 :]]
        count -= len(part)
    return list(parts), []
