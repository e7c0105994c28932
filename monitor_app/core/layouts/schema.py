"""Which fields each connection kind takes, and how each is checked.

Each kind's table lists its own fields; the fields every connection has (``id``, ``kind``,
``auto_add_cameras``) are checked in ``layout.py``. Adding a source kind means adding a
table here and a factory in ``core/sources/registry.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Check = Callable[[Any], "str | None"]
"""Returns a problem description, or None when the value is fine."""


@dataclass(frozen=True)
class Field:
    kind: type | tuple[type, ...]
    required: bool = False
    check: Check | None = None


def int_range(low: int, high: int) -> Check:
    return lambda v: None if low <= v <= high else f"must be between {low} and {high}, not {v}"


def number_range(low: float, high: float) -> Check:
    return lambda v: None if low <= v <= high else f"must be between {low:g} and {high:g}, not {v}"


def one_of(*choices: str) -> Check:
    return lambda v: None if v in choices else f"must be one of {', '.join(choices)}, not {v!r}"


def non_empty(v: Any) -> str | None:
    return None if v else "must not be empty"


def zmq_endpoint(v: Any) -> str | None:
    if isinstance(v, str) and ("://" in v or v.startswith(":")):
        return None
    return f"must look like tcp://host:port or :port, not {v!r}"


def endpoint_list(v: Any) -> str | None:
    if not v:
        return "must list at least one endpoint"
    for item in v:
        problem = zmq_endpoint(item)
        if problem:
            return problem
    return None


KIND_FIELDS: dict[str, dict[str, Field]] = {
    "pattern": {
        "width": Field(int, check=int_range(16, 7680)),
        "height": Field(int, check=int_range(16, 4320)),
        "fps": Field((int, float), check=number_range(0.1, 240)),
        "jpeg_quality": Field(int, check=int_range(1, 100)),
    },
    "hub": {
        "endpoint": Field(str, required=True, check=zmq_endpoint),
        "max_message_bytes": Field(int, check=int_range(1024, 1 << 30)),
    },
    "sub": {
        "endpoints": Field(list, required=True, check=endpoint_list),
        "max_message_bytes": Field(int, check=int_range(1024, 1 << 30)),
    },
    "url": {
        "url": Field(str, required=True, check=non_empty),
        "sub_url": Field(str),
        "transport": Field(str, check=one_of("tcp", "udp")),
        "loop": Field(bool),
        "open_timeout_s": Field((int, float), check=number_range(0.5, 60)),
        "read_timeout_s": Field((int, float), check=number_range(0.5, 60)),
    },
}

KIND_LABELS = {
    "pattern": "Test pattern",
    "hub": "imagezmq hub (bind, REQ/REP)",
    "sub": "imagezmq / base64 publisher (SUB)",
    "url": "URL (RTSP, HTTP MJPEG, file, webcam)",
}


def type_name(kind: type | tuple[type, ...]) -> str:
    names = {
        int: "an integer",
        float: "a number",
        str: "a string",
        bool: "true or false",
        list: "a list",
        dict: "an object",
    }
    if isinstance(kind, tuple):
        return "a number" if set(kind) == {int, float} else " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def has_type(value: Any, kind: type | tuple[type, ...]) -> bool:
    """isinstance, except that true/false is never accepted as a number."""
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        return False
    return isinstance(value, kind)
