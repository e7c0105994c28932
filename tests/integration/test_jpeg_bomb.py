"""JPEG bombs against the real app: 30 KB JPEGs claiming 8192x8192 must not freeze the wall or its memory.

Three real ``imagezmq`` senders show 15 fps tiles; a fourth sends bombs under two names of its own
(each name may hold one decode thread: two of them held both, and every tile froze). The good tiles'
frame rate and the app's resident memory are read from ``--stats-json`` before and during the bombs.
Decoding every bomb in full, as a fallback for its truncated data, showed the good tiles at 0.26-0.34x their
rate and took the app from 112 to 837 MB here.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from monitor_app.core.net import free_port
from tests.app_process import App, Processes, Stats, connection, live_with_frames, log_tail, tiles

GOOD = ["good-1", "good-2", "good-3"]
BOMBS = ["bomb-a", "bomb-b"]
HUB_CONNECTION = "hub1"  # the connection --hub makes


class Watch:
    """Samples the stats file; keeps the largest resident memory seen."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.max_rss_mb = 0.0

    def next_stats(self, after: Stats | None = None) -> Stats:
        """The first stats written after ``after`` (or now)."""
        since = after["app"]["uptime_s"] if after else -1.0
        stats = self.app.wait_for("a fresh stats file", lambda s: s["app"]["uptime_s"] > since, timeout_s=20)
        self.max_rss_mb = max(self.max_rss_mb, stats["app"]["rss_mb"])
        return stats

    def over(self, seconds: float) -> tuple[Stats, Stats]:
        first = last = self.next_stats()
        while last["app"]["uptime_s"] - first["app"]["uptime_s"] < seconds:
            last = self.next_stats(last)
        return first, last


def frame_rates(first: Stats, last: Stats) -> dict[str, float]:
    elapsed = last["app"]["uptime_s"] - first["app"]["uptime_s"]
    a, b = tiles(first), tiles(last)
    return {n: (b[n]["frames_displayed"] - a[n]["frames_displayed"]) / elapsed for n in GOOD}


def test_jpeg_bombs_are_refused_and_counted_while_the_other_tiles_keep_their_rate(
    procs: Processes, tmp_path: Path
) -> None:
    hub = f"tcp://127.0.0.1:{free_port()}"
    app = App(procs, tmp_path / "stats.json", "--hub", hub, exit_after=150)
    for name in GOOD:
        procs.peer("imagezmq_sender.py", "--connect", hub, "--name", name, "--fps", "15", "--size", "640x360")
    go = tmp_path / "go"
    bomber = procs.peer(
        "jpeg_bomb_sender.py", "--connect", hub, "--name", BOMBS[0], "--name", BOMBS[1], "--rate", "8",
        "--seconds", "8", "--go-file", str(go), ready=True,
    )  # fmt: skip
    app.wait_for("every tile live", lambda s: live_with_frames(s, GOOD + BOMBS), timeout_s=60)
    watch = Watch(app)
    watch.over(2)  # settle
    before = frame_rates(*watch.over(6))
    rss_before = watch.max_rss_mb
    assert all(rate > 5 for rate in before.values()), before

    go.touch()
    bombing_from = last = watch.next_stats()
    deadline = time.monotonic() + 60
    while bomber.poll() is None and time.monotonic() < deadline:  # sampling memory all along
        last = watch.next_stats(last)
    during = frame_rates(bombing_from, watch.next_stats(last))
    out, _ = bomber.communicate(timeout=30)
    assert bomber.returncode == 0, log_tail(bomber)
    sent = json.loads(out.strip().splitlines()[-1])["bombs_sent"]
    counted = app.wait_for(
        "every bomb counted on its tile and the connection",
        lambda s: (
            sum(tiles(s)[n]["bad_messages"] for n in BOMBS) >= sent
            and connection(s, HUB_CONNECTION)["bad_messages"] >= sent
        ),
        timeout_s=30,
    )
    final = app.finish()

    ratios = {n: round(during[n] / before[n], 3) for n in GOOD}
    print(
        json.dumps({"fps_before": before, "fps_during": during, "ratio": ratios, "bombs_sent": sent})
        + f"\nrss before {rss_before} MB, max during {watch.max_rss_mb} MB"
    )
    assert sent >= 50
    assert all(tiles(counted)[n]["bad_messages"] >= sent // 2 - 1 for n in BOMBS)
    assert all(r >= 0.7 for r in ratios.values()), ratios  # about 1.0 measured; generous for a shared machine
    assert watch.max_rss_mb < 1.5 * rss_before, (watch.max_rss_mb, rss_before)
    assert all(tiles(counted)[n]["state"] == "live" for n in BOMBS)  # refused frames, not dead cameras
    assert all(tiles(final)[n]["state"] == "live" and tiles(final)[n]["bad_messages"] == 0 for n in GOOD)
