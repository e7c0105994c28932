"""Checks a --stats-json file from a --demo run: at least 4 tiles, every one live with frames shown.

    check_stats.py FILE LABEL [MIN_FRAMES]      prints one "ok" line, or exits 1 naming the bad tiles

Used by smoke_test.sh (the frozen builds) and check_pip_install.sh (a plain pip install); standard library only.
"""

from __future__ import annotations

import json
import sys


def main(path: str, label: str, min_frames: int = 10) -> int:
    try:
        with open(path, encoding="utf-8") as file:
            tiles = json.load(file)["tiles"]
    except (OSError, ValueError, KeyError) as error:
        print(f"  FAIL  {label}: no usable stats in {path}: {error}")
        return 1
    bad = [(t["title"], t["state"], t["frames_displayed"]) for t in tiles
           if t["state"] != "live" or (t["frames_displayed"] or 0) < min_frames]  # fmt: skip
    if len(tiles) < 4 or bad:
        print(f"  FAIL  {label}: {len(tiles)} tiles; not live with {min_frames}+ frames shown: {bad}")
        return 1
    print(f"  ok    {label}: {len(tiles)} tiles live, frames shown per tile: {[t['frames_displayed'] for t in tiles]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 10))
