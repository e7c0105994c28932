"""Camera Monitor: a desktop wall of live cameras (imagezmq hubs, RTSP, MJPEG, webcams, files)."""

from importlib import metadata

from monitor_app.core.identity import APP_ID

try:
    __version__ = metadata.version(APP_ID)  # the distribution's name in pyproject.toml
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"
