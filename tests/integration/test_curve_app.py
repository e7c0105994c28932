"""The real app as a CURVE hub (``--curve-secret``, ``--curve-allow``) and two ``camera-monitor send`` senders:
the one whose key is allowed gets a tile, the other never does and is counted in ``--stats-json``."""

from __future__ import annotations

import os
from pathlib import Path

import zmq.auth

from monitor_app.core.net import free_port
from tests.app_process import App, Processes, connection, live_with_frames, log_tail, tiles


def test_a_curve_hub_window_shows_the_allowed_sender_and_counts_the_refused_one(
    procs: Processes, tmp_path: Path
) -> None:
    keys, allow = tmp_path / "keys", tmp_path / "allowed"
    keys.mkdir()
    allow.mkdir()
    for name in ("hub", "porch", "intruder"):
        zmq.auth.create_certificates(keys, name)
        os.chmod(keys / f"{name}.key_secret", 0o600)
    (allow / "porch.key").write_bytes((keys / "porch.key").read_bytes())
    hub = f"tcp://127.0.0.1:{free_port()}"
    app = App(
        procs,
        tmp_path / "stats.json",
        *("--hub", hub, "--curve-secret", str(keys / "hub.key_secret"), "--curve-allow", str(allow)),
    )
    for name in ("porch", "intruder"):
        procs.send(
            *("--hub", hub, "--name", name, "--fps", "15", "--size", "160x90"),
            *("--curve-secret", str(keys / f"{name}.key_secret"), "--curve-server", str(keys / "hub.key")),
        )

    def refused_and_shown(stats: dict) -> bool:  # type: ignore[type-arg]
        endpoints = connection(stats, "hub1").get("endpoints") or [{}]
        return live_with_frames(stats, ["porch"]) and endpoints[0].get("auth_failures", 0) >= 1

    stats = app.wait_for("porch live, intruder refused", refused_and_shown)
    assert "intruder" not in tiles(stats)
    stats = app.finish()
    assert "intruder" not in tiles(stats) and connection(stats, "hub1")["endpoints"][0]["curve"] is True
    log = log_tail(app.proc)
    assert "refused a client whose key is not allowed" in log
    for name in ("hub", "porch", "intruder"):
        secret = zmq.auth.load_certificate(keys / f"{name}.key_secret")[1]
        assert secret is not None and secret.decode() not in log + str(stats)
