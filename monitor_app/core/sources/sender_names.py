"""Names for senders whose messages name no camera (NetGear, single-part JPEG), one per sender.

libzmq tells a message's peer IP (``Peer-Address``, no port), and a ROUTER socket tells its
peers apart by routing id; a sender's routing id changes when it reconnects (NetGear's Lazy Pirate
retry opens a new socket). So the first sender from an IP is named after the IP, a second one
sending at the same time ``IP #2``, and so on; a slot whose sender fell silent (or said goodbye) is
given to the next newcomer from that IP, so a reconnecting sender keeps its tile.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

STALE_AFTER_S = 3.0
"""A sender silent this long has gone; its name is free for the next sender from its address."""
MAX_SENDERS = 256
"""Routing ids remembered at most: a flood of new peers cannot grow the table without bound."""


@dataclass(slots=True)
class _Holder:
    address: str
    slot: int
    last_seen: float


class SenderNames:
    """Routing id -> stable camera name, for one ROUTER socket."""

    def __init__(self, stale_after_s: float = STALE_AFTER_S) -> None:
        self.stale_after_s = stale_after_s
        self._holders: dict[bytes, _Holder] = {}

    def name(self, routing_id: bytes, address: str, now: float | None = None) -> str:
        """The camera name of the sender ``routing_id`` at ``address``."""
        now = time.monotonic() if now is None else now
        holder = self._holders.get(routing_id)
        if holder is None:
            holder = self._holders[routing_id] = _Holder(address, self._free_slot(address, now), now)
            self._forget_oldest()
        holder.last_seen = now
        return address if holder.slot == 1 else f"{address} #{holder.slot}"

    def release(self, routing_id: bytes) -> None:
        """The sender said goodbye: its name is free at once."""
        self._holders.pop(routing_id, None)

    def _free_slot(self, address: str, now: float) -> int:
        taken = set()
        for routing_id, holder in list(self._holders.items()):
            if holder.address != address:
                continue
            if now - holder.last_seen > self.stale_after_s:
                del self._holders[routing_id]  # gone: the newcomer may be this very sender, reconnected
            else:
                taken.add(holder.slot)
        return next(slot for slot in range(1, len(taken) + 2) if slot not in taken)

    def _forget_oldest(self) -> None:
        while len(self._holders) > MAX_SENDERS:
            oldest = min(self._holders, key=lambda rid: self._holders[rid].last_seen)
            del self._holders[oldest]
