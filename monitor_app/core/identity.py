"""The app's names, each in one place: what the user reads, what the platform files things under.

Qt-free and import-free, so core, the commands and the GUI start-up all take them from here.
``pyproject.toml``, ``packaging/`` and ``resources/camera-monitor.desktop`` repeat them and must
stay in step by hand.
"""

from __future__ import annotations

DISPLAY_NAME = "Camera Monitor"
"""What the user reads: window titles, dialogs, ``QApplication.applicationName``."""

APP_ID = "camera-monitor"
"""The program's name as the system sees it: the command, the distribution in ``pyproject.toml``,
the desktop file, the QSettings application, the per-user folders and the log file."""

ORGANIZATION = "CameraMonitor"
"""The vendor folder the platform files the app under (QSettings, ``platformdirs``' author on Windows)."""

CONFIG_DIR_ENV = "CAMERA_MONITOR_CONFIG_DIR"
"""Environment variable: put settings, layouts and logs all under this one folder (tests, portable installs)."""

LOG_LEVEL_ENV = "CAMERA_MONITOR_LOG_LEVEL"
"""Environment variable: the log level (``DEBUG``, ``INFO``, ...) of the app and ``send``."""
INGEST_TOKEN_ENV = "CAMERA_MONITOR_INGEST_TOKEN"
"""The --http-ingest token, out of the process list (the window and the relay both read it)."""
WEB_TOKEN_ENV = "CAMERA_MONITOR_WEB_TOKEN"
