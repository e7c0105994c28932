"""Packaging: resources found installed and frozen, per-user folders, the log file, and the build recipes.

The frozen build itself is tested by packaging/smoke_test.sh (packaging/ci_package.sh), which takes minutes.
"""

from __future__ import annotations

import configparser
import email
import logging
import os
import re
import shutil
import struct
import subprocess
import sys
import threading
import time
import types
import zipfile
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from monitor_app.core import paths
from monitor_app.core.net import free_port
from monitor_app.core.resources import resource_path
from monitor_app.logging_setup import LOG_FILE_NAME, PasswordMaskFilter, configure_logging, current_log_file
from tests.helpers import ROOT

PACKAGING = ROOT / "packaging"
SECRET = "s3cr3t-Pa55"


# --- resources ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["demo_layout.json", "camera-monitor.png", "camera-monitor.svg", "camera-monitor.desktop", "camera-monitor.ico"],
)
def test_bundled_resources_are_found(name: str) -> None:
    path = resource_path(name)
    assert path.is_file() and path.stat().st_size > 0
    assert resources.files("monitor_app.resources").joinpath(name).is_file()  # the installed package's view


def test_a_missing_resource_is_named_in_the_error() -> None:
    with pytest.raises(FileNotFoundError, match=r"no-such-file\.qss"):
        resource_path("no-such-file.qss")


def test_a_frozen_build_reads_resources_from_its_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = tmp_path / "monitor_app" / "resources" / "demo_layout.json"
    bundled.parent.mkdir(parents=True)
    bundled.write_text("{}")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("demo_layout.json") == bundled
    # Present in the package but not in this bundle: still found (the package fallback).
    assert resource_path("camera-monitor.png").is_file()


def test_the_icon_is_a_256px_image_with_transparency() -> None:
    image = cv2.imread(str(resource_path("camera-monitor.png")), cv2.IMREAD_UNCHANGED)
    assert image is not None and image.shape == (256, 256, 4)
    assert image[0, 0, 3] == 0 and image[128, 128, 3] == 255  # transparent corner, opaque middle


def test_the_windows_and_macos_icons_are_well_formed() -> None:
    ico = resource_path("camera-monitor.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind) == (0, 1) and count >= 4
    sizes = [ico[6 + 16 * i] or 256 for i in range(count)]
    assert {16, 32, 48, 256} <= set(sizes)
    for i in range(count):
        length, offset = struct.unpack_from("<II", ico, 6 + 16 * i + 8)
        assert ico[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + length <= len(ico)
    icns = resource_path("camera-monitor.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert b"ic08" in icns and b"ic10" in icns  # 256 and 1024 px


def test_the_desktop_entry_starts_the_installed_command_with_our_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(resource_path("camera-monitor.desktop"), encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "Camera Monitor"
    assert section["Exec"].split()[0] == "camera-monitor"
    assert section["Icon"] == "camera-monitor" and resource_path(section["Icon"] + ".png").is_file()
    assert section["Terminal"] == "false"
    assert section["Categories"].endswith(";") and "Video" in section["Categories"].split(";")


# --- per-user folders -----------------------------------------------------------------------------------


def test_the_config_dir_variable_moves_every_user_folder(isolated_user_dirs: Path) -> None:
    assert paths.config_dir() == isolated_user_dirs
    assert paths.layouts_dir() == isolated_user_dirs / "layouts"
    assert paths.log_dir() == isolated_user_dirs / "logs"
    assert not paths.log_dir().exists()
    assert paths.log_dir(create=True).is_dir() and paths.layouts_dir(create=True).is_dir()


def test_settings_and_new_layouts_go_in_the_user_folders(
    isolated_user_dirs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert paths.settings_file() == isolated_user_dirs / "camera-monitor.ini"
    assert not paths.layouts_dir().exists()
    assert paths.new_layout_path() == isolated_user_dirs / "layouts" / "layout.json"
    assert paths.layouts_dir().is_dir()  # made, so the Save As dialog opens in it
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the config folder should be")
    monkeypatch.setenv("CAMERA_MONITOR_CONFIG_DIR", str(blocker))
    assert paths.new_layout_path("wall.json") == Path("wall.json")  # the working directory, as before
    monkeypatch.delenv("CAMERA_MONITOR_CONFIG_DIR")
    assert paths.settings_file() is None  # QSettings' native store


def test_without_the_variable_folders_are_per_user_and_never_next_to_the_program(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CAMERA_MONITOR_CONFIG_DIR")
    home = Path.home()
    program = Path(sys.executable).resolve().parent
    for folder in (paths.config_dir(), paths.layouts_dir(), paths.log_dir()):
        assert "camera-monitor" in folder.parts
        assert folder.is_relative_to(home) or sys.platform == "win32"
        assert not folder.is_relative_to(program) and not folder.is_relative_to(ROOT)


# --- logging ---------------------------------------------------------------------------------------------


def _read_logs(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob(LOG_FILE_NAME + "*")))


def test_log_records_reach_the_file_with_passwords_masked(isolated_user_dirs: Path) -> None:
    setup = configure_logging("DEBUG", to_stderr=False)
    try:
        assert setup.log_file == isolated_user_dirs / "logs" / LOG_FILE_NAME
        assert current_log_file() == setup.log_file
        log = logging.getLogger("monitor_app.test")
        log.info("opening %s", f"rtsp://admin:{SECRET}@10.0.0.9:554/stream1")
        log.warning(f"cannot reach http://viewer:{SECRET}@cam.local/video")
        try:
            raise ConnectionError(f"refused by rtsp://root:{SECRET}@10.0.0.7/live")
        except ConnectionError:
            log.exception("connection failed")
        from_thread = threading.Thread(target=lambda: log.error("from a receiver thread"), name="receiver-1")
        from_thread.start()
        from_thread.join(5)
    finally:
        setup.stop()
    text = _read_logs(isolated_user_dirs / "logs")
    assert SECRET not in text
    assert "rtsp://admin:***@10.0.0.9:554/stream1" in text
    assert "http://viewer:***@cam.local/video" in text
    assert "ConnectionError: refused by rtsp://root:***@10.0.0.7/live" in text  # the traceback, masked
    assert "ERROR receiver-1 monitor_app.test: from a receiver thread" in text
    assert current_log_file() is None


def test_a_record_whose_arguments_do_not_fit_is_kept_masked_instead_of_raising() -> None:
    record = logging.LogRecord(
        "monitor_app.x", logging.INFO, __file__, 1, "bad %d for %s", (f"rtsp://u:{SECRET}@h/x",), None
    )
    assert PasswordMaskFilter().filter(record) is True
    assert record.getMessage() == "bad %d for %s (arguments ('rtsp://u:***@h/x',) did not fit)"


def test_the_log_file_rotates_and_keeps_a_bounded_number_of_old_files(isolated_user_dirs: Path) -> None:
    setup = configure_logging("INFO", to_stderr=False, max_bytes=4000, backup_count=2)
    try:
        for i in range(400):
            logging.getLogger("monitor_app.test").info("line %04d %s", i, "x" * 60)
    finally:
        setup.stop()
    folder = isolated_user_dirs / "logs"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [LOG_FILE_NAME, f"{LOG_FILE_NAME}.1", f"{LOG_FILE_NAME}.2"]
    assert all((folder / name).stat().st_size <= 4000 for name in names)
    assert "line 0399" in (folder / LOG_FILE_NAME).read_text(encoding="utf-8")  # the newest is in the live file


def test_configuring_again_replaces_the_earlier_setup(isolated_user_dirs: Path) -> None:
    first = configure_logging("INFO", to_stderr=False)
    second = configure_logging("INFO", to_stderr=False)
    try:
        assert first.stopped and not second.stopped
        ours = [h for h in logging.getLogger().handlers if h in (first.queue_handler, second.queue_handler)]
        assert ours == [second.queue_handler]
    finally:
        second.stop()


def test_an_unwritable_log_folder_leaves_the_app_running_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the config folder should be")
    monkeypatch.setenv("CAMERA_MONITOR_CONFIG_DIR", str(blocker))
    setup = configure_logging("INFO")
    try:
        assert setup.log_file is None
        logging.getLogger("monitor_app.test").info("still logging")
    finally:
        setup.stop()
    err = capsys.readouterr().err
    assert "no log file" in err and "still logging" in err


def test_the_app_logs_to_the_user_log_folder_without_passwords(isolated_user_dirs: Path) -> None:
    """The real app, with a camera URL whose password must stay out of the log file and the terminal."""
    url = f"rtsp://admin:{SECRET}@127.0.0.1:{free_port()}/stream"  # nothing listens: refused, retried
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "monitor_app", "--url", url, "--exit-after", "3"],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
        cwd=str(isolated_user_dirs),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    text = _read_logs(isolated_user_dirs / "logs")
    version = metadata.version("camera-monitor")
    assert f"Camera Monitor {version} starting" in text
    # The refusals were logged from the receiver thread (through the queue, not by the GUI thread).
    assert re.search(r" (WARNING|ERROR) (?!MainThread)\S+ monitor_app\.", text), text
    assert SECRET not in text and SECRET not in result.stderr
    assert not list(isolated_user_dirs.glob("*.log"))  # not in the working folder


# --- the PyInstaller spec, run with stand-ins for PyInstaller's classes on each platform -------------------


class _Recorder:
    calls: list[tuple[str, dict[str, Any]]]

    def __init__(self) -> None:
        self.calls = []

    def factory(self, kind: str) -> Any:
        recorder = self

        class Target:
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                self.args, self.kwargs = args, kwargs
                recorder.calls.append((kind, {"args": args, **kwargs}))
                self.datas = [  # what Analysis would collect: (dest, src, typecode)
                    ("PySide6/Qt/translations/qtbase_de.qm", "/src/qtbase_de.qm", "DATA"),
                    ("PySide6/Qt/translations/qt_help_de.qm", "/src/qt_help_de.qm", "DATA"),
                ]
                self.binaries = [
                    ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
                    ("PySide6/Qt/plugins/platforms/libqeglfs.so", "/src/libqeglfs.so", "BINARY"),
                    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/src/libqgtk3.so", "BINARY"),
                ]
                self.scripts, self.pure = ["entry"], []

        return Target

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [kwargs for k, kwargs in self.calls if k == kind]


def _run_spec(platform: str, monkeypatch: pytest.MonkeyPatch) -> _Recorder:
    recorder = _Recorder()
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.copy_metadata = lambda name: [(f"/site/{name}.dist-info", f"{name}.dist-info")]  # type: ignore[attr-defined]
    hooks.collect_submodules = lambda package, filter=None: [  # type: ignore[attr-defined]
        m for m in (f"{package}.commands.validate", f"{package}.resources") if filter is None or filter(m)
    ]
    versioninfo = types.ModuleType("PyInstaller.utils.win32.versioninfo")
    for name in ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct", "VarFileInfo"):
        setattr(versioninfo, name, recorder.factory(name))
    versioninfo.VarStruct = recorder.factory("VarStruct")  # type: ignore[attr-defined]
    bindepend = types.ModuleType("PyInstaller.depend.bindepend")
    bindepend.get_imports = lambda filename: []  # type: ignore[attr-defined]
    modules = {
        "PyInstaller": types.ModuleType("PyInstaller"),
        "PyInstaller.utils": types.ModuleType("PyInstaller.utils"),
        "PyInstaller.utils.hooks": hooks,
        "PyInstaller.utils.win32": types.ModuleType("PyInstaller.utils.win32"),
        "PyInstaller.utils.win32.versioninfo": versioninfo,
        "PyInstaller.depend": types.ModuleType("PyInstaller.depend"),
        "PyInstaller.depend.bindepend": bindepend,
    }
    modules["PyInstaller.utils.win32"].versioninfo = versioninfo  # type: ignore[attr-defined]
    namespace: dict[str, Any] = {"__name__": "__main__", "SPECPATH": str(PACKAGING)}
    namespace.update({kind: recorder.factory(kind) for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")})
    spec = PACKAGING / "camera-monitor.spec"
    code = compile(spec.read_text(encoding="utf-8"), str(spec), "exec")
    with monkeypatch.context() as patch:  # undone right after, leaving the test's other patches alone
        for name, module in modules.items():
            patch.setitem(sys.modules, name, module)
        patch.setattr(sys, "platform", platform)
        exec(code, namespace)
    recorder.analysis = namespace["a"]  # type: ignore[attr-defined]
    return recorder


def test_the_spec_bundles_resources_metadata_and_every_module_on_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = _run_spec("linux", monkeypatch)
    (analysis,) = recorder.of("Analysis")
    resources_in = {Path(src).name for src, dest in analysis["datas"] if dest == "monitor_app/resources"}
    assert {"demo_layout.json", "camera-monitor.png", "camera-monitor.desktop"} <= resources_in
    assert ("/site/camera-monitor.dist-info", "camera-monitor.dist-info") in analysis["datas"]
    assert analysis["hiddenimports"] == ["monitor_app.commands.validate"]
    assert "tkinter" in analysis["excludes"] and "PySide6.QtQml" in analysis["excludes"]
    assert analysis["args"][0][0].endswith("entry.py") and Path(analysis["args"][0][0]).is_file()
    (exe,) = recorder.of("EXE")
    assert exe["name"] == "camera-monitor" and exe["console"] is True and exe["exclude_binaries"] is True
    (collect,) = recorder.of("COLLECT")
    assert collect["name"] == "camera-monitor"
    assert not recorder.of("BUNDLE")
    kept = recorder.analysis  # type: ignore[attr-defined]
    assert [d[0] for d in kept.datas if "translations" in d[0]] == ["PySide6/Qt/translations/qtbase_de.qm"]
    assert [b[0] for b in kept.binaries] == ["PySide6/Qt/plugins/platforms/libqxcb.so"]


def test_the_spec_makes_a_windowed_exe_and_a_console_twin_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = _run_spec("win32", monkeypatch)
    exes = {exe["name"]: exe for exe in recorder.of("EXE")}
    assert set(exes) == {"camera-monitor", "camera-monitor-cli"}
    assert exes["camera-monitor"]["console"] is False and exes["camera-monitor-cli"]["console"] is True
    for exe in exes.values():
        assert exe["icon"].endswith(".ico") and Path(exe["icon"]).is_file()
        assert exe["version"] is not None
    (collect,) = recorder.of("COLLECT")  # both executables share one folder
    assert sorted(a.kwargs["name"] for a in collect["args"] if "console" in getattr(a, "kwargs", {})) == sorted(exes)
    version = metadata.version("camera-monitor")
    strings = {s["args"][0]: s["args"][1] for s in recorder.of("StringStruct")}
    assert strings["ProductVersion"] == version and strings["OriginalFilename"] in {
        "camera-monitor.exe",
        "camera-monitor-cli.exe",
    }
    assert not recorder.of("BUNDLE")


def test_the_spec_makes_an_app_bundle_with_an_info_plist_on_macos(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = _run_spec("darwin", monkeypatch)
    (exe,) = recorder.of("EXE")
    assert exe["console"] is False and exe["icon"].endswith(".icns") and Path(exe["icon"]).is_file()
    (bundle,) = recorder.of("BUNDLE")
    version = metadata.version("camera-monitor")
    assert bundle["name"] == "Camera Monitor.app" and bundle["version"] == version
    assert re.fullmatch(r"[A-Za-z0-9.-]+", bundle["bundle_identifier"])
    plist = bundle["info_plist"]
    assert plist["CFBundleShortVersionString"] == version and plist["CFBundleExecutable"] == "camera-monitor"
    assert plist["NSHighResolutionCapable"] is True
    assert plist["NSCameraUsageDescription"] and plist["NSLocalNetworkUsageDescription"]


# --- the recipes ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "script",
    [
        "build_linux.sh",
        "smoke_test.sh",
        "ci_package.sh",
        "check_pip_install.sh",
        "setup.sh",
        "macos/build_dmg.sh",
        "linux/install-user.sh",
    ],
)
def test_the_shell_recipes_parse(script: str) -> None:
    path = PACKAGING / script
    assert os.access(path, os.X_OK), f"{script} is not executable"
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def test_the_windows_installer_installs_the_frozen_folder_with_menu_entries() -> None:
    iss = (PACKAGING / "windows" / "camera-monitor.iss").read_text(encoding="utf-8")
    sections = set(re.findall(r"^\[(\w+)\]", iss, re.M))
    assert {"Setup", "Files", "Icons", "Run", "Tasks"} <= sections
    assert re.search(r"^Source: \"[^\"]*dist\\camera-monitor\\\*\".*recursesubdirs", iss, re.M)
    assert re.search(r"^SetupIconFile=.*camera-monitor\.ico$", iss, re.M)
    assert '#define AppExe "camera-monitor.exe"' in iss and "AppId={{" in iss
    assert re.search(r'^Name: "\{autoprograms\}\\\{#AppName\}"; Filename: "\{app\}\\\{#AppExe\}"', iss, re.M)


def test_every_shipped_file_is_declared_package_data() -> None:
    """What the wheel ships from resources/ must match what is there (pyproject's package-data globs)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    globs = re.search(r'"monitor_app\.resources" = \[(.*?)\]', text)
    assert globs is not None
    suffixes = {g.strip().strip('"').lstrip("*") for g in globs.group(1).split(",")}
    shipped = {p.suffix for p in (ROOT / "resources").iterdir() if p.is_file() and p.name != "__init__.py"}
    assert shipped <= suffixes, shipped - suffixes


def test_the_icon_script_draws_with_numpy_and_opencv_only() -> None:
    """packaging/make_icons.py needs no Pillow: it draws with OpenCV and writes the ICO container itself."""
    sys.path.insert(0, str(PACKAGING))
    try:
        import make_icons  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(PACKAGING))
    master = make_icons.draw_master()
    assert master.shape == (1024, 1024, 4) and master.dtype == np.uint8
    ico = make_icons.ico_bytes({16: make_icons.png_bytes(master, 16), 256: make_icons.png_bytes(master, 256)})
    assert struct.unpack_from("<HHH", ico) == (0, 1, 2)


# --- building the wheel, and the Python the bundle is frozen from ---------------------------------------------

_WARNING_LINE = re.compile(r"warning|deprecat", re.IGNORECASE)


def test_building_the_wheel_prints_no_warning_and_ships_the_licence(tmp_path: Path) -> None:
    """What a user's `pip install .` builds: pip's isolated build environment fetches the build-system
    requirements (setuptools >= 77) from the package index, so the result does not depend on the setuptools
    of this virtual environment (65 here, too old for an SPDX licence string). The sources are copied first,
    so setuptools' build/ and *.egg-info stay out of the checkout that other processes are using."""
    project = _project_info().load_project()
    source = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("monitor_app", "resources"):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    for name in ("pyproject.toml", project["readme"], *project.get("license-files", [])):
        shutil.copy2(ROOT / name, source / name)
    started = time.monotonic()
    result = subprocess.run(
        # An absolute path: a bare "src" would be looked up on the index as a project of that name.
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-w", "wheel", str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert not [line for line in output.splitlines() if _WARNING_LINE.search(line)], output
    assert time.monotonic() - started < 60, "building the wheel took over a minute"
    (wheel,) = (tmp_path / "wheel").glob("camera_monitor-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        dist_info = next(n.split("/")[0] for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.message_from_bytes(archive.read(f"{dist_info}/METADATA"))
        licence = archive.read(f"{dist_info}/licenses/LICENSE").decode("utf-8")
    assert meta["Metadata-Version"] >= "2.4" and meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"] and meta["License"] is None
    assert not [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    assert licence.startswith("MIT License") and "Camera Monitor developers" in licence


def _project_info() -> types.ModuleType:
    sys.path.insert(0, str(PACKAGING))
    try:
        import project_info  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(PACKAGING))
    return project_info  # type: ignore[no-any-return]


def _bare_python() -> str:
    """The system's python3, without the project's dependencies (skips where it has them)."""
    python = "/usr/bin/python3"
    if not os.access(python, os.X_OK):
        pytest.skip("no /usr/bin/python3")
    probe = "import importlib.util as u; print([m for m in ('PySide6', 'platformdirs') if u.find_spec(m)])"
    found = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=30, cwd="/")
    if found.stdout.strip() != "[]":
        pytest.skip(f"{python} is not bare: it has {found.stdout.strip()}")
    return python


def test_a_python_without_the_runtime_dependencies_is_refused_with_every_missing_module_named() -> None:
    result = subprocess.run(
        [_bare_python(), str(PACKAGING / "project_info.py"), "check-runtime"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    message = result.stderr
    for module in ("PySide6", "cv2", "zmq", "simplejpeg", "platformdirs", "redis"):
        assert f"{module} (" in message, message
    assert "camera-monitor is not installed in this Python" in message
    assert "bash packaging/setup.sh" in message and "PYTHON=.venv/bin/python" in message


def test_build_linux_stops_before_pyinstaller_with_a_bare_python(tmp_path: Path) -> None:
    started = time.monotonic()
    result = subprocess.run(
        ["bash", str(PACKAGING / "build_linux.sh")],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHON=_bare_python()),
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "PySide6 (" in output and "platformdirs (" in output, output
    assert "stopped before building anything" in output
    assert "PyInstaller" not in result.stdout and "build requirements" not in output  # no step ran
    assert time.monotonic() - started < 30


def test_the_python_of_this_checkout_passes_the_runtime_check() -> None:
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "project_info.py"), "check-runtime"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "has every runtime dependency" in result.stdout


def test_dependencies_map_to_their_import_names_and_markers_evaluate_without_packaging() -> None:
    from packaging.markers import Marker

    info = _project_info()
    markers = [
        "python_version < '3.12'",
        "python_version >= '3.12'",
        "python_version >= '3.10' and sys_platform == 'linux'",
        "(os_name == 'nt' or platform_system == 'Linux') and python_full_version != '3.9.1'",
        "python_version ~= '3.10'",
        "platform_machine not in 'arm64 aarch64' or extra == 'test'",
        'python_version=="3.11"',
    ]
    for marker in markers:  # the small evaluator for a Python with neither packaging nor pip
        assert info.evaluate_marker(marker) == Marker(marker).evaluate({"extra": ""}), marker
    with pytest.raises(ValueError, match="unknown marker variable"):
        info.evaluate_marker("python_versio < '3'")
    names = {info.canonical(info.parse_requirement(r)[0]) for r in info.load_project()["dependencies"]}
    imported = {info.IMPORT_NAMES.get(name, (name.replace("-", "_"),))[0] for name in names}
    for module in imported:  # every runtime dependency imports under the name check-runtime tries
        __import__(module)


def test_every_package_of_the_source_tree_is_in_the_wheel() -> None:
    """pyproject lists the packages by name: a new one left out installs without it (``pip install .``
    then fails on import, as monitor_app.core.recording once did)."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "monitor_app").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found - listed == set(), f"add to [tool.setuptools] packages in pyproject.toml: {sorted(found - listed)}"
