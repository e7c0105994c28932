"""CPU time as Linux counts it in /proc: of a process, of each of its threads, and of the whole machine.

The machine's figure keeps apart the time the hypervisor gave to other guests (``steal``): on a shared
cloud machine it comes and goes by the second (measured here: from 0 to 55 % of both cores within a
minute), and a window measured while it was high shows fewer frames for reasons that are not ours.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

_TICK_S = 1 / os.sysconf("SC_CLK_TCK")
_IDLE, _IOWAIT, _STEAL = 3, 4, 7
"""Fields of /proc/stat's ``cpu`` line (after the name): user nice system idle iowait irq softirq steal ..."""


@dataclass(frozen=True)
class MachineCpu:
    """Seconds, summed over every core, since boot."""

    busy_s: float
    """Spent by every process and the kernel (not idle, not waiting on a disk, not stolen)."""
    steal_s: float
    """Wanted by this machine but given by the hypervisor to other guests."""

    @classmethod
    def now(cls) -> MachineCpu:
        return cls.parse(Path("/proc/stat").read_text().split("\n", 1)[0])

    @classmethod
    def parse(cls, cpu_line: str) -> MachineCpu:
        fields = [int(x) for x in cpu_line.split()[1:]] + [0] * 8  # old kernels end before steal
        steal = fields[_STEAL]
        busy = sum(fields[:8]) - fields[_IDLE] - fields[_IOWAIT] - steal
        return cls(busy * _TICK_S, steal * _TICK_S)


def _stat_cpu_s(stat: str) -> float:
    """User + system CPU seconds from a /proc ``stat`` line (of a process or of one thread)."""
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) * _TICK_S


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (all its threads), from /proc."""
    return _stat_cpu_s(Path(f"/proc/{pid}/stat").read_text())


def thread_cpu_s(pid: int) -> dict[str, float]:
    """CPU seconds per kind of thread ("decode-0" and "decode-1" add up as "decode")."""
    result: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue  # the thread ended
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        name = "main (GUI)" if task.name == str(pid) else re.sub(r"[-/]?\d+$", "", comm)
        result[name] = result.get(name, 0.0) + _stat_cpu_s(stat)
    return result


def process_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")
