"""One TCP connect to a camera's server in a thread of its own: ``UrlSource.reachable``'s answer."""

from __future__ import annotations

import socket
import threading

PROBE_CONNECT_S = 0.3
"""The connect gives up after this long (the camera's own network, not the internet)."""


class ServerProbe(threading.Thread):
    """One TCP connect to a camera's server; it ends on its own within ``PROBE_CONNECT_S`` (plus any name lookup)."""

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(name="url-probe", daemon=True)
        self.address = address
        self.answered = False
        self.done = threading.Event()

    def run(self) -> None:
        try:
            socket.create_connection(self.address, timeout=PROBE_CONNECT_S).close()
            self.answered = True
        except OSError:  # refused, unreachable, timed out, name not found
            self.answered = False
        finally:
            self.done.set()
