"""The headless relay: cameras in the ways the window takes them, out on one PUB endpoint to many monitors.

``camera-monitor relay`` imports no Qt (a contract in pyproject.toml). Inputs are the window's own
source kinds run by the window's own ``run_connection``; they deliver into a ``RelaySink``
(``sink.py``) that keeps the newest frame per camera, and one ``Publisher`` thread (``publisher.py``)
sends each camera's newest frame, in the imagezmq wire format and as received (a JPEG is never
re-encoded), on an XPUB socket. ``Relay`` (``relay.py``) puts them together.
"""
