"""Where ``--web`` listens, and the rule that anything but loopback needs a token."""

from __future__ import annotations

from urllib.parse import quote

from monitor_app.core.sources.http_ingest import is_loopback, parse_listen


def parse_web_address(text: str) -> tuple[str, int]:
    """``HOST:PORT``, ``[v6]:PORT``, ``:PORT`` (every interface, as ``--http-ingest``) or ``PORT`` (loopback)."""
    text = text.strip()
    return parse_listen(f"127.0.0.1:{text}" if text.isdigit() else text)


def needs_token(host: str) -> bool:
    """Only this machine can reach a loopback address; any other one is open to the network."""
    return not is_loopback(host)


def page_url(host: str, port: int, token: str | None = None) -> str:
    """The page's URL for a browser on this machine (an every-interface address is reached on loopback)."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/" + (f"?token={quote(token, safe='')}" if token else "")
