"""``camera-monitor validate LAYOUT.json``: OK and exit 0, or each problem and exit 2."""

from __future__ import annotations

import argparse
import sys

from monitor_app.core.layouts.errors import LayoutError
from monitor_app.core.layouts.files import read_layout


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("layout", help="the layout file to check (it is never modified)")


def run(args: argparse.Namespace) -> int:
    try:
        read_layout(args.layout)
    except LayoutError as exc:
        for problem in exc.problems:
            print(f"{args.layout}: {problem}", file=sys.stderr)
        return 2
    print("OK")
    return 0
