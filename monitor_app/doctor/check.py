"""One line of the doctor's report: what was checked, OK / WARN / FAIL, what was found, what to do."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Status(enum.Enum):
    OK = "OK"
    WARN = "WARN"
    """Works, but something the user may need (the window on X11, a faster path) is missing."""
    FAIL = "FAIL"
    """Camera Monitor will not work this way; the fix says what to do."""


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""
    """What to do, for WARN and FAIL; may hold several lines (one install command per distribution)."""

    def as_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "status": self.status.value, "detail": self.detail, "fix": self.fix or None}


def ok(name: str, detail: str) -> Check:
    return Check(name, Status.OK, detail)


def warn(name: str, detail: str, fix: str) -> Check:
    return Check(name, Status.WARN, detail, fix)


def fail(name: str, detail: str, fix: str) -> Check:
    return Check(name, Status.FAIL, detail, fix)
