"""Views in the running app: ``--tour`` cycles a version 2 layout's views, and a hidden view is not decoded."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path
from typing import Any

from tests.app_process import App, Processes, log_tail

LAYOUT: dict[str, Any] = {
    "schema_version": 2,
    "title": "Two views",
    "connections": [
        {"id": f"p{n}", "kind": "pattern", "width": 320, "height": 180, "fps": 15} for n in range(4)
    ],
    "cameras": [{"id": f"cam{n}", "title": f"Camera {n}", "connection": f"p{n}"} for n in range(4)],
    "views": [
        {"title": "Front", "grid": {"rows": 1, "columns": 2}, "tiles": [
            {"camera": "cam0", "cell": [0, 0]}, {"camera": "cam1", "cell": [0, 1]},
        ]},
        {"title": "Back", "grid": {"rows": 1, "columns": 2}, "tiles": [
            {"camera": "cam2", "cell": [0, 0]}, {"camera": "cam3", "cell": [0, 1]},
        ]},
    ],
}  # fmt: skip


def test_tour_shows_both_views_in_turn_and_the_hidden_one_is_not_decoded(procs: Processes, tmp_path: Path) -> None:
    path = tmp_path / "views.json"
    path.write_text(json.dumps(LAYOUT))
    app = App(procs, tmp_path / "stats.json", str(path), "--tour", "2", exit_after=9)
    samples: list[dict[str, Any]] = []
    while app.proc.poll() is None:
        stats = app.stats()
        if stats is not None and stats.get("windows"):
            samples.append(stats)
        time.sleep(0.2)
    assert app.proc.returncode == 0, log_tail(app.proc)
    views = [s["windows"][0]["view"] for s in samples]
    switches = sum(1 for a, b in itertools.pairwise(views) if a != b)
    assert switches >= 3, views
    assert {s["windows"][0]["tour"] for s in samples} == {2}
    # While a view is hidden its cameras are in hidden_cameras and their decode count stands still
    # (after the sample that saw the switch: a frame already being decoded may finish).
    runs: dict[tuple[int, str], list[int]] = {}
    run = 0
    for before, stats in itertools.pairwise(samples):
        if before["windows"][0]["view"] != stats["windows"][0]["view"]:
            run += 1
            continue
        for camera in stats["hidden_cameras"]:
            runs.setdefault((run, camera["camera"] or camera["title"]), []).append(camera["frames_decoded"])
        shown = {t["title"] for t in stats["tiles"]}
        hidden = {t["title"] for t in stats["hidden_cameras"]}
        assert len(shown) == len(hidden) == 2 and not shown & hidden
    assert runs, "no hidden camera was ever reported"
    for (_, camera), counts in runs.items():
        assert counts[-1] - counts[0] <= 1, f"{camera} was decoded while hidden: {counts}"
    decoded = {t["title"]: t["frames_decoded"] for t in samples[-1]["tiles"] + samples[-1]["hidden_cameras"]}
    assert all(count > 0 for count in decoded.values()), decoded  # each view was decoded while shown
