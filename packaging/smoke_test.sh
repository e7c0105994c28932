#!/usr/bin/env bash
# Smoke-tests the Linux artifacts that build_linux.sh left in dist/:
#   - the tarball, unpacked, and the .deb, unpacked with dpkg-deb -x (run through its /usr/bin link);
#   - each frozen executable, in an empty environment (env -i: no Python of ours on PATH, no LANG, a private
#     config folder):
#       --version prints "camera-monitor VERSION" (package metadata inside the bundle);
#       'validate' on the bundled demo layout (sub-commands are imported by name: are they frozen?);
#       --demo --exit-after 5 --stats-json F offscreen: every tile live with frames shown, a log file written;
#   - the .deb's metadata (dpkg-deb -I), its files, and that every library of the unpacked tree resolves.
# Usage: packaging/smoke_test.sh [DIST_DIR]     Exit status 0 when everything passed.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=$(cd "${1:-dist}" && pwd)
PYTHON=${PYTHON:-python3}
VERSION=$("$PYTHON" packaging/project_info.py version)
TARBALL=$DIST/camera-monitor-$VERSION-linux-x86_64.tar.gz
DEB=$DIST/camera-monitor_${VERSION}_amd64.deb
WORK=$(mktemp -d "${TMPDIR:-/tmp}/camera-monitor-smoke.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
FAILURES=0

pass() { printf '  ok    %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; FAILURES=$((FAILURES + 1)); }

# The frozen app must not need anything from the build environment: env -i, then only a bare PATH, a throw-away
# HOME, the Qt platform and a private config folder. No LANG either (a service or a cron job may have none):
# the bundle must not depend on a UTF-8 locale being set.
run_clean() {  # run_clean NAME CMD...   (stdout+stderr to $WORK/NAME.out)
  local name=$1; shift
  mkdir -p "$WORK/$name.home"
  env -i PATH=/usr/bin:/bin HOME="$WORK/$name.home" QT_QPA_PLATFORM=offscreen \
    CAMERA_MONITOR_CONFIG_DIR="$WORK/$name.config" timeout 120 "$@" >"$WORK/$name.out" 2>&1
}

# The same under a real X server (Xvfb) with Qt's xcb platform plugin: the system X/xcb libraries.
run_x11() {  # run_x11 NAME CMD...
  local name=$1; shift
  mkdir -p "$WORK/$name.home"
  timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" sh -c 'config=$1; shift; exec env -i PATH=/usr/bin:/bin \
    HOME="$0" LANG=C.UTF-8 DISPLAY="$DISPLAY" XAUTHORITY="$XAUTHORITY" QT_QPA_PLATFORM=xcb CAMERA_MONITOR_CONFIG_DIR="$config" "$@"' \
    "$WORK/$name.home" "$WORK/$name.config" "$@" >"$WORK/$name.out" 2>&1
}

check_stats() {  # check_stats FILE LABEL: every tile live with frames shown
  "$PYTHON" packaging/check_stats.py "$1" "$2"
}

check_executable() {  # check_executable LABEL EXE RESOURCES_DIR
  local label=$1 exe=$2 resources=$3
  echo "== $label: $exe"
  if run_clean "$label-version" "$exe" --version && grep -qx "camera-monitor $VERSION" "$WORK/$label-version.out"; then
    pass "--version prints 'camera-monitor $VERSION'"
  else
    fail "--version: $(head -c 600 "$WORK/$label-version.out")"
  fi
  if run_clean "$label-validate" "$exe" validate "$resources/demo_layout.json"; then
    pass "validate accepts the bundled demo layout"
  else
    fail "validate: $(tail -c 600 "$WORK/$label-validate.out")"
  fi
  local stats=$WORK/$label-stats.json
  local started=$SECONDS
  if run_clean "$label-demo" "$exe" --demo --exit-after 5 --stats-json "$stats"; then
    pass "--demo --exit-after 5 exited 0 after $((SECONDS - started)) s"
  else
    fail "--demo run exited $?: $(tail -c 1500 "$WORK/$label-demo.out")"
    return
  fi
  check_stats "$stats" offscreen || fail "stats: $(head -c 1500 "$stats" 2>/dev/null)"
  local log=$WORK/$label-demo.config/logs/camera-monitor.log
  if grep -q "Camera Monitor $VERSION starting" "$log" 2>/dev/null; then
    pass "log file written in the per-user log folder ($(wc -l <"$log") lines)"
  else
    fail "no log file at $log"
  fi
  if ls "$(dirname "$exe")" | grep -qi '\.log$\|\.ini$'; then fail "files written next to the executable"; fi
  if command -v xvfb-run >/dev/null && command -v xauth >/dev/null; then
    if run_x11 "$label-x11" "$exe" --demo --exit-after 4 --stats-json "$WORK/$label-x11.json"; then
      check_stats "$WORK/$label-x11.json" "X11 (xcb under Xvfb)" || fail "X11 stats: $(head -c 1500 "$WORK/$label-x11.json")"
    else
      fail "X11 (xcb under Xvfb) run failed: $(tail -c 1500 "$WORK/$label-x11.out")"
    fi
  else
    echo "  skip  X11 run (no xvfb-run/xauth; packaging/setup.sh installs xvfb)"
  fi
}

# --- tarball ----------------------------------------------------------------------------------------
if [ -f "$TARBALL" ]; then
  mkdir -p "$WORK/tar"
  tar -C "$WORK/tar" -xzf "$TARBALL"
  TAR_ROOT=$WORK/tar/camera-monitor-$VERSION-linux-x86_64
  for f in camera-monitor camera-monitor.desktop camera-monitor.png install-user.sh; do
    [ -e "$TAR_ROOT/$f" ] || fail "tarball lacks $f"
  done
  check_executable tarball "$TAR_ROOT/camera-monitor" "$TAR_ROOT/_internal/monitor_app/resources"
  # bench starts sender processes and two windows by running the frozen executable again.
  if run_clean tarball-bench "$TAR_ROOT/camera-monitor" bench --tiles 2 --seconds 2 --json "$WORK/bench.json" \
    && "$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["ours"]["frames_displayed"] > 0 and d["naive"]["frames_displayed"] > 0' "$WORK/bench.json"; then
    pass "bench --tiles 2 runs both pipelines from the frozen build"
  else
    fail "bench: $(tail -c 1500 "$WORK/tarball-bench.out")"
  fi
else
  fail "missing $TARBALL"
fi

# --- Debian package ---------------------------------------------------------------------------------
if [ -f "$DEB" ]; then
  echo "== deb: metadata"
  dpkg-deb -I "$DEB" >"$WORK/deb-info.txt"
  for field in "Package: camera-monitor" "Version: $VERSION" "Architecture: amd64" "Maintainer: " \
    "Description: " "Section: video" "Depends: .*libgl1" "Depends: .*libegl1" "Depends: .*libxkbcommon0" \
    "Depends: .*libxcb-cursor0" "Depends: .*libfontconfig1" "Depends: .*libdbus-1-3"; do
    grep -q "^ $field" "$WORK/deb-info.txt" && pass "control: $field" || fail "control lacks '$field'"
  done
  dpkg-deb -c "$DEB" >"$WORK/deb-files.txt"
  for path in ./opt/camera-monitor/camera-monitor ./usr/bin/camera-monitor ./usr/share/applications/camera-monitor.desktop \
    ./usr/share/icons/hicolor/256x256/apps/camera-monitor.png; do
    grep -q " $path\( \|$\)" "$WORK/deb-files.txt" && pass "contains $path" || fail "lacks $path"
  done
  grep -q "^-.* root/root .*./opt/camera-monitor/camera-monitor$" "$WORK/deb-files.txt" \
    && pass "files owned by root" || fail "files not owned by root/root"
  if command -v apt-get >/dev/null; then  # every Depends names a real, installable package
    if timeout 120 apt-get install --simulate -o Debug::NoLocking=1 "$DEB" >"$WORK/apt.out" 2>&1; then
      pass "apt-get can satisfy Depends (simulated install)"
    else
      fail "apt-get --simulate: $(tail -c 800 "$WORK/apt.out")"
    fi
  fi
  mkdir -p "$WORK/deb"
  dpkg-deb -x "$DEB" "$WORK/deb"
  # Every library must resolve: from the bundle (the loader path the bootloader sets) or from the system
  # packages named in Depends (installed here by packaging/setup.sh).
  internal=$WORK/deb/opt/camera-monitor/_internal
  missing=$(find "$internal" -type f \( -name '*.so' -o -name '*.so.*' \) -print0 \
    | LD_LIBRARY_PATH=$internal xargs -0 -n 50 ldd 2>/dev/null | grep 'not found' | sort -u || true)
  [ -z "$missing" ] && pass "every library of the unpacked .deb resolves" || fail "unresolved libraries: $missing"
  check_executable deb "$WORK/deb/usr/bin/camera-monitor" "$internal/monitor_app/resources"
else
  fail "missing $DEB"
fi

echo
if [ "$FAILURES" -ne 0 ]; then
  echo "smoke test: $FAILURES failure(s)"
  exit 1
fi
echo "smoke test: all passed"
