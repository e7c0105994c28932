"""``type=`` functions for argparse, shared by the window's options and the sub-commands.

Each turns one argument into a value or raises ``argparse.ArgumentTypeError``, which argparse
prints as a usage error (exit 2). No Qt here, and nothing heavy at import: ``cli.py`` imports
this module for ``--help`` and ``--version``.
"""

from __future__ import annotations

import argparse


def positive_float(text: str) -> float:
    """A number greater than 0 (not NaN)."""
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def positive_int(text: str) -> int:
    """A whole number of at least 1."""
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def tour_seconds(text: str) -> int:
    """A tour's step, 1 to 600 seconds (what a layout's ``tour`` holds)."""
    value = int(text)
    if not 1 <= value <= 600:
        raise argparse.ArgumentTypeError("must be between 1 and 600 seconds")
    return value


def jpeg_quality(text: str) -> int:
    """A JPEG quality, 1 to 100."""
    value = int(text)
    if not 1 <= value <= 100:
        raise argparse.ArgumentTypeError("must be between 1 and 100")
    return value


def frame_size(text: str) -> tuple[int, int]:
    """``WxH`` (``1280x720``) as (width, height), within the test pattern's limits (up to 8K UHD)."""
    # Here, not at the top: the pattern module imports OpenCV, which --help and --version do without.
    from monitor_app.core.sources.pattern import MAX_HEIGHT, MAX_WIDTH, MIN_SIDE

    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WxH like 1280x720, not {text!r}") from None
    if not (MIN_SIDE <= width <= MAX_WIDTH and MIN_SIDE <= height <= MAX_HEIGHT):
        raise argparse.ArgumentTypeError(
            f"width must be {MIN_SIDE}-{MAX_WIDTH} and height {MIN_SIDE}-{MAX_HEIGHT}, not {text}"
        )
    return width, height


def web_address(text: str) -> tuple[str, int]:
    """``--web``: ``HOST:PORT``, ``:PORT`` (every interface) or ``PORT`` (loopback) as (host, port)."""
    from monitor_app.web.address import parse_web_address  # its helpers load numpy: only when --web is given

    try:
        return parse_web_address(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
