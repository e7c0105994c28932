"""The bench's outputs: the terminal table, the JSON document and a markdown table for the README."""

from __future__ import annotations

import math
from typing import Any

ROWS = [
    ("displayed_fps_total", "displayed fps, all tiles", "{:.1f}"),
    ("displayed_fps_per_tile", "displayed fps per tile (median)", "{:.2f}"),
    ("displayed_fps_tile_min", "displayed fps, slowest tile", "{:.2f}"),
    ("latency_ms_p50", "latency p50 (ms, sent -> painted)", "{:.1f}"),
    ("latency_ms_p99", "latency p99 (ms, median tile)", "{:.1f}"),
    ("latency_ms_p99_worst_tile", "latency p99 (ms, worst tile)", "{:.1f}"),
    ("cpu_ms_per_displayed_frame", "CPU ms per displayed frame", "{:.2f}"),
    ("cpu_cores", "CPU used (cores)", "{:.2f}"),
    ("senders_cpu_cores", "CPU used by the senders (cores)", "{:.2f}"),
    ("other_processes_cpu_cores", "CPU used by other processes (cores)", "{:.2f}"),
    ("steal_cores", "CPU taken by the hypervisor (cores)", "{:.2f}"),
    ("gui_busy_fraction", "GUI thread busy", "{:.3f}"),
    ("dropped_fraction", "frames not displayed", "{:.3f}"),
    ("rss_mb_end", "memory (RSS MB, end)", "{:.0f}"),
]


def build_document(
    config: dict[str, Any],
    ours: dict[str, Any],
    naive: dict[str, Any],
    costs: dict[str, Any],
    machine: dict[str, Any],
    timelines: dict[str, list[dict[str, float]]],
) -> dict[str, Any]:
    naive_fps = naive.get("displayed_fps_total") or 0.0
    ratio = ours["displayed_fps_total"] / naive_fps if naive_fps > 0 else math.inf
    doc: dict[str, Any] = {
        "config": config,
        "ours": ours,
        "naive": naive,
        "ratio_displayed_fps": round(ratio, 3) if math.isfinite(ratio) else None,
        "bare_scaled_decode_ms": costs["scaled_decode_ms"],
        "bare_full_decode_ms": costs["full_decode_ms"],
        "decode_box": costs["decode_box"],
        "jpeg_kb_mean": costs["jpeg_kb_mean"],
        "machine": machine,
        "timeline": timelines,
    }
    doc["targets"] = targets(doc)
    return doc


def targets(doc: dict[str, Any]) -> dict[str, Any]:
    """The issue's targets that apply to this configuration, each with the figure and a verdict."""
    cfg, ours = doc["config"], doc["ours"]
    checks: dict[str, Any] = {}

    def check(name: str, value: float | None, limit: float, at_least: bool) -> None:
        ok = value is not None and (value >= limit if at_least else value <= limit)
        checks[name] = {"value": value, "limit": limit, "met": ok}

    cpu = ours.get("cpu_ms_per_displayed_frame")
    check(
        "cpu_ms_per_displayed_frame <= 1.5 x bare scaled decode",
        cpu,
        round(1.5 * doc["bare_scaled_decode_ms"], 3),
        False,
    )
    standard = cfg["size"] == [1280, 720] and cfg["fps"] == 30 and cfg["quality"] == 80
    tiles = cfg["tiles"]
    if standard and tiles == 16:
        check("fps per tile >= 29", ours["displayed_fps_per_tile"], 29, True)
        check("p99 latency <= 50 ms", ours["latency_ms_p99"], 50, False)
        check("GUI busy <= 0.05", ours["gui_busy_fraction"], 0.05, False)
    if standard and tiles == 24:
        check("fps per tile >= 28", ours["displayed_fps_per_tile"], 28, True)
        check("p99 latency <= 60 ms", ours["latency_ms_p99"], 60, False)
        check("ratio_displayed_fps >= 2.5", doc["ratio_displayed_fps"], 2.5, True)
    if standard and tiles == 32:
        check("fps per tile >= 29 (aim)", ours["displayed_fps_per_tile"], 29, True)
    return checks


def _cell(value: Any, fmt: str) -> str:
    return "-" if value is None else fmt.format(value)


def text_table(doc: dict[str, Any]) -> str:
    cfg, m = doc["config"], doc["machine"]
    lines = [
        f"camera-monitor bench: {cfg['tiles']} tiles of {cfg['size'][0]}x{cfg['size'][1]} JPEG q{cfg['quality']} "
        f"at {cfg['fps']:g} fps, {cfg['seconds']:g} s measured",
        f"machine: {m['cores']} cores ({m['cpu']}), load {m['loadavg_at_start']}, Python {m['python']}, "
        f"Qt {m['qt']}, OpenCV {m['opencv']}",
        "",
        f"{'':36}{'ours':>10}{'naive':>10}",
    ]
    for key, label, fmt in ROWS:
        lines.append(f"{label:36}{_cell(doc['ours'].get(key), fmt):>10}{_cell(doc['naive'].get(key), fmt):>10}")
    lines += [
        "",
        f"ratio of displayed fps (ours / naive): {_cell(doc['ratio_displayed_fps'], '{:.2f}')}",
        f"bare decode of one frame on one thread: scaled to {doc['decode_box'][0]}x{doc['decode_box'][1]} "
        f"{doc['bare_scaled_decode_ms']:.2f} ms, full size {doc['bare_full_decode_ms']:.2f} ms "
        f"(JPEG {doc['jpeg_kb_mean']:.0f} KB)",
    ]
    for name, check in doc["targets"].items():
        lines.append(f"target {name}: {check['value']} -> {'met' if check['met'] else 'MISSED'}")
    return "\n".join(lines)


def markdown_table(doc: dict[str, Any]) -> str:
    cfg, m = doc["config"], doc["machine"]
    lines = [
        f"**{cfg['tiles']} cameras**, {cfg['size'][0]}x{cfg['size'][1]} JPEG q{cfg['quality']} at {cfg['fps']:g} fps, "
        f"{cfg['seconds']:g} s measured (`camera-monitor bench --tiles {cfg['tiles']} --seconds {cfg['seconds']:g}`)",
        "",
        "| | ours | naive |",
        "|---|---:|---:|",
    ]
    for key, label, fmt in ROWS:
        lines.append(f"| {label} | {_cell(doc['ours'].get(key), fmt)} | {_cell(doc['naive'].get(key), fmt)} |")
    lines += [
        f"| **ratio of displayed fps** | **{_cell(doc['ratio_displayed_fps'], '{:.2f}')}** | |",
        "",
        f"Bare decode of one frame (one thread): scaled to the {doc['decode_box'][0]}x{doc['decode_box'][1]} tile "
        f"{doc['bare_scaled_decode_ms']:.2f} ms, full size {doc['bare_full_decode_ms']:.2f} ms; JPEG "
        f"{doc['jpeg_kb_mean']:.0f} KB. Machine: {m['cores']} cores ({m['cpu']}), Python {m['python']}, "
        f"PySide6 {m['pyside6']}, OpenCV {m['opencv']}, simplejpeg {m['simplejpeg']}, pyzmq {m['pyzmq']}; "
        f"load average at start {m['loadavg_at_start']}.",
    ]
    return "\n".join(lines)
