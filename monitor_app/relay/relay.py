"""A relay: input connections in their receiver threads, the publisher in its own, one stats document.

Each input is a source kind of the registry (``hub``, ``sub``, ``redis``, ``http_ingest``), built
by ``create_source`` from the same options a layout's connection has and run by the window's
``run_connection``: the same parsers refuse the same hostile messages, the same back-off
reconnects. Nothing is decoded; frames go out as they came in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from monitor_app.core.pipeline.connection_loop import run_connection
from monitor_app.core.process_info import cpu_seconds, resident_memory_mb
from monitor_app.core.sources.base import FrameSource
from monitor_app.core.sources.curve import CurveServer
from monitor_app.core.sources.registry import create_source
from monitor_app.relay.publisher import Publisher
from monitor_app.relay.sink import RelayHub, RelaySink

RELAY_INPUT_KINDS = ("hub", "sub", "redis", "http_ingest")
"""Kinds whose frames arrive encoded (or as small arrays) and can be forwarded as they are; a URL
camera's decoded 1080p frames would have to be re-encoded, which is what a relay must not do."""


@dataclass(frozen=True)
class RelayInput:
    """One input connection, as a layout would declare it."""

    kind: str
    connection_id: str
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class _Running:
    spec: RelayInput
    source: FrameSource
    sink: RelaySink
    thread: threading.Thread


class Relay:
    """Start with ``start``; ``stop`` joins every thread (True when all ended in time)."""

    def __init__(self, inputs: Sequence[RelayInput], publish: Sequence[str], curve: CurveServer | None = None) -> None:
        for spec in inputs:
            if spec.kind not in RELAY_INPUT_KINDS:
                raise ValueError(
                    f"a relay cannot take {spec.kind!r} connections (it takes {', '.join(RELAY_INPUT_KINDS)})"
                )
        self.hub = RelayHub()
        self._stop = threading.Event()
        self._inputs: list[_Running] = []
        for spec in inputs:  # built before anything starts: a bad option fails here, with nothing to undo
            source = create_source(spec.kind, spec.connection_id, spec.options)
            sink = self.hub.sink(spec.connection_id)
            thread = threading.Thread(
                target=run_connection,
                args=(source, sink, self._stop),
                name=f"relay-in-{spec.connection_id}",
                daemon=True,
            )
            self._inputs.append(_Running(spec, source, sink, thread))
        self.publisher = Publisher(self.hub, publish, curve)
        self._started = time.monotonic()
        self._cpu_at_start = cpu_seconds()

    def start(self) -> None:
        self.publisher.start()
        for running in self._inputs:
            running.thread.start()

    def stop(self, timeout_s: float = 2.0) -> bool:
        self._stop.set()
        deadline = time.monotonic() + timeout_s
        stopped = True
        for running in self._inputs:
            running.thread.join(max(0.0, deadline - time.monotonic()))
            stopped &= not running.thread.is_alive()
        return self.publisher.stop(max(0.1, deadline - time.monotonic())) and stopped

    def stats(self) -> dict[str, Any]:
        """The ``--stats-json`` document: the publish side, each camera, each input connection, the process."""
        elapsed = max(1e-6, time.monotonic() - self._started)
        with_counts = self.hub.snapshot()
        forwarded = sum(c.forwarded for _, c in with_counts)
        cpu = cpu_seconds() - self._cpu_at_start
        return {
            "relay": {**self.publisher.stats(), "uptime_s": round(elapsed, 2), "refused_names": self.hub.refused_names},
            "cameras": [
                {
                    "name": name,
                    "connection": counts.connection,
                    "frames_received": counts.received,
                    "frames_forwarded": counts.forwarded,
                    "frames_superseded": counts.superseded,
                    "bytes_forwarded": counts.bytes_forwarded,
                    "fps": round(counts.forwarded / elapsed, 2),
                    "last_frame_age_s": round(max(0.0, time.time() - counts.last_received), 3),
                }
                for name, counts in with_counts
            ],
            "connections": [self._connection_entry(running) for running in self._inputs],
            "process": {
                "cpu_s": round(cpu, 3),
                "cpu_ms_per_forwarded_frame": round(1000 * cpu / forwarded, 3) if forwarded else None,
                "rss_mb": resident_memory_mb(),
                "threads": threading.active_count(),
            },
        }

    @staticmethod
    def _connection_entry(running: _Running) -> dict[str, Any]:
        status = running.sink.status.snapshot()
        return {
            "id": running.spec.connection_id,
            "kind": running.spec.kind,
            "description": running.source.description,
            "state": status.state.value,
            "error": status.error,
            "messages": running.sink.status.messages,
            "bad_messages": status.bad_messages,
            "last_bad_reason": status.last_bad_reason,
            "endpoints": running.source.endpoint_stats(),
        }
