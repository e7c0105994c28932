"""``--web`` addresses: a bare port is loopback, anything else needs a token; the page's URL."""

from __future__ import annotations

import pytest

from monitor_app.cli import parse_window_args
from monitor_app.web.address import needs_token, page_url, parse_web_address


@pytest.mark.parametrize(
    ("text", "address", "token"),
    [
        ("8080", ("127.0.0.1", 8080), False),
        ("localhost:8080", ("localhost", 8080), False),
        ("[::1]:8080", ("::1", 8080), False),
        (":8080", ("", 8080), True),
        ("0.0.0.0:8080", ("0.0.0.0", 8080), True),
        ("192.168.1.20:80", ("192.168.1.20", 80), True),
    ],
)
def test_addresses_and_the_token_rule(text: str, address: tuple[str, int], token: bool) -> None:
    assert parse_web_address(text) == address
    assert needs_token(address[0]) is token


def test_the_page_url_reaches_an_every_interface_server_on_loopback() -> None:
    assert page_url("", 8080) == "http://127.0.0.1:8080/"
    assert page_url("::1", 80, "a b&c") == "http://[::1]:80/?token=a%20b%26c"


def test_the_command_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("CAMERA_MONITOR_WEB_TOKEN", raising=False)
    options = parse_window_args(["--demo", "--web", "8080"])
    assert options.web == ("127.0.0.1", 8080) and options.web_token is None
    assert parse_window_args(["--web", ":9000", "--web-token", "t"]).web_token == "t"
    for bad in (["--web", "nowhere"], ["--web", "0.0.0.0:9000"]):
        with pytest.raises(SystemExit) as exit_info:
            parse_window_args(bad)
        assert exit_info.value.code == 2
    assert "must look like host:port" in capsys.readouterr().err
