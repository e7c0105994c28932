"""Free ports for tests and benches: several at once are all different, and each can be bound."""

from __future__ import annotations

import socket

from monitor_app.core.net import free_ports


def test_several_free_ports_are_all_different_and_free() -> None:
    for _ in range(20):  # the OS handing the same port out twice is rare: ask often
        ports = free_ports(6)
        assert len(set(ports)) == 6
        with socket.socket() as s:
            s.bind(("127.0.0.1", ports[0]))
