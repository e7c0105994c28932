"""Command-line parsing (no Qt here, so --help, --version and validate need no display)."""

from __future__ import annotations

import argparse
import importlib
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from monitor_app import __version__
from monitor_app.arg_types import positive_float, tour_seconds, web_address
from monitor_app.bench import NAIVE_COMMAND
from monitor_app.commands import COMMANDS
from monitor_app.core.identity import APP_ID, INGEST_TOKEN_ENV, WEB_TOKEN_ENV

if TYPE_CHECKING:  # --help, --version and validate stay light: no source modules loaded
    from monitor_app.core.layouts.adhoc import Address


@dataclass
class WindowOptions:
    """The window's command line, parsed (everything but the sub-commands)."""

    layout: str | None = None
    demo: bool = False
    fullscreen: bool = False
    tour: int | None = None  # --tour SECONDS: cycle the layout's views
    exit_after: float | None = None
    stats_json: str | None = None
    screenshot: str | None = None
    hubs: list[str] = field(default_factory=list)
    subs: list[str] = field(default_factory=list)
    sub_binds: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    transport: str | None = None  # --transport: the RTSP transport of the --url cameras
    redis_urls: list[str] = field(default_factory=list)
    http_ingests: list[str] = field(default_factory=list)
    ingest_token: str | None = None
    web: tuple[str, int] | None = None  # --web (host, port)
    web_token: str | None = None
    curve_secret: str | None = None
    curve_allow: str | None = None
    curve_server: str | None = None
    record: str | None = None  # --record DIR: every camera records from the start

    def addresses(self) -> list[Address]:
        """The command line's cameras as (source kind, address[, more options]), for an ad-hoc layout."""
        hubs: list[Address] = [("hub", e, self.curve("server")) for e in self.hubs]
        return (
            hubs
            + [("sub", e, self.curve("client")) for e in self.subs]
            + [("sub", e, {"bind": True, **self.curve("server")}) for e in self.sub_binds]
            + [("url", u, {"transport": self.transport} if self.transport else {}) for u in self.urls]
            + [("redis", r) for r in self.redis_urls]
            + [("http_ingest", a, {"token": self.ingest_token} if self.ingest_token else {}) for a in self.http_ingests]
        )

    def curve(self, role: str) -> dict[str, str]:
        """The --curve-* paths as the layout fields of a bound ("server": --hub, --sub-bind) or connecting
        ("client": --sub) connection; the flags of the other role do not apply to it."""
        other = "curve_server" if role == "server" else "curve_allow"
        given = {"curve_secret": self.curve_secret, "curve_allow": self.curve_allow, "curve_server": self.curve_server}
        return {k: v for k, v in given.items() if v and k != other}

    @property
    def scripted(self) -> bool:
        """A timed run (tests, benchmarks): never stop to ask the user anything."""
        return self.exit_after is not None


def window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_ID,
        description="Show many live cameras in one window. With no arguments, opens the last layout or the demo.",
        epilog="Commands: " + "; ".join(f"'{APP_ID} {n} ...' to {h}" for n, (_, h) in COMMANDS.items()),
    )
    parser.add_argument("layout", nargs="?", help="a layout file (.json) to open")
    parser.add_argument("--demo", action="store_true", help="open the built-in demo (synthetic cameras)")
    parser.add_argument(
        "--hub",
        action="append",
        default=[],
        metavar="ENDPOINT",
        help="bind an imagezmq hub for REQ senders (tcp://*:5555 or :5555); repeatable",
    )
    parser.add_argument(
        "--sub",
        action="append",
        default=[],
        metavar="ENDPOINT",
        help="connect to an imagezmq or base64 JPEG publisher; repeatable",
    )
    parser.add_argument(
        "--sub-bind",
        action="append",
        default=[],
        metavar="ENDPOINT",
        help="bind a SUB socket that PUB cameras connect to (tcp://*:5555 or :5555); repeatable",
    )
    parser.add_argument(
        "--url",
        action="append",
        default=[],
        metavar="URL",
        help="show a camera by URL (rtsp://, http://.../video, a file, a webcam index); repeatable",
    )
    parser.add_argument(
        "--transport",
        choices=("auto", "tcp", "udp"),  # url_rtsp.TRANSPORTS, spelled out: --help loads no source module
        help="RTSP transport of the --url cameras (default auto: TCP, then UDP if the server refuses TCP)",
    )
    parser.add_argument(
        "--redis",
        action="append",
        default=[],
        metavar="URL",
        help="frames published through Redis (redis://HOST:PORT/DB?channel=NAME, a glob too, or ?stream=KEY); repeatable",
    )
    parser.add_argument(
        "--http-ingest",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="listen for frames POSTed over HTTP (/image_post form field img, /cameras/NAME); repeatable",
    )
    parser.add_argument(
        "--ingest-token",
        metavar="TOKEN",
        default=os.environ.get(INGEST_TOKEN_ENV) or None,
        help=f"the token --http-ingest senders must give (required off 127.0.0.1; or set {INGEST_TOKEN_ENV}, "
        "which other users cannot read in the process list)",
    )
    parser.add_argument(
        "--curve-secret", metavar="FILE", help="CURVE: this monitor's NAME.key_secret, for --hub, --sub-bind and --sub"
    )
    parser.add_argument(
        "--curve-allow", metavar="DIR", help="CURVE: the senders' public .key files let in to --hub and --sub-bind"
    )
    parser.add_argument("--curve-server", metavar="FILE", help="CURVE: the public NAME.key of the --sub publishers")
    parser.add_argument(
        "--web",
        type=web_address,
        metavar="HOST:PORT",
        help="show the wall in a browser at http://HOST:PORT/ (PORT alone: this machine only; any other "
        "address needs --web-token)",
    )
    parser.add_argument(
        "--web-token",
        metavar="TOKEN",
        default=os.environ.get(WEB_TOKEN_ENV) or None,
        help=f"the token browsers must give for --web (Authorization: Bearer, or ?token=); or set {WEB_TOKEN_ENV}",
    )
    parser.add_argument("--fullscreen", action="store_true", help="start full screen")
    parser.add_argument(
        "--tour", type=tour_seconds, metavar="SECONDS", help="cycle the layout's views, one every SECONDS (1-600)"
    )
    parser.add_argument("--exit-after", type=positive_float, metavar="SECONDS", help="quit cleanly after SECONDS")
    parser.add_argument(
        "--stats-json", metavar="FILE", help="write health and counters as JSON every second and at exit"
    )
    parser.add_argument(
        "--record",
        metavar="DIR",
        help="record every camera from the start into DIR (Matroska, no re-encoding; a new file every 15 min)",
    )
    parser.add_argument("--screenshot", metavar="FILE.png", help="save a picture of the window just before exit")
    parser.add_argument("--version", action="version", version=f"{APP_ID} {__version__}")
    return parser


def parse_window_args(argv: list[str]) -> WindowOptions:
    ns = window_parser().parse_args(argv)
    if ns.web and not ns.web_token and _needs_token(ns.web[0]):
        window_parser().error(
            f"--web {ns.web[0] or '*'}:{ns.web[1]} can be reached from other machines: give --web-token TOKEN "
            f"(or set {WEB_TOKEN_ENV}), or listen on 127.0.0.1"
        )
    return WindowOptions(
        layout=ns.layout,
        demo=ns.demo,
        fullscreen=ns.fullscreen,
        tour=ns.tour,
        exit_after=ns.exit_after,
        stats_json=ns.stats_json,
        screenshot=ns.screenshot,
        hubs=ns.hub,
        subs=ns.sub,
        sub_binds=ns.sub_bind,
        urls=ns.url,
        transport=ns.transport,
        redis_urls=ns.redis,
        http_ingests=ns.http_ingest,
        ingest_token=ns.ingest_token,
        web=ns.web,
        web_token=ns.web_token,
        curve_secret=ns.curve_secret,
        curve_allow=ns.curve_allow,
        curve_server=ns.curve_server,
        record=ns.record,
    )


def _needs_token(host: str) -> bool:
    from monitor_app.web.address import needs_token

    return needs_token(host)


def run_command(argv: list[str]) -> int | None:
    """Run a sub-command when ``argv`` names one; None means: start the window."""
    if argv and argv[0] == NAIVE_COMMAND:
        from monitor_app.bench.naive import main as naive_main

        return naive_main(argv[1:])
    if not argv or argv[0] not in COMMANDS:
        return None
    name = argv[0]
    module_name, help_text = COMMANDS[name]
    module = importlib.import_module(module_name)
    parser = argparse.ArgumentParser(prog=f"{APP_ID} {name}", description=help_text)
    module.add_arguments(parser)
    args = parser.parse_args(argv[1:])
    return int(module.run(args))
