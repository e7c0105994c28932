"""vidgear NetGear's wire format, as its send mode (``NetGear(receive_mode=False).send``) writes it.

A frame is two parts: UTF-8 JSON ``{"terminate_flag": false, "compression": {...} | false,
"message": ..., "pattern": "1", "dtype": "uint8", "shape": [h, w, c]}`` and the payload, a JPEG
(when ``compression`` is an object: simplejpeg, NetGear's default) or the raw array bytes (when it is
false; ``dtype`` and ``shape`` say what they hold). Closing sends one part,
``{"terminate_flag": true}``. Multi-server mode adds ``"port"``, the sending server's own port.

NetGear names no camera: the caller passes the sender's name (its address, see
``core/sources/sender_names.py``), which a multi-server ``port`` refines. The ``message`` a sender
attaches is application data of any type and is ignored. As in ``imagezmq_wire``, input is
hostile: every failure is a ``BadMessage``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from monitor_app.core.sources.frames import EncodedFrame
from monitor_app.core.sources.imagezmq_wire import BadMessage, BytesLike, check_jpeg, parse_array

TERMINATE_KEY = "terminate_flag"


@dataclass(frozen=True, slots=True)
class Goodbye:
    """The sender closed its stream (NetGear's terminate message): its camera is gone until it returns."""

    camera: str

    @property
    def reason(self) -> str:
        """What the camera's tile says until the sender is back."""
        return f"{self.camera} closed its stream; waiting for it to return"


def is_netgear_header(fields: Mapping[str, object]) -> bool:
    """A JSON header that NetGear wrote: it always carries ``terminate_flag`` and never imagezmq's ``msg``."""
    return "msg" not in fields and isinstance(fields.get(TERMINATE_KEY), bool)


def parse_netgear(fields: Mapping[str, object], payload: BytesLike | None, sender: str) -> EncodedFrame | Goodbye:
    """A NetGear header (already parsed JSON) and its payload (None for a one-part message)."""
    camera = _camera(fields, sender)
    if fields[TERMINATE_KEY] is True:
        return Goodbye(camera)
    if payload is None:
        raise BadMessage("NetGear frame without a payload", camera)
    compression = fields.get("compression")
    if isinstance(compression, dict):
        jpeg = bytes(payload)
        check_jpeg(jpeg, camera)
        return EncodedFrame(camera, jpeg=jpeg)
    if compression is not False:
        raise BadMessage("NetGear compression must be an object or false", camera)
    return EncodedFrame(camera, pixels=parse_array(fields, payload, camera))


def _camera(fields: Mapping[str, object], sender: str) -> str:
    port = fields.get("port")
    if isinstance(port, int | str) and not isinstance(port, bool) and str(port).isdigit() and len(str(port)) <= 5:
        return f"{sender} port {port}"  # multi-server mode: one sender process per port
    return sender
