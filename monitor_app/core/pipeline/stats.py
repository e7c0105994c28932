"""The ``--stats-json`` document: per-tile health, per-connection counters, app load."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from monitor_app.core.atomic_file import write_text_atomic
from monitor_app.core.pipeline.health import HealthSnapshot
from monitor_app.core.process_info import cpu_seconds, resident_memory_mb
from monitor_app.core.third_party_lines import line_counts


@dataclass(frozen=True)
class TileReport:
    """What ``--stats-json`` says about one tile: its title, source, connection and camera, and its health."""

    title: str
    source: str  # already masked
    connection: str
    camera: str
    health: HealthSnapshot
    decoder: str | None = None
    """How its video is decoded (``software``, ``vaapi`` ...) when the source says; None for JPEG and raw sources."""
    recording: dict[str, Any] = field(default_factory=dict)
    """``frames_not_recorded`` and ``recording`` from ``core.recording`` (its ``stats_entry``), if it has a recorder."""


def tile_entry(report: TileReport) -> dict[str, Any]:
    h = report.health
    return {
        "title": report.title,
        "source": report.source,
        "connection": report.connection,
        "camera": report.camera,
        "decoder": report.decoder,
        "state": h.state.value,
        "error": h.error or None,
        "frames_received": h.frames_received,
        "frames_decoded": h.frames_decoded,
        "frames_displayed": h.frames_displayed,
        "frames_dropped": h.frames_dropped,
        "fps": round(h.fps, 2),
        "last_frame_age_s": None if h.last_frame_age_s is None else round(h.last_frame_age_s, 3),
        "reconnects": h.reconnects,
        "retry_in_s": None if h.retry_in_s is None else round(h.retry_in_s, 3),  # while reconnecting
        "bad_messages": h.bad_messages,
        "latency_ms_p50": h.latency_ms_p50,
        "latency_ms_p99": h.latency_ms_p99,
        "event": h.event,  # the latest event's text (imagenode "motion: moving"), else null
        "frames_not_recorded": 0,
        "recording": None,  # while recording: {"file", "seconds", "bytes", ...}
        "recording_error": None,  # why the last recording stopped by itself (a full disk)
        **report.recording,
    }


def stats_document(
    tiles: list[TileReport],
    connections: list[dict[str, Any]],
    uptime_s: float,
    gui_busy_fraction: float,
    windows: list[dict[str, Any]] | None = None,
    hidden: list[TileReport] | None = None,
) -> dict[str, Any]:
    """``tiles``: the cameras some window shows; ``hidden``: the layout's others (drained, not decoded);
    ``windows``: what each window shows (its view, screen, full screen, tour interval or null)."""
    return {
        "tiles": [tile_entry(t) for t in tiles],
        "hidden_cameras": [tile_entry(t) for t in hidden or []],
        "windows": windows or [],
        "connections": connections,
        "app": {
            "uptime_s": round(uptime_s, 3),
            "gui_busy_fraction": gui_busy_fraction,
            "rss_mb": resident_memory_mb(),
            "cpu_s": round(cpu_seconds(), 3),
            "third_party_lines": line_counts(),  # lines routed into our log: {"qt": 1, "stderr": 3}
        },
    }


def write_json_atomic(path: str | os.PathLike[str], document: dict[str, Any]) -> None:
    """Write ``document`` as indented JSON; readers polling the file never see it half-written."""
    write_text_atomic(path, json.dumps(document, indent=2))
