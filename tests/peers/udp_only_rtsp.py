"""An RTSP server that refuses RTSP over TCP, for the UDP fallback tests: GStreamer's, allowed UDP only.

Run by Debian's ``/usr/bin/python3`` (python3-gi and the GStreamer packages ``rtsp-test-server``
installs), not the venv: ``udp_only_rtsp.py PORT``. Prints ``READY rtsp://127.0.0.1:PORT/cam``
once listening and serves a small live H.264 test pattern until SIGTERM. GStreamer answers a
SETUP asking for TCP with 461 Unsupported Transport, as UDP-only cameras and restreamers do.
"""

from __future__ import annotations

import os
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

PIPELINE = (
    "( videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=15/1 ! videoconvert "
    "! video/x-raw,format=I420 ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=8 bitrate=300 "
    "! rtph264pay name=pay0 pt=96 config-interval=1 )"
)


def main(port: int) -> None:
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(port))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(PIPELINE)
    factory.set_shared(True)
    factory.set_protocols(GstRtsp.RTSPLowerTrans.UDP)  # the point: no RTSP over TCP
    server.get_mount_points().add_factory("/cam", factory)
    if server.attach(None) == 0:
        sys.exit(2)
    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_HIGH, sig, loop.quit)
    print(f"READY rtsp://127.0.0.1:{port}/cam", flush=True)
    loop.run()
    os._exit(0)  # GI's finalization only adds seconds


if __name__ == "__main__":
    main(int(sys.argv[1]))
