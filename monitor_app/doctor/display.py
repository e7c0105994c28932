"""Which Qt platform will start (``QT_QPA_PLATFORM``, ``DISPLAY``, ``WAYLAND_DISPLAY``) and whether it really does.

The real test is a child process creating a ``QGuiApplication``: when the platform plugin
cannot load, Qt aborts the process that tried, so it must not be this one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from monitor_app.doctor.check import Check, fail, ok

PROBE_TIMEOUT_S = 30.0
HEADLESS_PLATFORMS = ("offscreen", "minimal", "minimalegl", "vnc")
"""Platforms that need no window system: scripted runs, screenshots, benchmarks."""

NO_DISPLAY_FIX = (
    "start an X session (or log in with ssh -X), run under a virtual display: xvfb-run -a camera-monitor ..., "
    "or set QT_QPA_PLATFORM=offscreen for scripted runs (--exit-after, --screenshot)"
)

# Run by ``python -c``: Qt's version first (QtCore needs no display), then the platform if asked.
PROBE_SCRIPT = """
import json, sys
from PySide6 import QtCore
print(json.dumps({"qt": QtCore.qVersion()}), flush=True)
if "gui" in sys.argv[1:]:
    from PySide6.QtGui import QGuiApplication
    app = QGuiApplication(["camera-monitor-doctor"])
    screen = app.primaryScreen()
    size = f"{screen.size().width()}x{screen.size().height()}" if screen else None
    print(json.dumps({"platform": app.platformName(), "screen": size}), flush=True)
"""


def requested_platform(env: Mapping[str, str]) -> str | None:
    """``QT_QPA_PLATFORM``'s first choice without its arguments (``wayland;xcb`` -> wayland, ``offscreen:x=1`` -> offscreen)."""
    first = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    return first or None


def effective_platform(env: Mapping[str, str]) -> str:
    """The platform Qt will try: the requested one, else Wayland in a Wayland session, else xcb (X11)."""
    requested = requested_platform(env)
    if requested:
        return requested
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "cocoa"
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland":
        return "wayland"
    return "xcb"


def check_display(env: Mapping[str, str]) -> Check:
    """Is there somewhere for the chosen platform to open its window?"""
    platform = effective_platform(env)
    how = "QT_QPA_PLATFORM=" + env["QT_QPA_PLATFORM"] if requested_platform(env) else "QT_QPA_PLATFORM unset"
    if platform in HEADLESS_PLATFORMS:
        return ok("display", f"{how}: {platform} needs no display (scripted runs, screenshots)")
    if platform == "xcb":
        if env.get("DISPLAY"):
            return ok("display", f"X11 display {env['DISPLAY']} ({how})")
        wayland = " (WAYLAND_DISPLAY is set: QT_QPA_PLATFORM=wayland may work)" if env.get("WAYLAND_DISPLAY") else ""
        return fail("display", f"{how}, so Qt wants X11 (xcb), but DISPLAY is not set{wayland}", NO_DISPLAY_FIX)
    if platform == "wayland":
        if env.get("WAYLAND_DISPLAY"):
            return ok("display", f"Wayland display {env['WAYLAND_DISPLAY']} ({how})")
        return fail("display", f"{how}, but WAYLAND_DISPLAY is not set", NO_DISPLAY_FIX)
    return ok("display", f"{how}: platform {platform}")


@dataclass(frozen=True)
class ProbeResult:
    qt_version: str | None
    platform: str | None
    """The platform that started, None when it did not (or was not tried)."""
    screen: str | None
    error: str
    """Qt's own words when the platform failed (``qt.qpa.plugin: Could not load ...``)."""


def probe_qt(env: Mapping[str, str], gui: bool) -> ProbeResult | None:
    """Start Qt in a child process with ``env``: its version and, with ``gui``, the platform it opened.

    None in a frozen build, which has no ``python -c`` to run.
    """
    if getattr(sys, "frozen", False):
        return None
    command = [sys.executable, "-c", PROBE_SCRIPT, *(["gui"] if gui else [])]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=PROBE_TIMEOUT_S, env=dict(env))
    except subprocess.TimeoutExpired:
        return ProbeResult(None, None, None, f"Qt did not start within {PROBE_TIMEOUT_S:.0f} s")
    fields: dict[str, str | None] = {}
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            fields.update(json.loads(line))
    error = "" if result.returncode == 0 else _qt_error(result.stderr, result.returncode)
    return ProbeResult(fields.get("qt"), fields.get("platform"), fields.get("screen"), error)


def _qt_error(stderr: str, returncode: int) -> str:
    """The lines of Qt's complaint that say why, joined; the exit status when Qt said nothing."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    qpa = [line for line in lines if line.startswith("qt.qpa") or "platform plugin" in line]
    chosen = qpa[:3] or lines[-2:]
    status = f"killed by signal {-returncode}" if returncode < 0 else f"exit status {returncode}"
    return " / ".join(chosen) + f" ({status})" if chosen else status


def check_qt_start(probe: ProbeResult, platform: str, plugin_fix: str) -> Check:
    """Did the platform really start? ``plugin_fix`` is the plugin check's advice, used when it had any."""
    if probe.platform:
        screen = f", screen {probe.screen}" if probe.screen else ""
        return ok("qt start", f"QGuiApplication started on {probe.platform} (Qt {probe.qt_version}{screen})")
    fix = plugin_fix or f"QT_DEBUG_PLUGINS=1 camera-monitor shows why Qt rejects the {platform} plugin"
    return fail("qt start", f"Qt could not start {platform}: {probe.error or 'no answer'}", fix)
