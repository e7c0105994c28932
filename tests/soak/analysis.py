"""From the storm's samples to one summary: recovery per restart, the freeze, bad messages, resources."""

from __future__ import annotations

import re
import statistics
from typing import Any

from tests.soak.storm import NOMINAL_FPS, Sample, Storm


def tile(sample: Sample, peer: str) -> dict[str, Any] | None:
    """The tile a peer feeds: hub and SUB cameras by name, URL cameras by scheme."""
    for entry in sample.stats.get("tiles", []):
        title = entry["title"]
        if (
            title == peer
            or (peer == "rtsp" and title.startswith("rtsp://"))
            or (peer == "mjpeg" and title.startswith("http://"))
        ):
            return entry
    return None


def recovery_s(samples: list[Sample], peer: str, ready: float, fps: float = NOMINAL_FPS) -> float | None:
    """Seconds from the peer being back to its tile live with a new frame; None if it never was.

    The first new frame's time is estimated from the first sample that shows one: the newest frame
    arrived ``last_frame_age_s`` before the stats were written, and ``new - 1`` frames before it.
    """
    before = [s for s in samples if s.written_at <= ready]
    base = tile(before[-1], peer) if before else None
    received = base["frames_received"] if base else 0
    for sample in samples:
        entry = tile(sample, peer)
        if sample.written_at <= ready or entry is None or entry["frames_received"] <= received:
            continue
        if entry["state"] != "live":
            continue
        newest = sample.written_at - (entry["last_frame_age_s"] or 0.0)
        first = newest - (entry["frames_received"] - received - 1) / fps
        return round(max(0.0, first - ready), 2)
    return None


def freeze_figures(storm: Storm) -> dict[str, Any]:
    rtsp = storm.peers["rtsp"]
    if not rtsp.frozen_at:
        return {}
    frozen = rtsp.frozen_at[0]
    after = [s for s in storm.samples if s.written_at > frozen]
    last_real = None
    for sample in after:
        entry = tile(sample, "rtsp")
        if entry is not None and entry["last_frame_age_s"] is not None:
            last_real = sample.written_at - entry["last_frame_age_s"]
            break
    stalled = next(
        (s.written_at for s in after if (e := tile(s, "rtsp")) and e["state"] in ("stalled", "reconnecting")), None
    )
    return {
        "stalled_after_last_frame_s": None if stalled is None or last_real is None else round(stalled - last_real, 2),
        "stalled_after_freeze_s": None if stalled is None else round(stalled - frozen, 2),
    }


def burst_fps_ratio(storm: Storm) -> float | None:
    """The worst fps of a good camera (not restarting) during the 4 s after a burst, over nominal."""
    worst = None
    for at, _ in storm.bursts:
        for name, peer in storm.peers.items():
            if not name.startswith(("req-", "pub-")):
                continue
            if any(abs(t - at) < 12 for t in peer.down_at):
                continue
            window = [s for s in storm.samples if at + 1 <= s.written_at <= at + 4]
            rates = [e["fps"] for s in window if (e := tile(s, name)) is not None]
            if rates:
                ratio = min(rates) / NOMINAL_FPS
                worst = ratio if worst is None else min(worst, ratio)
    return None if worst is None else round(worst, 3)


def summarise(storm: Storm) -> dict[str, Any]:
    samples = storm.samples
    recovery: dict[str, dict[str, Any]] = {}
    for name, peer in storm.peers.items():
        times = [recovery_s(samples, name, ready) for ready in peer.ready_at[1:]]
        figures = recovery.setdefault(peer.kind, {"per_restart_s": [], "never_recovered": 0})
        figures["per_restart_s"] += [t for t in times if t is not None]
        figures["never_recovered"] += sum(t is None for t in times)
    for figures in recovery.values():
        times = figures["per_restart_s"]
        figures["median_s"] = round(statistics.median(times), 2) if times else None
        figures["max_s"] = max(times) if times else None
    hub = [[c for c in s.stats.get("connections", []) if c["kind"] == "hub"] for s in (samples[0], samples[-1])]
    stopped = re.findall(r"all threads stopped in ([0-9.]+) s", storm.app_log)
    rss = [s.stats["app"]["rss_mb"] for s in samples]
    crashed = storm.exit_code != 0 or "Traceback" in storm.app_log or "Fatal Python error" in storm.app_log
    return {
        "seconds": round(samples[-1].at - storm.started_at, 1),
        "crashes": int(crashed),
        "exit_code": storm.exit_code,
        "recovery": recovery,
        "frozen_rtsp": freeze_figures(storm),
        "bad_messages": {
            "sent": sum(n for _, n in storm.bursts),
            "counted": hub[1][0]["bad_messages"] - hub[0][0]["bad_messages"] if hub[0] and hub[1] else None,
        },
        "good_tiles_worst_fps_during_bursts_vs_nominal": burst_fps_ratio(storm),
        "rss_mb": {"after_warm_up": rss[0], "max": max(rss), "end": rss[-1]},
        "threads": {"start": samples[0].threads, "max": max(s.threads for s in samples), "end": samples[-1].threads},
        "fds": {"start": samples[0].fds, "max": max(s.fds for s in samples), "end": samples[-1].fds},
        "gui_busy_fraction_end": samples[-1].stats["app"]["gui_busy_fraction"],
        "shutdown_s": float(stopped[-1]) if stopped else None,
        "exit_after_sigterm_s": None if storm.exit_s is None else round(storm.exit_s, 2),
    }
