"""Thread-safe hand-overs that never queue: a one-slot mailbox and a set of ready keys.

Frames are never queued: a producer overwrites what the consumer has not taken yet, and
the overwrite is counted. ``put`` reports whether the slot was empty, so the producer can
notify the consumer once per fill instead of once per frame (coalescing). ``ReadyKeys``
does the same one level up: many cameras, one wake-up until the consumer takes them all.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class LatestSlot(Generic[T]):
    """Holds at most one item; a new item replaces an untaken one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._item: T | None = None
        self.overwritten = 0

    def put(self, item: T) -> bool:
        """Store ``item``; return True if the slot was empty (the consumer needs a wake-up)."""
        with self._lock:
            was_empty = self._item is None
            if not was_empty:
                self.overwritten += 1
            self._item = item
            return was_empty

    def take(self) -> T | None:
        """Remove and return the item, or None when empty."""
        with self._lock:
            item, self._item = self._item, None
            return item

    def is_empty(self) -> bool:
        with self._lock:
            return self._item is None


class ReadyKeys:
    """The keys with something new for the consumer, taken all at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: set[str] = set()

    def add(self, key: str) -> bool:
        """Mark ``key`` ready; return True if none was (the consumer needs a wake-up)."""
        with self._lock:
            was_empty = not self._keys
            self._keys.add(key)
            return was_empty

    def take_all(self) -> set[str]:
        with self._lock:
            keys, self._keys = self._keys, set()
            return keys
