"""Shared fixtures: offscreen Qt, isolated settings, and a check that no test leaves a thread running."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test (and the app processes it starts) away from the user's real settings and logs."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("CAMERA_MONITOR_CONFIG_DIR", str(home))
    return home


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves one of our threads (LoopThread or Python thread) running."""
    before = {t.ident for t in threading.enumerate()}
    yield
    from monitor_app.receivers.threads import running_threads

    deadline = time.monotonic() + 3.0
    leaked_qt: list[str] = []
    leaked_py: list[str] = []
    while time.monotonic() < deadline:
        leaked_qt = running_threads()
        leaked_py = [
            t.name
            for t in threading.enumerate()
            if t.ident not in before and t.is_alive() and not isinstance(t, threading._DummyThread)  # type: ignore[attr-defined]
        ]
        if not leaked_qt and not leaked_py:
            return
        time.sleep(0.05)
    pytest.fail(f"threads left running: Qt {leaked_qt} Python {leaked_py}")
