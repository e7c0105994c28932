"""The registry of source kinds: one line per kind, and the one place that builds a source.

Adding a kind means one module that declares a ``SourceKind`` and one line in ``KINDS``;
validation, the editor, ad-hoc layouts and the pipeline all read it from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from monitor_app.core.sources import http_ingest, pattern, redis_source, url_kind, zmq_hub, zmq_sub
from monitor_app.core.sources.base import FrameSource
from monitor_app.core.sources.kind import SourceKind, SourceRequest

KINDS: dict[str, SourceKind] = {
    kind.name: kind
    for kind in (
        pattern.KIND,
        zmq_hub.KIND,
        zmq_sub.KIND,
        url_kind.KIND,
        http_ingest.KIND,
        redis_source.KIND,
    )
}
"""Every kind, in the order the editor lists them."""


class UnsupportedKindError(ValueError):
    """A layout names a kind this build does not have."""


def source_kind(name: str) -> SourceKind:
    kind = KINDS.get(name)
    if kind is None:
        raise UnsupportedKindError(f"connection kind {name!r} is not available in this build")
    return kind


def create_source(kind: str, connection_id: str, options: Mapping[str, Any], title: str = "") -> FrameSource:
    """The source of one connection; ``title`` is its first camera's (single-camera kinds show it)."""
    declared = source_kind(kind)
    return declared.factory(SourceRequest(connection_id, declared.with_defaults(options), title or connection_id))
