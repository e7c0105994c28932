"""``camera-monitor doctor``: every check run for real, in a child process, against this machine.

The broken machines are made for real too: a taken port, a read-only folder, no display, and
an xcb library hidden from the dynamic loader (in a private mount namespace, the library file
is covered by a 32-bit ELF header, which the loader skips like a missing file), so the advice
comes from real ``ldd`` output and a real Qt failure.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from monitor_app.doctor import qt_libraries
from monitor_app.doctor.display import requested_platform
from monitor_app.doctor.system_packages import (
    APT,
    DNF,
    PACMAN,
    Distribution,
    detect_distribution,
    install_advice,
    read_os_release,
)
from tests.helpers import ROOT

HEADLESS = {"QT_QPA_PLATFORM": "offscreen"}
NO_DISPLAY = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": None, "WAYLAND_DISPLAY": None}
WRONG_CLASS_ELF = b"\x7fELF\x01\x01\x01" + bytes(57)
"""A 32-bit ELF header: a 64-bit loader skips a library of the wrong class and looks on, as if it were absent."""


def doctor(
    *args: str, env: Mapping[str, str | None], wrapper: Sequence[str] = (), timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``camera-monitor doctor ARGS`` with ``env`` applied to ours (None removes a variable), under ``wrapper``."""
    full_env = dict(os.environ)
    for key, value in env.items():
        if value is None:
            full_env.pop(key, None)
        else:
            full_env[key] = value
    command = [*wrapper, sys.executable, "-m", "monitor_app", "doctor", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=full_env, cwd=ROOT)


def report_of(result: subprocess.CompletedProcess[str]) -> dict[str, dict[str, str | None]]:
    """The ``--json`` document's checks by name (the run must have printed one)."""
    assert "Traceback" not in result.stderr, result.stderr
    return {check["name"]: check for check in json.loads(result.stdout)["checks"]}


def lines_with(result: subprocess.CompletedProcess[str], status: str) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith(status + " ")]


def namespaces_work() -> bool:
    """Can we bind-mount in a private mount namespace (``unshare``, as a mapped root) to hide a file from one process?"""
    if not shutil.which("unshare"):
        return False
    with tempfile.NamedTemporaryFile() as scratch:
        command = in_namespace(f"mount --bind {scratch.name} {scratch.name}")
        probe = subprocess.run([*command, "true"], capture_output=True, timeout=10)
    return probe.returncode == 0


def in_namespace(*mount_commands: str) -> list[str]:
    """A wrapper running the command after ``mount_commands`` in a private mount namespace."""
    script = " && ".join([*mount_commands, 'exec "$@"'])
    return ["unshare", "-rm", "sh", "-c", script, "sh"]


# --- this machine, as it is -----------------------------------------------------------------------------


def test_offscreen_every_check_passes_and_leaves_the_user_folders_untouched(isolated_user_dirs: Path) -> None:
    result = doctor(env=HEADLESS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not lines_with(result, "FAIL"), result.stdout
    for name in ("display", "xcb plugin", "qt start", "opengl", "ffmpeg (opencv)", "jpeg decoder", "dependencies"):
        assert any(f" {name} " in line for line in result.stdout.splitlines()), (name, result.stdout)
    assert "QGuiApplication started on offscreen" in result.stdout
    assert "versions:" in result.stdout
    assert list(isolated_user_dirs.iterdir()) == []  # every folder was tried, nothing was left


def test_json_names_every_check_and_the_installed_versions(isolated_user_dirs: Path) -> None:
    result = doctor("--json", env=HEADLESS)
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert document["ok"] is True
    assert {check["status"] for check in document["checks"]} <= {"OK", "WARN"}
    names = [check["name"] for check in document["checks"]]
    for label in ("config", "layouts", "logs", "snapshots", "recordings"):
        assert f"{label} folder" in names
    versions = document["versions"]
    assert versions["python"].startswith(f"{sys.version_info.major}.{sys.version_info.minor}.")
    assert versions["qt"].startswith("6.")
    for name in ("PySide6-Essentials", "opencv-python-headless", "pyzmq", "numpy", "simplejpeg", "platformdirs"):
        assert versions[name] == importlib.metadata.version(name)
    assert "pytest" not in versions  # an extra, not a runtime dependency


def test_xcb_without_a_display_fails_and_says_how_to_get_one() -> None:
    result = doctor(env=NO_DISPLAY)
    assert result.returncode == 1
    [display] = [line for line in lines_with(result, "FAIL") if " display " in line]
    assert "DISPLAY is not set" in display
    fix = result.stdout.split(display, 1)[1].splitlines()[1]
    assert fix.strip().startswith("fix:") and "xvfb-run -a" in fix and "QT_QPA_PLATFORM=offscreen" in fix
    assert " qt start " not in result.stdout  # not tried: Qt would only abort


@pytest.mark.skipif(not shutil.which("xvfb-run"), reason="needs xvfb-run (package xvfb)")
def test_under_xvfb_the_xcb_platform_really_starts() -> None:
    result = doctor("--json", env={"QT_QPA_PLATFORM": "xcb"}, wrapper=["xvfb-run", "-a"])
    checks = report_of(result)
    assert result.returncode == 0, result.stdout
    assert checks["display"]["status"] == "OK" and checks["xcb plugin"]["status"] == "OK"
    assert checks["qt start"]["status"] == "OK"
    assert "QGuiApplication started on xcb" in str(checks["qt start"]["detail"])


# --- ports and folders ----------------------------------------------------------------------------------


def test_a_taken_hub_port_fails_and_a_free_one_passes() -> None:
    with socket.socket() as holder, socket.socket() as spare:
        holder.bind(("0.0.0.0", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        spare.bind(("0.0.0.0", 0))
        free = spare.getsockname()[1]
        spare.close()  # free again: the doctor must find it so
        result = doctor("--json", "--hub", f":{taken}", "--hub", f"tcp://*:{free}", env=HEADLESS)
    checks = report_of(result)
    assert result.returncode == 1
    busy = checks[f"hub :{taken}"]
    assert busy["status"] == "FAIL" and "already in use" in str(busy["detail"])
    assert f"sport = :{taken}" in str(busy["fix"])
    assert checks[f"hub tcp://*:{free}"]["status"] == "OK"


def test_a_file_where_the_folders_should_be_fails_every_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the config folder should be")
    result = doctor("--json", env={**HEADLESS, "CAMERA_MONITOR_CONFIG_DIR": str(blocker)})
    checks = report_of(result)
    assert result.returncode == 1
    for label in ("config", "layouts", "logs", "snapshots", "recordings"):
        assert checks[f"{label} folder"]["status"] == "FAIL"
        assert "CAMERA_MONITOR_CONFIG_DIR=DIR" in str(checks[f"{label} folder"]["fix"])
    assert blocker.read_text() == "a file where the config folder should be"


def test_a_read_only_folder_fails_and_nothing_is_left_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    env = {**HEADLESS, "CAMERA_MONITOR_CONFIG_DIR": str(folder)}
    if os.geteuid() != 0:
        folder.chmod(0o555)
        wrapper: list[str] = []
    elif namespaces_work():  # root ignores file modes: make the folder a read-only mount instead
        wrapper = in_namespace(f"mount --bind {folder} {folder}", f"mount -o remount,bind,ro {folder}")
    else:
        pytest.skip("running as root without unshare: no way to make a folder read-only")
    try:
        result = doctor("--json", env=env, wrapper=wrapper)
    finally:
        folder.chmod(0o755)
    checks = report_of(result)
    assert result.returncode == 1
    assert checks["config folder"]["status"] == "FAIL"
    assert str(folder) in str(checks["config folder"]["detail"]) and "cannot write" in str(
        checks["config folder"]["detail"]
    )
    assert checks["layouts folder"]["status"] == "FAIL"  # inside it, so it cannot be created either
    assert list(folder.iterdir()) == []


# --- a missing xcb library --------------------------------------------------------------------------------


def xcb_cursor_file() -> Path | None:
    """Where the loader finds ``libxcb-cursor.so.0`` for Qt's xcb plugin today (real ldd), None if nowhere."""
    plugin = qt_libraries.find_plugin("xcb", os.environ)
    assert plugin is not None, "PySide6 ships libqxcb.so"
    result = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=30, check=True)
    for line in result.stdout.splitlines():
        name, _, target = line.strip().partition(" => ")
        if name == "libxcb-cursor.so.0" and target.startswith("/"):
            return Path(target.split(" (")[0]).resolve()
    return None


def hide_xcb_cursor(tmp_path: Path) -> list[str]:
    """A wrapper under which ``libxcb-cursor.so.0`` cannot be loaded (nothing to do where it is not installed)."""
    library = xcb_cursor_file()
    if library is None:
        return []
    if not namespaces_work():
        pytest.skip("libxcb-cursor is installed and unshare cannot hide it here")
    stub = tmp_path / "elf32-stub.so"
    stub.write_bytes(WRONG_CLASS_ELF)
    return in_namespace(f"mount --bind {stub} {library}")


def expected_first_command() -> str | None:
    commands = {
        APT: "sudo apt install libxcb-cursor0",
        DNF: "sudo dnf install xcb-util-cursor",
        PACMAN: "sudo pacman -S xcb-util-cursor",
    }
    return commands.get(detect_distribution(read_os_release()).family or "")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd and xcb are Linux's")
def test_a_hidden_xcb_library_is_named_with_its_package_offscreen_warns(tmp_path: Path) -> None:
    result = doctor("--json", env=HEADLESS, wrapper=hide_xcb_cursor(tmp_path))
    checks = report_of(result)
    plugin = checks["xcb plugin"]
    assert result.returncode == 0  # offscreen runs need no xcb
    assert plugin["status"] == "WARN" and "libxcb-cursor.so.0 not found" in str(plugin["detail"])
    fix = str(plugin["fix"])
    assert (
        "libxcb-cursor0" in fix
        and "sudo dnf install xcb-util-cursor" in fix
        and "sudo pacman -S xcb-util-cursor" in fix
    )
    first = expected_first_command()
    if first:
        assert fix.splitlines()[0].startswith(first)  # this machine's distribution first


@pytest.mark.skipif(not shutil.which("xvfb-run"), reason="needs xvfb-run (package xvfb)")
def test_a_hidden_xcb_library_fails_the_x11_start_for_real_with_the_same_advice(tmp_path: Path) -> None:
    wrapper = [*hide_xcb_cursor(tmp_path), "xvfb-run", "-a"]
    result = doctor("--json", env={"QT_QPA_PLATFORM": "xcb"}, wrapper=wrapper)
    checks = report_of(result)
    assert result.returncode == 1
    assert checks["display"]["status"] == "OK"
    assert checks["xcb plugin"]["status"] == "FAIL" and "libxcb-cursor0" in str(checks["xcb plugin"]["fix"])
    start = checks["qt start"]
    assert start["status"] == "FAIL" and 'platform plugin "xcb"' in str(start["detail"])  # Qt's own words
    assert "libxcb-cursor0" in str(start["fix"])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd and xcb are Linux's")
def test_a_plugin_without_its_qt_libraries_says_reinstall_pyside6(tmp_path: Path) -> None:
    """QT_QPA_PLATFORM_PLUGIN_PATH (Qt's own variable) at a copy of the real plugin alone: its RUNPATH
    ($ORIGIN/../../lib) finds none of Qt's libraries, and real ldd says so."""
    plugin = qt_libraries.find_plugin("xcb", os.environ)
    assert plugin is not None
    platforms = tmp_path / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    shutil.copy2(plugin, platforms / plugin.name)
    result = doctor("--json", env={**NO_DISPLAY, "QT_QPA_PLATFORM_PLUGIN_PATH": str(platforms)})
    check = report_of(result)["xcb plugin"]
    assert result.returncode == 1 and check["status"] == "FAIL"
    assert "libQt6XcbQpa.so.6" in str(check["detail"])
    assert "pip install --force-reinstall PySide6-Essentials" in str(check["fix"])


# --- the pure parts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("os_release", "family"),
    [
        ('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n', APT),
        ('NAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\n', APT),
        ('NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\n', DNF),
        ("NAME=Fedora Linux\nID=fedora\n", DNF),
        ('NAME="Manjaro Linux"\nID=manjaro\nID_LIKE=arch\n', PACMAN),
        ("NAME=Gentoo\nID=gentoo\n", None),
    ],
)
def test_the_distribution_comes_from_os_release(tmp_path: Path, os_release: str, family: str | None) -> None:
    path = tmp_path / "os-release"
    path.write_text(os_release)
    assert detect_distribution(read_os_release(path)).family == family


def test_the_advice_puts_this_systems_command_first_and_names_what_it_cannot_place() -> None:
    fedora = install_advice(["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libfoo.so.9"], Distribution("Fedora 40", DNF))
    lines = fedora.splitlines()
    assert lines[0] == "sudo dnf install xcb-util-cursor xcb-util-wm   (this is Fedora 40)"
    assert "Debian/Ubuntu: sudo apt install libxcb-cursor0 libxcb-icccm4" in lines
    assert "Arch: sudo pacman -S xcb-util-cursor xcb-util-wm" in lines
    assert "libfoo.so.9" in lines[-1]
    unknown = install_advice(["libxcb-cursor.so.0"], Distribution("Gentoo", None)).splitlines()
    assert [line.split(":")[0] for line in unknown] == ["Debian/Ubuntu", "Fedora", "Arch"]


@pytest.mark.parametrize(
    ("value", "platform"),
    [
        ("offscreen", "offscreen"),
        ("wayland;xcb", "wayland"),
        ("offscreen:fontengine=freetype", "offscreen"),
        ("", None),
    ],
)
def test_qt_qpa_platform_is_read_like_qt_reads_it(value: str, platform: str | None) -> None:
    assert requested_platform({"QT_QPA_PLATFORM": value}) == platform
