"""Camera Monitor: a desktop wall of live cameras (imagezmq hubs, RTSP, MJPEG, webcams, files)."""

from importlib import metadata

try:
    __version__ = metadata.version("camera-monitor")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"
