"""``camera-monitor doctor``: one line per check (OK / WARN / FAIL, what was found, what to do); exit 1 on a FAIL.

``--json`` prints the same as a document for bug reports; ``--hub ENDPOINT`` also checks a hub's port.
"""

from __future__ import annotations

import argparse
import json

from monitor_app.doctor.check import Status
from monitor_app.doctor.diagnose import Report, diagnose

FIX_INDENT = 6


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--hub",
        action="append",
        default=[],
        metavar="ENDPOINT",
        help="also check that a hub can bind ENDPOINT (tcp://*:5555 or :5555); repeatable",
    )
    parser.add_argument("--json", action="store_true", help="print a machine-readable report (for bug reports)")


def run(args: argparse.Namespace) -> int:
    report = diagnose(args.hub)
    print(json.dumps(report.as_dict(), indent=2) if args.json else render_text(report))
    return 1 if report.failed else 0


def render_text(report: Report) -> str:
    """The report as a user reads it: aligned check lines, each WARN and FAIL with its indented fix."""
    width = max((len(check.name) for check in report.checks), default=0)
    lines = []
    for check in report.checks:
        lines.append(f"{check.status.value:<{FIX_INDENT - 1}} {check.name:<{width}}  {check.detail}")
        if check.status is not Status.OK and check.fix:
            first, *rest = check.fix.splitlines()
            lines.append(" " * FIX_INDENT + "fix: " + first)
            lines += [" " * (FIX_INDENT + 5) + line for line in rest]
    lines += ["", "versions:"]
    key_width = max((len(key) for key in report.versions), default=0)
    lines += [f"  {key:<{key_width}}  {value}" for key, value in report.versions.items()]
    fails, warns = report.count(Status.FAIL), report.count(Status.WARN)
    summary = "all checks passed" if not fails and not warns else f"{fails} FAIL, {warns} WARN"
    lines += ["", summary + ("" if not fails else ": Camera Monitor will not work as it is; see the fix lines")]
    return "\n".join(lines)
