"""What one ZeroMQ message from a camera can be, whichever program sent it.

- two parts with imagezmq's ``{"msg": NAME, ...}`` header: a frame, heartbeat or event of camera NAME
  (``imagezmq_wire``);
- two parts with NetGear's ``{"terminate_flag": ...}`` header, or NetGear's one-part goodbye
  (``netgear_wire``);
- one part of JPEG bytes or a base64 string of them (the "OpenCV over ZeroMQ" tutorials).

The last two name no camera, so the caller says who sent them (``sender``: its endpoint or peer
address), asked only when needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from monitor_app.core.sources.imagezmq_wire import (
    BadMessage,
    BytesLike,
    WireMessage,
    imagezmq_from_fields,
    parse_single_part,
    read_json_header,
)
from monitor_app.core.sources.netgear_wire import Goodbye, is_netgear_header, parse_netgear

ZmqMessage = WireMessage | Goodbye


def parse_zmq_message(parts: Sequence[BytesLike], sender: Callable[[], str]) -> ZmqMessage:
    """Validate a whole message (after any routing envelope); every failure is a ``BadMessage``."""
    if len(parts) == 2:
        fields = read_json_header(parts[0])
        if is_netgear_header(fields):
            return parse_netgear(fields, parts[1], sender())
        return imagezmq_from_fields(fields, parts[1])
    if len(parts) == 1:
        data = parts[0]
        if bytes(data[:1]) == b"{":  # JSON: NetGear's goodbye; JPEG and base64 never start so
            fields = read_json_header(data)
            if is_netgear_header(fields):
                return parse_netgear(fields, None, sender())
            raise BadMessage("one-part JSON message is not NetGear's goodbye")
        return parse_single_part(data, sender())
    raise BadMessage(f"expected 1 or 2 message parts, got {len(parts)}")
