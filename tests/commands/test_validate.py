"""``camera-monitor validate``: a layout checked without a window, every problem named, the file untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor_app.core.resources import resource_path
from tests.helpers import camera_monitor


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("this is not json {", "not valid JSON"),
        (
            '{"schema_version": 1, "grid": {"rows": "two", "columns": 2}, "connections": [], "cameras": []}',
            "$.grid.rows",
        ),
        ('{"schema_version": 999, "grid": {"rows": 1, "columns": 1}}', "newer Camera Monitor"),
        ("[1, 2, 3]", "JSON object"),
    ],
)
def test_validate_names_the_problem_exits_2_and_never_touches_the_file(
    tmp_path: Path, content: str, words: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    stamp = path.stat().st_mtime_ns
    result = camera_monitor("validate", str(path))
    assert result.returncode == 2
    assert words in result.stderr and "Traceback" not in result.stderr
    assert path.read_text() == content and path.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_validate_accepts_the_example_and_explains_a_missing_file(tmp_path: Path) -> None:
    ok = camera_monitor("validate", str(resource_path("example_layout.json")))
    assert ok.returncode == 0 and ok.stdout.strip() == "OK"
    missing = camera_monitor("validate", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
