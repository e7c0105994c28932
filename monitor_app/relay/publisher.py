"""The relay's publish side: one XPUB socket, every camera's newest frame, as received.

Fan-out is libzmq's own: an XPUB socket keeps one queue per subscriber, sends each message
only to the subscribers whose topics match it (filtering happens in the relay, so a monitor
that subscribes to two cameras is sent two cameras), and drops what a subscriber's full queue
cannot take instead of waiting. ``SEND_HWM`` bounds that queue, so a stopped monitor costs at
most ``SEND_HWM`` messages of memory and never slows the others. (``ZMQ_CONFLATE`` would make each
queue newest-wins, but it breaks multipart messages, and the imagezmq format has two parts.)

A hand-written stage is still needed before it: frames are checked by the inputs' parsers (a
hostile message stops here), and each camera's newest frame replaces an unsent older one
(``sink.py``), so a burst never reaches the socket as a backlog. ``zmq.proxy`` forwards every
message as is, which would give up both.

The socket's subscription messages (``XPUB_VERBOSER``: every subscribe and unsubscribe) are
counted per topic, so ``--stats-json`` tells which cameras monitors asked for.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

import zmq

from monitor_app.core.sources.curve import CurveServer
from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.imagezmq_wire import encode_array_message, encode_jpeg_message, encode_notice_message
from monitor_app.core.sources.zmq_common import PeerEvents, bind_endpoint, describe_zmq_error
from monitor_app.relay.sink import Note, RelayHub

log = logging.getLogger(__name__)

SEND_HWM = 64
"""Messages queued per subscriber before libzmq drops for it: a healthy monitor drains a burst of
every camera at once; a stopped one holds at most this many frames (64 x a 100 KB JPEG = 6.4 MB)."""

WAIT_S = 0.1
"""The longest the thread waits for frames before it looks at its stop flag, and how often it reads the
socket's subscriptions and peer events."""


class PublishError(RuntimeError):
    """The publish endpoint cannot be bound (taken port, bad address): the relay cannot start."""


class Publisher:
    """Owns the XPUB socket; run in its own thread."""

    def __init__(
        self, hub: RelayHub, endpoints: Sequence[str], curve: CurveServer | None = None, hwm: int = SEND_HWM
    ) -> None:
        """``curve``: monitors must hold a key it allows (``auth_failures`` counts the others)."""
        self.endpoints = [bind_endpoint(e) for e in endpoints]
        self._hub = hub
        self._context = zmq.Context()
        self._socket = self._context.socket(zmq.XPUB)
        self._socket.setsockopt(zmq.LINGER, 0)
        self._socket.setsockopt(zmq.SNDHWM, hwm)
        self._socket.setsockopt(zmq.XPUB_VERBOSER, 1)  # every (un)subscribe, for the counts
        self._curve = curve
        if curve is not None:
            curve.apply(self._socket)  # before bind, as libzmq needs
        self._peers = PeerEvents(self._socket)
        for endpoint in self.endpoints:
            try:
                self._socket.bind(endpoint)
            except zmq.ZMQError as exc:
                self.close()
                raise PublishError(describe_zmq_error("bind", endpoint, exc)) from None
        self._subscriptions: Counter[bytes] = Counter()
        self._subscriptions_lock = threading.Lock()  # the thread counts, stats() reads
        self.messages_sent = 0
        self.bytes_sent = 0
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="relay-publisher", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float) -> bool:
        """Stop the thread and close the socket; True when the thread ended in time."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                return False
        self.close()
        return True

    def close(self) -> None:
        if self._socket.closed:
            return
        self._peers.close()
        self._socket.close(linger=0)
        if self._curve is not None:  # before term(): the context's ZAP handler holds sockets of it
            self._curve.release()
        self._context.term()

    def _run(self) -> None:
        try:
            look_at = 0.0
            while not self._stop.is_set():
                ready = self._hub.wait(WAIT_S)
                if (now := time.monotonic()) >= look_at:  # not per frame: an empty read costs an exception
                    look_at = now + WAIT_S
                    self._read_subscriptions()
                    self._peers.drain()
                for camera in ready.cameras:
                    frame = self._hub.take(camera)
                    if frame is not None:
                        self._hub.forwarded(camera, self._send(frame_message(frame)))
                for note in ready.notes:
                    self._send(note_message(note))
        except Exception:  # a bug must show in the log, not end the relay silently
            log.exception("the relay's publisher stopped")
            raise

    def _send(self, parts: list[Any]) -> int:
        self._socket.send_multipart(parts, zmq.NOBLOCK, copy=False)  # XPUB drops; it never blocks
        size = sum(memoryview(part).nbytes for part in parts)
        self.messages_sent += 1
        self.bytes_sent += size
        return size

    def _read_subscriptions(self) -> None:
        while True:
            try:
                message = self._socket.recv(zmq.NOBLOCK)
            except zmq.Again:
                return
            if not message:
                continue
            topic, change = message[1:], {1: 1, 0: -1}.get(message[0], 0)
            with self._subscriptions_lock:
                self._subscriptions[topic] = max(0, self._subscriptions[topic] + change)
                if not self._subscriptions[topic]:
                    del self._subscriptions[topic]

    def stats(self) -> dict[str, Any]:
        with self._subscriptions_lock:
            subscriptions = sorted(self._subscriptions.items())
        return {
            "endpoints": self.endpoints,
            "subscribers": self._peers.connected,
            "subscriber_disconnects": self._peers.disconnects,
            "subscriptions": {_topic_text(t): n for t, n in subscriptions},
            "curve": self._curve is not None,
            "auth_failures": self._curve.auth_failures if self._curve is not None else 0,
            "messages_sent": self.messages_sent,
            "bytes_sent": self.bytes_sent,
        }


def frame_message(frame: EncodedFrame) -> list[Any]:
    """A frame in the imagezmq wire format: a JPEG's bytes as they arrived, an array as it arrived."""
    if frame.jpeg is not None:
        return encode_jpeg_message(frame.camera, frame.jpeg, frame.sent_at)
    assert frame.pixels is not None
    return encode_array_message(frame.camera, frame.pixels, frame.sent_at)


def note_message(note: Note) -> list[bytes]:
    return encode_notice_message(note.camera, note.text)


def _topic_text(topic: bytes) -> str:
    """A subscription as people read it: ``""`` (everything) or the camera-name prefix."""
    text = topic.decode("utf-8", "replace")
    prefix = '{"msg": "'
    return text[len(prefix) :] if text.startswith(prefix) else text
