"""The real app with ``--http-ingest``, fed the way the widely copied Flask example's sender feeds it.

That sender does ``requests.post(url, data={"img": base64_jpeg})`` for every frame: a new
connection per request, the form urlencoded. urllib sends the same bytes here.
"""

from __future__ import annotations

import base64
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import simplejpeg

from monitor_app.core.net import free_port
from tests.app_process import App, Processes, connection, tiles

FPS = 15
SECONDS = 9.0


def example_sender(url: str, results: dict[str, int], stop: threading.Event) -> None:
    """Posts like the Flask example at FPS for SECONDS, once the app answers."""
    ramp = np.linspace(0, 255, 640, dtype=np.uint8)
    deadline = time.monotonic() + 60
    started: float | None = None
    sent = 0
    while not stop.is_set() and time.monotonic() < deadline:
        now = time.monotonic()
        if started is not None and now - started >= SECONDS:
            break
        pixels = np.dstack([np.tile(np.roll(ramp, sent * 8), (360, 1))] * 3)
        body = urlencode({"img": base64.b64encode(simplejpeg.encode_jpeg(pixels, quality=80)).decode()}).encode()
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=5) as answer:
                ok = answer.status == 200 and answer.read() == b"OK"
        except (urllib.error.URLError, OSError):
            ok = False  # the app is still starting
            time.sleep(0.1)
        if ok:
            started = started or time.monotonic()
            sent += 1
            results["ok"] = sent
        if started is not None:
            time.sleep(max(0.0, started + sent / FPS - time.monotonic()))
    results["seconds"] = int(time.monotonic() - started) if started else 0


def test_example_style_form_posts_make_a_live_tile(procs: Processes, tmp_path: Path) -> None:
    port = free_port()
    app = App(procs, tmp_path / "stats.json", "--http-ingest", f"127.0.0.1:{port}", exit_after=14)
    results: dict[str, int] = {}
    stop = threading.Event()
    sender = threading.Thread(target=example_sender, args=(f"http://127.0.0.1:{port}/image_post", results, stop))
    sender.start()
    try:
        stats = app.wait_for(
            "the sender's tile live with 60 frames",
            lambda s: any(
                t["camera"] == "127.0.0.1" and t["state"] == "live" and t["frames_displayed"] >= 60 for t in s["tiles"]
            ),
            timeout_s=14,
        )
        sender.join(SECONDS + 5)  # the whole 9 s, while the app still runs
    finally:
        stop.set()
        sender.join(10)
    tile = tiles(stats)["127.0.0.1"]
    assert tile["frames_received"] >= 60 and tile["bad_messages"] == 0
    assert connection(stats, "http_ingest1")["bad_messages"] == 0
    final = app.finish(terminate=False)
    assert results["ok"] >= 0.9 * FPS * SECONDS, results  # every post was answered 200 OK at once
    assert tiles(final)["127.0.0.1"]["frames_received"] >= results["ok"] * 0.95
    print(f"posted {results}, during the run {tile}, at exit {tiles(final)['127.0.0.1']}")


def post_jpeg(url: str, headers: dict[str, str] | None = None) -> int:
    """POST one image/jpeg body; the HTTP status (0 while the app is not listening yet)."""
    body = simplejpeg.encode_jpeg(np.full((120, 160, 3), 70, np.uint8))
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "image/jpeg", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError):
        return 0


def test_a_token_from_the_environment_opens_ingest_beyond_loopback(procs: Processes, tmp_path: Path) -> None:
    port = free_port()
    # The token from the environment, so it is not in the process list; 0.0.0.0 needs one.
    procs_env = {"CAMERA_MONITOR_INGEST_TOKEN": "s3cret-token"}
    app = App(procs, tmp_path / "stats.json", "--http-ingest", f"0.0.0.0:{port}", exit_after=60, env=procs_env)
    url = f"http://127.0.0.1:{port}/cameras/yard"
    deadline = time.monotonic() + 30
    while (status := post_jpeg(url)) == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status == 401  # listening, and a sender without the token is refused
    for _ in range(5):
        assert post_jpeg(url, {"Authorization": "Bearer s3cret-token"}) == 200
    stats = app.wait_for("the yard tile live", lambda s: "yard" in tiles(s) and tiles(s)["yard"]["state"] == "live")
    assert "s3cret-token" not in app.path.read_text()  # never in the stats (nor the log: see below)
    app.finish()
    assert tiles(stats)["yard"]["frames_received"] >= 5
    assert "s3cret-token" not in Path(app.proc.log_path).read_text()  # type: ignore[attr-defined]
