"""Names in the order people count them: "cam-2" before "cam-10", "Garage" beside "garage"."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[tuple[str | int, ...], str]:
    """A sort key: runs of digits compare as numbers, letters without case ("cam-01" == "cam-1" < "cam-10").

    The name itself breaks ties, so the order is total and stable between runs.
    """
    parts = _DIGITS.split(name.casefold())  # text, number, text, ...: the types alternate in step
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts)), name
