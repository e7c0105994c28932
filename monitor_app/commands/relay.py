"""``camera-monitor relay``: take cameras in, publish them on one endpoint for any number of monitors.

    camera-monitor relay --hub :5555 --publish tcp://*:5600
    camera-monitor monitor ... --sub tcp://relay-host:5600        (on each monitor)

Senders keep one address (the relay's hub) however many monitors watch; a monitor, or a second
relay (``--sub`` of this one), subscribes to the cameras it wants. Runs until SIGINT/SIGTERM or
``--exit-after``; ``--stats-json`` is rewritten every second and at the end.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from typing import Any

from monitor_app.arg_types import positive_float
from monitor_app.core.identity import INGEST_TOKEN_ENV
from monitor_app.core.pipeline.stats import write_json_atomic
from monitor_app.core.sources.registry import source_kind

log = logging.getLogger(__name__)

DEFAULT_PUBLISH = "tcp://*:5600"
STATS_EVERY_S = 1.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    inputs = parser.add_argument_group("cameras in (each may be given several times)")
    inputs.add_argument("--hub", action="append", default=[], metavar="ENDPOINT", help="bind for imagezmq REQ senders")
    inputs.add_argument(
        "--sub", action="append", default=[], metavar="ENDPOINT", help="connect to a publisher (or a relay)"
    )
    inputs.add_argument(
        "--sub-bind", action="append", default=[], metavar="ENDPOINT", help="bind for publishers that connect"
    )
    inputs.add_argument("--redis", action="append", default=[], metavar="URL", help="redis://host:port/channel")
    inputs.add_argument("--http-ingest", action="append", default=[], metavar="HOST:PORT", help="take HTTP POSTs")
    inputs.add_argument(
        "--ingest-token", metavar="TOKEN", help=f"the --http-ingest token (or set {INGEST_TOKEN_ENV}, kept out of ps)"
    )
    out = parser.add_argument_group("cameras out")
    out.add_argument(
        "--publish",
        action="append",
        default=[],
        metavar="ENDPOINT",
        help=f"where monitors subscribe, imagezmq PUB/SUB format (default {DEFAULT_PUBLISH})",
    )
    curve = parser.add_argument_group("encryption (CURVE)")
    curve.add_argument(
        "--curve-secret", metavar="FILE", help="this relay's NAME.key_secret (for --hub, --sub-bind and --publish)"
    )
    curve.add_argument("--curve-allow", metavar="DIR", help="public keys allowed in (senders and monitors)")
    curve.add_argument("--curve-server", metavar="FILE", help="the public key of the publisher --sub connects to")
    parser.add_argument("--stats-json", metavar="FILE", help="write counters to FILE every second and at exit")
    parser.add_argument("--exit-after", type=positive_float, metavar="SECONDS", help="stop cleanly after SECONDS")


def run(args: argparse.Namespace) -> int:
    from monitor_app.relay.publisher import PublishError
    from monitor_app.relay.relay import Relay

    _log_to_stderr()
    try:
        inputs = relay_inputs(args)
        if not inputs:
            print(
                "relay: give at least one input (--hub, --sub, --sub-bind, --redis or --http-ingest)", file=sys.stderr
            )
            return 2
        relay = Relay(inputs, args.publish or [DEFAULT_PUBLISH], curve=publish_curve(args))
    except (ValueError, PublishError) as exc:  # a bad option, a refused key file, a taken port
        print(f"relay: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    relay.start()
    log.info("relay: %d input(s), publishing on %s", len(inputs), ", ".join(relay.publisher.endpoints))
    print(f"relay: publishing on {', '.join(relay.publisher.endpoints)}", flush=True)
    deadline = time.monotonic() + args.exit_after if args.exit_after else None
    while not stop.wait(
        STATS_EVERY_S if deadline is None else max(0.0, min(STATS_EVERY_S, deadline - time.monotonic()))
    ):
        _write_stats(relay, args.stats_json)
        if deadline is not None and time.monotonic() >= deadline:
            break
    _write_stats(relay, args.stats_json)
    stopped = relay.stop()
    if not stopped:
        log.warning("relay: a thread did not stop in time")
    return 0 if stopped else 1


def _log_to_stderr() -> None:
    """A service logs to stderr (journald, docker logs keep it), not into the window's log file."""
    from monitor_app.core.identity import LOG_LEVEL_ENV
    from monitor_app.logging_setup import PasswordMaskFilter

    logging.basicConfig(
        level=os.environ.get(LOG_LEVEL_ENV, "INFO").upper(),
        format="%(asctime)s %(levelname)s relay: %(message)s",
        stream=sys.stderr,
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(PasswordMaskFilter())


def _write_stats(relay: Any, path: str | None) -> None:
    if path:
        write_json_atomic(path, relay.stats())


def relay_inputs(args: argparse.Namespace) -> list[Any]:
    """One ``RelayInput`` per input flag, with the CURVE flags given to each in its role."""
    from monitor_app.relay.relay import RelayInput

    token = args.ingest_token or os.environ.get(INGEST_TOKEN_ENV)
    server_keys = _keys(args, "curve_secret", "curve_allow")
    client_keys = _keys(args, "curve_secret", "curve_server")
    flags: list[tuple[str, list[str], dict[str, Any]]] = [
        ("hub", args.hub, server_keys),
        ("sub", args.sub, client_keys),
        ("sub", args.sub_bind, {"bind": True, **server_keys}),
        ("redis", args.redis, {}),
        ("http_ingest", args.http_ingest, {"token": token} if token else {}),
    ]
    inputs: list[RelayInput] = []
    counts: dict[str, int] = {}
    for kind, addresses, more in flags:
        for address in addresses:
            counts[kind] = counts.get(kind, 0) + 1
            options = {**source_kind(kind).address_options(address), **more}
            inputs.append(RelayInput(kind, f"{kind}{counts[kind]}", options))
    return inputs


def _keys(args: argparse.Namespace, *names: str) -> dict[str, str]:
    return {name: getattr(args, name) for name in names if getattr(args, name)}


def publish_curve(args: argparse.Namespace) -> Any:
    """CURVE for the publish socket when the relay has a secret key and an allow folder, else None."""
    from monitor_app.core.sources.base import PermanentSourceError
    from monitor_app.core.sources.curve import curve_from_options

    try:
        return curve_from_options(_keys(args, "curve_secret", "curve_allow"), "server", "relay-publish")
    except PermanentSourceError as exc:  # a key file others can read, a missing folder
        raise ValueError(str(exc).replace("curve_", "--curve-")) from None
