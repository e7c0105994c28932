"""Facts about this process for the stats file: resident memory and CPU time."""

from __future__ import annotations

import os
import resource
import time


def resident_memory_mb() -> float | None:
    """Current resident set size (Linux /proc), or the peak where /proc is missing."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
        return round(peak / 1024, 1) if peak else None


def cpu_seconds() -> float:
    return time.process_time()
