"""``camera-monitor keys``, and the CURVE flags of ``send`` and ``validate`` as a user runs them."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import zmq.auth

from monitor_app.core.net import free_port
from tests.helpers import camera_monitor


def test_keys_writes_a_public_file_and_a_secret_file_only_its_owner_can_read(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    result = camera_monitor("keys", str(folder), "hub")
    assert result.returncode == 0, result.stderr
    public, secret = folder / "hub.key", folder / "hub.key_secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    public_key, none = zmq.auth.load_certificate(public)
    same_public, secret_key = zmq.auth.load_certificate(secret)
    assert none is None and secret_key is not None and public_key == same_public
    assert str(public) in result.stdout and str(secret) in result.stdout
    assert secret_key.decode() not in result.stdout + result.stderr


def test_keys_never_overwrites_a_pair_and_refuses_a_path_as_name(tmp_path: Path) -> None:
    assert camera_monitor("keys", str(tmp_path), "hub").returncode == 0
    before = (tmp_path / "hub.key_secret").read_bytes()
    again = camera_monitor("keys", str(tmp_path), "hub")
    assert again.returncode == 1 and "already exists" in again.stderr
    assert (tmp_path / "hub.key_secret").read_bytes() == before
    bad = camera_monitor("keys", str(tmp_path), "../elsewhere")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_send_refuses_a_secret_key_others_can_read_with_the_fix(tmp_path: Path) -> None:
    zmq.auth.create_certificates(tmp_path, "sender")
    zmq.auth.create_certificates(tmp_path, "hub")
    secret = tmp_path / "sender.key_secret"
    os.chmod(secret, 0o644)
    result = camera_monitor(
        "send",
        "--hub",
        f"tcp://127.0.0.1:{free_port()}",
        "--count",
        "1",
        "--curve-secret",
        str(secret),
        "--curve-server",
        str(tmp_path / "hub.key"),
    )
    assert result.returncode == 1 and f"chmod 600 {secret}" in result.stderr
    assert "Traceback" not in result.stderr
    secret_key = zmq.auth.load_certificate(secret)[1]
    assert secret_key is not None and secret_key.decode() not in result.stdout + result.stderr


def test_send_names_the_flag_a_curve_combination_lacks(tmp_path: Path) -> None:
    result = camera_monitor("send", "--count", "1", "--curve-secret", str(tmp_path / "s.key_secret"))
    assert result.returncode == 2 and "--curve-server is required with --curve-secret" in result.stderr


def test_validate_refuses_a_curve_allow_without_a_secret(tmp_path: Path) -> None:
    layout = {
        "schema_version": 1,
        "grid": {"rows": 1, "columns": 1},
        "connections": [{"id": "hub", "kind": "hub", "endpoint": ":5555", "curve_allow": "allowed"}],
        "cameras": [],
    }
    path = tmp_path / "layout.json"
    path.write_text(json.dumps(layout))
    result = camera_monitor("validate", str(path))
    assert result.returncode == 2 and "$.connections[0].curve_secret: is required with curve_allow" in result.stderr
