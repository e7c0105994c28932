"""Reads pyproject.toml for the build scripts.

    project_info.py version | description | packaging-requires    print that field
    project_info.py check-runtime                                  can this Python freeze a working bundle?

Reads the file itself (not the installed metadata), so the scripts can notice stale metadata. Runs on a
bare python3 (the standard library, plus pip's vendored copies where 3.10 lacks tomllib): it is what tells
the user that their python3 is the wrong one.

check-runtime imports every runtime dependency (project.dependencies whose environment markers hold here)
and checks that camera-monitor is installed in this interpreter from this checkout. PyInstaller freezes
whatever this interpreter can import: with a module missing it still builds a bundle, one that dies at
start with ModuleNotFoundError. Exit status 0 when everything is in place; otherwise 1 and one message
naming every missing module and the commands that fix it.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import operator
import os
import platform
import re
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pip vendors the same parser
    try:
        from pip._vendor import tomli as tomllib  # type: ignore[no-redef]
    except ModuleNotFoundError:
        raise SystemExit(f"project_info.py: {sys.executable} has neither tomllib (Python 3.11+) nor pip") from None

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
DIST_NAME = "camera-monitor"
PACKAGE = "monitor_app"

# What each distribution is imported as, where that differs from its name; more than one module when the
# first import alone would not load what the app needs (PySide6 itself loads no Qt library).
IMPORT_NAMES = {
    "pyside6-essentials": ("PySide6", "PySide6.QtWidgets"),
    "pyside6": ("PySide6", "PySide6.QtWidgets"),
    "opencv-python-headless": ("cv2",),
    "opencv-python": ("cv2",),
    "pyzmq": ("zmq",),
}


def load_project() -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    return project


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# --- requirements and environment markers: packaging's, else pip's vendored copy, else a small evaluator ---

try:
    from packaging.requirements import Requirement
except ImportError:
    try:
        from pip._vendor.packaging.requirements import Requirement  # type: ignore[assignment]
    except ImportError:
        Requirement = None  # type: ignore[assignment,misc]

_MARKER_TOKEN = re.compile(
    r"\s*(?:(?P<paren>[()])|(?P<op>===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b)|(?P<bool>and\b|or\b)"
    r"|'(?P<sq>[^']*)'|\"(?P<dq>[^\"]*)\"|(?P<var>[a-z_.]+))"
)
_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
            ">=": operator.ge, "===": operator.eq}  # fmt: skip


def marker_environment() -> dict[str, str]:
    """PEP 508's marker variables for this interpreter."""
    info = sys.implementation
    full = f"{info.version.major}.{info.version.minor}.{info.version.micro}"
    return {
        "os_name": os.name,
        "sys_platform": sys.platform,
        "platform_machine": platform.machine(),
        "platform_python_implementation": platform.python_implementation(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "python_full_version": platform.python_version(),
        "implementation_name": info.name,
        "implementation_version": full,
        "extra": "",
    }


def _version_key(text: str) -> tuple[int, ...] | None:
    match = re.fullmatch(r"(\d+(?:\.\d+)*)", text.strip())
    return tuple(int(p) for p in match.group(1).split(".")) if match else None


def evaluate_marker(marker: str, env: dict[str, str] | None = None) -> bool:
    """A PEP 508 marker (and/or, parentheses, comparisons) without the packaging library."""
    env = marker_environment() if env is None else env
    tokens: list[tuple[str, str]] = []
    pos = 0
    marker = marker.strip()
    while pos < len(marker):
        match = _MARKER_TOKEN.match(marker, pos)
        if not match or match.end() == pos:
            raise ValueError(f"cannot read environment marker {marker!r} at {marker[pos:]!r}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "var":
            if value not in env:
                raise ValueError(f"unknown marker variable {value!r} in {marker!r}")
            kind, value = "value", env[value]
        elif kind in ("sq", "dq"):
            kind = "value"
        elif kind == "op":
            value = " ".join(value.split())
        tokens.append((kind, value))
        pos = match.end()

    def compare(left: str, op: str, right: str) -> bool:
        if op == "in":
            return left in right
        if op == "not in":
            return left not in right
        lkey, rkey = _version_key(left), _version_key(right)
        if op == "~=" and lkey and rkey:
            return lkey >= rkey and lkey[: len(rkey) - 1] == rkey[:-1]
        if lkey is not None and rkey is not None and op != "===":
            width = max(len(lkey), len(rkey))
            lkey, rkey = lkey + (0,) * (width - len(lkey)), rkey + (0,) * (width - len(rkey))
            return bool(_COMPARE[op](lkey, rkey))
        return bool(_COMPARE.get(op, operator.eq)(left, right))

    def parse_or(i: int) -> tuple[bool, int]:
        result, i = parse_and(i)
        while i < len(tokens) and tokens[i] == ("bool", "or"):
            right, i = parse_and(i + 1)
            result = result or right
        return result, i

    def parse_and(i: int) -> tuple[bool, int]:
        result, i = parse_atom(i)
        while i < len(tokens) and tokens[i] == ("bool", "and"):
            right, i = parse_atom(i + 1)
            result = result and right
        return result, i

    def parse_atom(i: int) -> tuple[bool, int]:
        if i < len(tokens) and tokens[i] == ("paren", "("):
            result, i = parse_or(i + 1)
            if i >= len(tokens) or tokens[i] != ("paren", ")"):
                raise ValueError(f"unbalanced parentheses in {marker!r}")
            return result, i + 1
        if i + 2 < len(tokens) and [kind for kind, _ in tokens[i : i + 3]] == ["value", "op", "value"]:
            return compare(tokens[i][1], tokens[i + 1][1], tokens[i + 2][1]), i + 3
        raise ValueError(f"cannot evaluate environment marker {marker!r}")

    result, end = parse_or(0)
    if end != len(tokens):
        raise ValueError(f"cannot evaluate environment marker {marker!r}")
    return result


def parse_requirement(text: str) -> tuple[str, str, bool, Any]:
    """(name, requirement without its marker, whether it applies here, a specifier or None)."""
    if Requirement is not None:
        req = Requirement(text)
        applies = req.marker is None or req.marker.evaluate({"extra": ""})
        return req.name, text.split(";")[0].strip(), applies, req.specifier
    spec, _, marker = text.partition(";")
    name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    if not name:
        raise ValueError(f"cannot read requirement {text!r}")
    return name.group(1), spec.strip(), not marker.strip() or evaluate_marker(marker), None


# --- check-runtime ---------------------------------------------------------------------------------------


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def runtime_problems() -> tuple[list[str], list[str]]:
    """(missing or broken modules, other problems) for this interpreter."""
    missing: list[str] = []
    problems: list[str] = []
    for text in load_project()["dependencies"]:
        name, spec, applies, specifier = parse_requirement(text)
        if not applies:
            continue
        modules = IMPORT_NAMES.get(canonical(name), (canonical(name).replace("-", "_"),))
        for module in modules:
            try:
                importlib.import_module(module)
            except ImportError as error:
                if isinstance(error, ModuleNotFoundError) and error.name == module.split(".")[0]:
                    missing.append(f"{module} ({spec})")
                else:  # installed, but it cannot load (a system library missing, a broken wheel)
                    missing.append(f"{module} ({spec}: {_first_line(error)})")
                break
            except Exception as error:  # a module that fails while importing is as fatal for the bundle
                missing.append(f"{module} ({spec}: {type(error).__name__}: {_first_line(error)})")
                break
        else:
            try:
                installed = metadata.version(name)
            except metadata.PackageNotFoundError:
                continue  # importable without metadata (a vendored or system copy): what the bundle needs
            if specifier is not None and not specifier.contains(installed, prereleases=True):
                problems.append(f"{name} {installed} is installed, the project needs {spec}")
    problems.extend(installed_project_problems())
    if importlib.util.find_spec("pip") is None:
        problems.append("pip is not installed in this Python (the build installs PyInstaller with it)")
    return missing, problems


def installed_project_problems() -> list[str]:
    """camera-monitor must be installed in this interpreter, its code imported from this checkout."""
    try:
        dist = metadata.distribution(DIST_NAME)
    except metadata.PackageNotFoundError:
        return [f"{DIST_NAME} is not installed in this Python (packaging/setup.sh installs it, editable)"]
    try:
        package = importlib.import_module(PACKAGE)
    except Exception as error:
        return [f"{DIST_NAME} {dist.version} is installed but {PACKAGE} does not import: {_first_line(error)}"]
    location = Path(package.__file__ or "").resolve().parent
    if location == ROOT / PACKAGE:
        return []
    origin = ""
    direct_url = dist.read_text("direct_url.json")
    if direct_url:
        with contextlib.suppress(ValueError):
            origin = " from " + json.loads(direct_url).get("url", "?")
    return [
        f"{PACKAGE} is imported from {location} ({DIST_NAME} {dist.version} installed{origin}), not from this "
        f"checkout ({ROOT / PACKAGE}): the bundle would freeze that copy (pip install -e . installs this one)"
    ]


def check_runtime() -> int:
    missing, problems = runtime_problems()
    if not missing and not problems:
        print(f"project_info.py: {sys.executable} has every runtime dependency and {DIST_NAME} from {ROOT}")
        return 0
    lines = [
        f"{sys.executable} (Python {platform.python_version()}) cannot build Camera Monitor: "
        "a bundle frozen from it would die at start."
    ]
    if missing:
        lines.append(f"  missing modules: {', '.join(missing)}")
    lines.extend(f"  {problem}" for problem in problems)
    setup = "bash packaging/setup.sh   (makes .venv: every dependency, and the project installed editable)"
    build = "PYTHON=.venv/bin/python bash packaging/build_linux.sh   (packaging/ci_package.sh uses .venv by itself)"
    if Path(sys.prefix).resolve() == (ROOT / ".venv").resolve():  # .venv itself lacks something
        lines.append("Fix: bash packaging/setup.sh   (installs what .venv lacks), then build again")
    elif not missing:  # every dependency is there: only the project itself is missing or installed elsewhere
        lines.append(f"Fix: {sys.executable} -m pip install --no-deps -e .\n  or: {setup}\n      {build}")
    else:
        lines.append(f"Fix: {setup}\n     {build}")
    print("\n".join(lines), file=sys.stderr)
    return 1


def main(field: str) -> str:
    project = load_project()
    if field == "packaging-requires":
        return "\n".join(project["optional-dependencies"]["packaging"])
    if field in ("version", "description"):
        return str(project[field])
    raise SystemExit(f"project_info.py: unknown field {field!r}")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "version"
    if command == "check-runtime":
        sys.exit(check_runtime())
    print(main(command))
