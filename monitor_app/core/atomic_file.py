"""Replacing a file so that nobody ever sees it half-written: a temporary file beside it, renamed into place.

``os.replace`` is atomic on one file system, so a reader (or the next start after a crash) finds
either the old file whole or the new one whole, never a mix; a failed write leaves no temporary
file behind. ``durable`` adds the fsyncs that make the new file survive a power cut, and
``backup`` keeps the previous file as ``NAME.bak``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_text_atomic(path: str | os.PathLike[str], text: str, *, durable: bool = False, backup: bool = False) -> None:
    """Replace ``path`` with ``text`` (UTF-8, ``\\n`` line ends) in one step; its folder must exist.

    ``durable``: fsync the new file before the rename and the folder after it (slower; for the
    user's own files). ``backup``: copy the file being replaced to ``path.bak`` first.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as tmp:
            tmp.write(text)
            if durable:
                tmp.flush()
                os.fsync(tmp.fileno())
        if backup and path.exists():
            shutil.copy2(path, path.with_name(path.name + ".bak"))
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    if durable:
        _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a directory; its rename is durable enough
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
