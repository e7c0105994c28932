"""Frames published through Redis, the ways people do it: one connection, a camera per name.

- **Channel messages that are frames** (raw JPEG bytes or a base64 JPEG string): the camera is
  named after the channel (with a glob pattern, the channel the message came on).
- **Channel messages that name a key** (the widely copied example: ``SET ip base64-jpeg`` then
  ``PUBLISH img0 ip``): we ``GET`` the key once per read however often it was announced (newest
  wins), and the camera is named after the key.
- **Streams** (``XADD key * image JPEG``): only the newest entry of each stream is read, never the
  history before it; the camera is named after the stream.

Every call is bounded (socket timeouts, ``get_message(timeout=...)``, ``XREAD BLOCK``) and redis-py
never retries by itself: a lost connection is a ``SourceError`` and the receiver loop reconnects
with back-off. What arrives is checked like any other hostile input and never decoded here.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import time
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from monitor_app.core.redact import mask_url
from monitor_app.core.sources.base import FrameSink, FrameSource, PermanentSourceError, SourceError
from monitor_app.core.sources.imagezmq_wire import BadMessage, parse_single_part
from monitor_app.core.sources.kind import OptionField, SourceKind, SourceRequest, int_range
from monitor_app.core.sources.redis_common import (
    RedisTarget,
    RedisUrlError,
    camera_name,
    check_redis_url,
    looks_like_frame,
    newest_id,
    parse_redis_url,
    redis_errors,
)

log = logging.getLogger(__name__)

DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024
"""A base64 8K JPEG fits; bigger messages and key values are refused (counted, never parsed)."""
CONNECT_TIMEOUT_S = 3.0
SOCKET_TIMEOUT_S = 5.0
"""A reply (a whole large frame included) that takes longer means the server is gone."""
MAX_DRAIN_MESSAGES = 2000
"""One read takes at most this many channel messages, so it returns in bounded time under a flood."""
MAX_KEYS_PER_GET = 64
"""Keys fetched in one ``MGET``: a flood of key names cannot make one reply huge."""
MAX_KEY_NAME_BYTES = 1024
"""A channel message this short that is no frame is taken as the name of a key holding one."""


class RedisSource(FrameSource):
    """One Redis server: subscribed channels (frames or key names) or streams."""

    def __init__(self, url: str, max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES) -> None:
        self.url = url
        self.masked = mask_url(url)
        self.description = f"Redis {self.masked}"
        self.max_message_bytes = max_message_bytes
        self._client: Any = None  # redis.Redis; its replies are typed loosely
        self._pubsub: Any = None
        self._last_ids: dict[str, bytes] = {}
        self._field: bytes | None = None
        self.messages = 0
        self.bad_messages = 0
        self.keys_fetched = 0

    def _target(self) -> RedisTarget:
        try:
            return parse_redis_url(self.url)
        except RedisUrlError as exc:
            raise PermanentSourceError(str(exc)) from None

    # FrameSource -------------------------------------------------------------------------
    def open(self) -> None:
        self.close()
        target = self._target()
        self._field = target.field.encode("utf-8") if target.field is not None else None
        client = redis.Redis(
            host=target.host,
            port=target.port,
            db=target.db,
            username=target.username,
            password=target.password,
            ssl=target.tls,
            socket_timeout=SOCKET_TIMEOUT_S,
            socket_connect_timeout=CONNECT_TIMEOUT_S,
            socket_keepalive=True,
            health_check_interval=5,
            retry=Retry(NoBackoff(), 0),  # our loop retries, with back-off and a visible state
        )
        try:
            with redis_errors(self.masked, "connect to"):
                client.ping()
                if target.streams:
                    self._last_ids = {key: newest_id(client, key) for key in target.streams}
                else:
                    pubsub = client.pubsub(ignore_subscribe_messages=True)
                    if target.channels:
                        pubsub.subscribe(*target.channels)
                    if target.patterns:
                        pubsub.psubscribe(*target.patterns)
                    self._pubsub = pubsub
        except SourceError:
            client.close()  # and with it the pool, the pub/sub connection included
            raise
        self._client = client

    def read(self, sink: FrameSink, timeout_s: float) -> None:
        client = self._client
        if client is None:
            raise SourceError(f"{self.masked} is not open")
        with redis_errors(self.masked, "read from"):
            if self._pubsub is not None:
                self._read_channels(client, sink, timeout_s)
            else:
                self._read_streams(client, sink, timeout_s)

    def close(self) -> None:
        if self._pubsub is not None:
            with contextlib.suppress(redis.RedisError):
                self._pubsub.close()
        if self._client is not None:
            self._client.close()
        self._client, self._pubsub = None, None

    def reachable(self, timeout_s: float) -> bool | None:
        """A TCP connect to the server, when its host is an address (a name lookup could block)."""
        try:
            target = parse_redis_url(self.url)
            host = "127.0.0.1" if target.host == "localhost" else str(ipaddress.ip_address(target.host))
        except ValueError:
            return None
        try:
            socket.create_connection((host, target.port), timeout=timeout_s).close()
        except TimeoutError:
            return None
        except OSError:
            return False
        return True

    def endpoint_stats(self) -> list[dict[str, object]]:
        return [
            {
                "endpoint": self.masked,
                "role": "connect",
                "connected": self._client is not None,
                "messages": self.messages,
                "bad_messages": self.bad_messages,
                "keys_fetched": self.keys_fetched,
            }
        ]

    # Channels ----------------------------------------------------------------------------
    def _read_channels(self, client: Any, sink: FrameSink, timeout_s: float) -> None:
        frames: dict[str, bytes] = {}  # camera -> newest frame payload
        keys: dict[str, None] = {}  # key names announced, in order, once each
        deadline = time.monotonic() + timeout_s
        message = self._pubsub.get_message(timeout=timeout_s)
        for _ in range(MAX_DRAIN_MESSAGES):
            if message is None:
                break
            if message.get("type") in ("message", "pmessage"):
                self._sort(message, frames, keys, sink)
            if time.monotonic() > deadline:
                break
            message = self._pubsub.get_message(timeout=0)
        for camera, payload in frames.items():
            if _wanted(sink, camera):
                self._deliver(payload, camera, sink)
        names = [name for name in keys if _wanted(sink, name)]  # a hidden tile costs no GET
        for start in range(0, len(names), MAX_KEYS_PER_GET):
            chunk = names[start : start + MAX_KEYS_PER_GET]
            for name, value in zip(chunk, client.mget(chunk), strict=True):
                self.keys_fetched += 1
                if value is None:
                    self._bad(sink, f"key {name[:60]!r} has no string value", name)
                else:
                    self._deliver(value, name, sink)

    def _sort(self, message: dict[str, Any], frames: dict[str, bytes], keys: dict[str, None], sink: FrameSink) -> None:
        """A frame is kept as its channel's newest; a key name is noted; anything else is refused."""
        self.messages += 1
        channel = camera_name(message.get("channel"))
        data = message.get("data")
        if channel is None or not isinstance(data, bytes):
            self._bad(sink, "message on a channel name that cannot be a camera name")
            return
        if len(data) > self.max_message_bytes:
            self._bad(sink, f"message of {len(data)} bytes over the {self.max_message_bytes} limit", channel)
            return
        if looks_like_frame(data):
            frames[channel] = data
            return
        key = camera_name(data) if len(data) <= MAX_KEY_NAME_BYTES else None
        if key is None:
            self._bad(sink, "message is neither a JPEG, base64 JPEG nor a key name", channel)
        else:
            keys.pop(key, None)
            keys[key] = None

    # Streams -----------------------------------------------------------------------------
    def _read_streams(self, client: Any, sink: FrameSink, timeout_s: float) -> None:
        block_ms = max(1, int(timeout_s * 1000))
        waiting = client.xread(dict(self._last_ids), count=1, block=block_ms)
        for stream, _entries in waiting or []:
            key = stream.decode("utf-8", "replace") if isinstance(stream, bytes) else str(stream)
            newest = client.xrevrange(key, "+", "-", count=1)  # skip whatever came in between
            if not newest:
                continue
            entry_id, fields = newest[0]
            self._last_ids[key] = entry_id
            self.messages += 1
            payload = self._stream_payload(fields)
            if payload is None:
                self._bad(sink, "stream entry holds no frame field", key)
            elif len(payload) > self.max_message_bytes:
                self._bad(sink, f"entry of {len(payload)} bytes over the {self.max_message_bytes} limit", key)
            elif _wanted(sink, key):
                self._deliver(payload, key, sink)

    def _stream_payload(self, fields: dict[bytes, bytes]) -> bytes | None:
        if self._field is not None:
            return fields.get(self._field)
        return max(fields.values(), key=len, default=None)  # the frame is the long one

    # Shared ------------------------------------------------------------------------------
    def _deliver(self, payload: bytes, camera: str, sink: FrameSink) -> None:
        if len(payload) > self.max_message_bytes:
            self._bad(sink, f"value of {len(payload)} bytes over the {self.max_message_bytes} limit", camera)
            return
        try:
            sink.deliver(parse_single_part(payload, camera))
        except BadMessage as exc:
            self._bad(sink, exc.reason, camera)

    def _bad(self, sink: FrameSink, reason: str, camera: str | None = None) -> None:
        self.bad_messages += 1
        sink.bad_message(reason, camera)
        log.debug("%s: dropped a bad message: %s", self.description, reason)


def _wanted(sink: FrameSink, camera: str) -> bool:
    """Whether anybody shows ``camera``; if not, it is only marked alive (nothing fetched or parsed)."""
    if sink.wants_frames(camera):
        return True
    sink.heartbeat(camera)
    return False


def _create(request: SourceRequest) -> FrameSource:
    return RedisSource(request.options["url"], max_message_bytes=request.options["max_message_bytes"])


KIND = SourceKind(
    name="redis",
    label="Redis (pub/sub channels, keys or streams)",
    factory=_create,
    fields={
        "url": OptionField(str, required=True, check=check_redis_url, secret_url=True),
        "max_message_bytes": OptionField(int, default=DEFAULT_MAX_MESSAGE_BYTES, check=int_range(1024, 1 << 30)),
    },
    address="url",
    address_hint="redis://host:6379/0?channel=img0",
    many_cameras=True,
)
