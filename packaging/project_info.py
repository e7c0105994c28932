"""Prints a field of pyproject.toml for the build scripts: version, description or packaging-requires.

Reads the file itself (not the installed metadata), so the scripts can notice stale metadata.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pip vendors the same parser
    from pip._vendor import tomli as tomllib  # type: ignore[no-redef]

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def main(field: str) -> str:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    if field == "packaging-requires":
        return "\n".join(project["optional-dependencies"]["packaging"])
    if field in ("version", "description"):
        return str(project[field])
    raise SystemExit(f"project_info.py: unknown field {field!r}")


if __name__ == "__main__":
    print(main(sys.argv[1] if len(sys.argv) > 1 else "version"))
