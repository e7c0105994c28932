"""The per-user folders (config, layouts, logs, snapshots, recordings) can be written, and nothing is left behind.

A folder that does not exist yet is created for the test and removed again, so the check
answers "can the app create it when it needs it" without changing the user's home.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from monitor_app.core.identity import CONFIG_DIR_ENV
from monitor_app.core.paths import nearest_existing, try_writing
from monitor_app.doctor.check import Check, fail, ok

FOLDERS = (
    ("config", "config_dir"),
    ("layouts", "layouts_dir"),
    ("logs", "log_dir"),
    ("snapshots", "snapshots_dir"),
    ("recordings", "recordings_dir"),
)
"""(label, the function of :mod:`monitor_app.core.paths` that says where it is)."""


def check_folders() -> list[Check]:
    try:
        paths = importlib.import_module("monitor_app.core.paths")
    except ImportError as exc:
        return [fail("folders", f"cannot import platformdirs: {exc}", "pip install --force-reinstall platformdirs")]
    return [check_writable(f"{label} folder", getattr(paths, function)()) for label, function in FOLDERS]


def check_writable(name: str, path: Path) -> Check:
    existed = path.is_dir()
    try:
        try_writing(path)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        fix = (
            f"make it writable by you (check its owner and mode: ls -ld {nearest_existing(path)}), "
            f"or set {CONFIG_DIR_ENV}=DIR to keep every folder under a writable DIR"
        )
        return fail(name, f"{path}: cannot write here ({reason})", fix)
    return ok(name, f"{path} is writable" + ("" if existed else " (created when first needed)"))
