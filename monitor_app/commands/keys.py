"""``camera-monitor keys DIR NAME``: write a CURVE key pair, ``NAME.key`` (public) and ``NAME.key_secret``.

The files are pyzmq's ``zmq.auth`` certificates, so imagezmq and other pyzmq programs read them too.
The secret file is made private (mode 0600) before the key is written into it; an existing pair is
never overwritten, since the peers that trust the old public key would be locked out.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="the folder to write the two files into (made if missing)")
    parser.add_argument("name", metavar="NAME", help="the name of the pair: a hub's, a sender's or a monitor's")


def run(args: argparse.Namespace) -> int:
    import zmq.auth

    folder, name = Path(args.dir), args.name
    if not name or Path(name).name != name or name.startswith("."):
        print(f"camera-monitor keys: {name!r} is not a plain file name", file=sys.stderr)
        return 2
    public, secret = folder / f"{name}.key", folder / f"{name}.key_secret"
    taken = [str(p) for p in (public, secret) if p.exists()]
    if taken:
        print(f"camera-monitor keys: {', '.join(taken)} already exists; not overwritten", file=sys.stderr)
        return 1
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # pyzmq writes with open(..., "w"): make the secret file private first, so the key never sits in a readable file.
        os.close(os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.chmod(secret, 0o600)  # O_CREAT's mode is masked by the umask, which could only narrow it; make it exact
        zmq.auth.create_certificates(folder, name)
    except OSError as exc:
        print(f"camera-monitor keys: cannot write to {folder}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"public key (give it to the peers that should trust {name}): {public}")
    print(f"secret key (keep it here, readable only by you): {secret}")
    return 0
