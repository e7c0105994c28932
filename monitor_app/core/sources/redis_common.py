"""What the Redis source needs besides the source: its URL, camera names, error translation.

The address of a Redis connection is ``redis://[user:pass@]host:port/db?channel=NAME``.

The query names what to read: ``channel`` (repeatable; a name with ``*``, ``?`` or ``[`` is a glob
pattern, like ``pattern``), or ``stream`` (repeatable, Redis Streams) with an optional ``field``
holding the JPEG. Channels and streams do not mix in one URL: give each its own connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import redis

from monitor_app.core.redact import mask_text, mask_url
from monitor_app.core.sources.base import PermanentSourceError, SourceError
from monitor_app.core.sources.imagezmq_wire import MAX_NAME_CHARS

DEFAULT_PORT = 6379
SCHEMES = ("redis", "rediss")
QUERY_KEYS = ("channel", "pattern", "stream", "field")
_GLOB = frozenset("*?[")


class RedisUrlError(ValueError):
    """A Redis URL that cannot work; the message never holds its password."""


@dataclass(frozen=True)
class RedisTarget:
    """What a Redis URL says: where to connect and what to read."""

    host: str
    port: int
    db: int
    username: str | None
    password: str | None
    tls: bool
    channels: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    streams: tuple[str, ...] = ()
    field: str | None = None


def parse_redis_url(url: str) -> RedisTarget:
    """Parse and check a Redis URL; ``RedisUrlError`` names what is wrong (password masked)."""
    where = mask_url(url).split("?", 1)[0]  # the query is not echoed: it might hold a misplaced password
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise RedisUrlError(f"{where}: not a valid URL (bad port?)") from None
    if parts.scheme not in SCHEMES:
        raise RedisUrlError(f"{where}: must start with redis:// or rediss://")
    if not parts.hostname:
        raise RedisUrlError(f"{where}: has no host")
    db_text = parts.path.strip("/") or "0"
    if not db_text.isdigit():
        raise RedisUrlError(f"{where}: the database after the host must be a number, not {db_text!r}")
    query: dict[str, list[str]] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key not in QUERY_KEYS:
            raise RedisUrlError(f"{where}: unknown option {key!r} (use {', '.join(QUERY_KEYS)})")
        if not value:
            raise RedisUrlError(f"{where}: {key} is empty")
        query.setdefault(key, []).append(value)
    names = query.get("channel", [])
    channels = tuple(n for n in names if not _GLOB & set(n))
    patterns = tuple(n for n in names if _GLOB & set(n)) + tuple(query.get("pattern", []))
    streams = tuple(query.get("stream", []))
    fields = query.get("field", [])
    if not (channels or patterns or streams):
        raise RedisUrlError(f"{where}: name what to read: ?channel=NAME (a glob pattern too) or ?stream=KEY")
    if streams and (channels or patterns):
        raise RedisUrlError(f"{where}: channels and streams need a connection each")
    if len(fields) > 1 or (fields and not streams):
        raise RedisUrlError(f"{where}: field is given once, and only with stream")
    return RedisTarget(
        host=parts.hostname,
        port=port or DEFAULT_PORT,
        db=int(db_text),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        tls=parts.scheme == "rediss",
        channels=channels,
        patterns=patterns,
        streams=streams,
        field=fields[0] if fields else None,
    )


def check_redis_url(v: Any) -> str | None:
    """The layout check of the ``url`` field."""
    try:
        parse_redis_url(str(v))
    except RedisUrlError as exc:
        return str(exc)
    return None


@contextmanager
def redis_errors(where: str, action: str) -> Iterator[None]:
    """Turns redis-py's exceptions into ours: permanent when retrying cannot help, passwords masked."""
    try:
        yield
    except redis.RedisError as exc:
        text = mask_text(str(exc))
        permanent = isinstance(exc, redis.AuthenticationError) or (
            isinstance(exc, redis.ResponseError) and any(w in text for w in ("NOAUTH", "WRONGPASS", "DB index"))
        )
        if permanent:
            raise PermanentSourceError(f"{where}: {text}") from None
        raise SourceError(f"cannot {action} {where}: {text or type(exc).__name__}") from None


def newest_id(client: Any, key: str) -> bytes:
    """The id of the stream's newest entry, so that reading starts after it (no history)."""
    newest = client.xrevrange(key, "+", "-", count=1)
    return bytes(newest[0][0]) if newest else b"0-0"


def looks_like_frame(data: bytes) -> bool:
    """JPEG bytes, base64 of them (always ``/9j/...``) or a data URI; else perhaps a key name."""
    head = data[:64].lstrip()
    return head.startswith((b"\xff\xd8\xff", b"/9j/", b"data:"))


def camera_name(value: object) -> str | None:
    """A channel or key name usable as a camera name, or None."""
    if not isinstance(value, bytes):
        return None
    try:
        name = value.decode("utf-8").strip()
    except UnicodeDecodeError:
        return None
    return name if name and len(name) <= MAX_NAME_CHARS and name.isprintable() else None
