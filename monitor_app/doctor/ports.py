"""``--hub ENDPOINT``: can the hub bind it? Tried the way the hub does it (a ZeroMQ REP socket), then released."""

from __future__ import annotations

import importlib
import re
import sys

from monitor_app.doctor.check import Check, fail, ok


def check_hub(text: str) -> Check:
    name = f"hub {text}"
    try:
        zmq = importlib.import_module("zmq")
        common = importlib.import_module("monitor_app.core.sources.zmq_common")
    except ImportError as exc:
        return fail(name, f"cannot import ZeroMQ: {exc}", "pip install --force-reinstall pyzmq")
    problem = common.check_endpoint(text)
    if problem:
        return fail(
            name, f"{text!r} {problem}", "write it as tcp://*:5555 (every interface), tcp://127.0.0.1:5555 or :5555"
        )
    endpoint = common.bind_endpoint(text)
    context = zmq.Context()
    sock = context.socket(zmq.REP)
    sock.setsockopt(zmq.LINGER, 0)
    try:
        sock.bind(endpoint)
    except zmq.ZMQError as exc:
        return fail(name, common.describe_zmq_error("bind", endpoint, exc), _fix(endpoint, exc.errno == zmq.EADDRINUSE))
    finally:
        sock.close(linger=0)
        context.term()
    return ok(name, f"{endpoint} is free: the hub can bind it")


def _fix(endpoint: str, in_use: bool) -> str:
    if not in_use:
        return "use an address of this machine (tcp://*:PORT binds them all) and a port from 1024 to 65535"
    port = re.search(r":(\d+)$", endpoint)
    who = "ss -ltnp 'sport = :{}'" if sys.platform.startswith("linux") else "netstat -ano | findstr :{}"
    shows = f" ({who.format(port.group(1))} shows which)" if port else ""
    return f"stop the program holding the port{shows}, or give the hub another port"
