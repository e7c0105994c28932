"""Every check of ``camera-monitor doctor``, in the order a user would fix them, and the versions for a bug report."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from monitor_app.doctor.check import Check, Status, fail
from monitor_app.doctor.display import check_display, check_qt_start, effective_platform, probe_qt
from monitor_app.doctor.folders import check_folders
from monitor_app.doctor.media import check_jpeg, check_opencv_ffmpeg, check_opengl, check_pyav
from monitor_app.doctor.ports import check_hub
from monitor_app.doctor.qt_libraries import check_plugin, find_plugin
from monitor_app.doctor.system_packages import Distribution, detect_distribution, read_os_release
from monitor_app.doctor.versions import base_versions, dependency_versions

X11_PLATFORM = "xcb"
REPORT_IT = "please report this, with the output of camera-monitor doctor --json"


@dataclass(frozen=True)
class Report:
    checks: list[Check]
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(check.status is Status.FAIL for check in self.checks)

    def count(self, status: Status) -> int:
        return sum(check.status is status for check in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": not self.failed,
            "checks": [check.as_dict() for check in self.checks],
            "versions": self.versions,
        }


def diagnose(hubs: Sequence[str] = (), env: Mapping[str, str] | None = None) -> Report:
    """Run every check against ``env`` (the process environment by default) and ``hubs`` (``--hub`` endpoints)."""
    env = dict(os.environ) if env is None else env
    distribution = detect_distribution(read_os_release())
    checks = [_guarded("display", lambda: check_display(env))]
    display_ok = checks[0].status is Status.OK
    qt_checks, qt_version = _qt_checks(env, distribution, display_ok)
    checks += qt_checks
    checks += [
        _guarded("opengl", lambda: check_opengl(distribution)),
        _guarded("ffmpeg (opencv)", check_opencv_ffmpeg),
        _guarded("ffmpeg (pyav)", check_pyav),
        _guarded("jpeg decoder", check_jpeg),
    ]
    checks += [_guarded(f"hub {hub}", functools.partial(check_hub, hub)) for hub in hubs]
    checks += _guarded_list("folders", check_folders)
    dependencies, dependency_check = dependency_versions()
    checks.append(dependency_check)
    return Report(checks, {**base_versions(qt_version, distribution.name), **dependencies})


def _qt_checks(env: Mapping[str, str], distribution: Distribution, display_ok: bool) -> tuple[list[Check], str | None]:
    """The xcb plugin's libraries (always: the window on X11 needs them), the chosen platform's, then a real start.

    Also Qt's version, from the child process that tried the start (or, with no display, only imported QtCore).
    """
    platform = effective_platform(env)
    checks = [
        _guarded(
            f"{X11_PLATFORM} plugin", lambda: check_plugin(X11_PLATFORM, platform == X11_PLATFORM, env, distribution)
        )
    ]
    if platform != X11_PLATFORM and sys.platform.startswith("linux") and find_plugin(platform, env):
        checks.append(_guarded(f"{platform} plugin", lambda: check_plugin(platform, True, env, distribution)))
    # Without a display Qt would only abort: the display check already says what to do.
    probe = probe_qt(env, gui=display_ok)
    if probe is not None and display_ok:
        plugin_fix = next((c.fix for c in checks if c.name == f"{platform} plugin" and c.fix), "")
        checks.append(check_qt_start(probe, platform, plugin_fix))
    return checks, probe.qt_version if probe else None


def _guarded(name: str, run: Callable[[], Check]) -> Check:
    """One check; a bug in it becomes its FAIL line instead of ending the report."""
    try:
        return run()
    except Exception as exc:
        return fail(name, f"the check itself failed: {type(exc).__name__}: {exc}", REPORT_IT)


def _guarded_list(name: str, run: Callable[[], list[Check]]) -> list[Check]:
    try:
        return run()
    except Exception as exc:
        return [fail(name, f"the check itself failed: {type(exc).__name__}: {exc}", REPORT_IT)]
