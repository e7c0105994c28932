#!/usr/bin/env bash
# CI: `pip install .` into a clean, throw-away virtual environment (no extras, not editable) gives a working
# camera-monitor command. Then, in an empty environment (env -i: no venv activated, no LANG, a private config
# folder), the installed command must:
#   - print "camera-monitor VERSION" for --version;
#   - accept the demo layout shipped inside the installed package ('validate');
#   - run --demo --exit-after 4 --stats-json F offscreen with every tile live and frames shown.
# It also fails when building the wheel prints a setuptools deprecation or warning, and when the test extra
# (pytest) came along. The source is a copy of the checkout without .venv, build/, dist/ and *.egg-info: what
# `pip install .` sees in a fresh clone, and the checkout itself is left untouched.
# Environment: PYTHON (default python3) makes the virtual environment. Exit status 0 when everything passed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
VERSION=$("$PYTHON" packaging/project_info.py version)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/camera-monitor-pip.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
started=$SECONDS
FAILURES=0
pass() { printf '  ok    %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; FAILURES=$((FAILURES + 1)); }

mkdir -p "$WORK/src"
tar -C "$ROOT" --exclude=./.venv --exclude=./.git --exclude=./build --exclude=./dist --exclude='*.egg-info' \
  --exclude=__pycache__ --exclude='.*_cache' -cf - . | tar -C "$WORK/src" -xf -

echo "== pip install . into a new virtual environment ($("$PYTHON" -V 2>&1))"
"$PYTHON" -m venv "$WORK/venv"
VENV=$WORK/venv
if ! (cd "$WORK/src" && "$VENV/bin/python" -m pip install --disable-pip-version-check . >"$WORK/pip.out" 2>&1); then
  tail -c 3000 "$WORK/pip.out"
  echo "check_pip_install: pip install . failed"
  exit 1
fi
pass "pip install . ($((SECONDS - started)) s)"
# setuptools' notices from the build backend (pip shows them to every user); not pip's own index messages.
if grep -i -E 'deprecat|BuildBackendWarning|SetuptoolsWarning' "$WORK/pip.out" >"$WORK/pip-warnings.txt"; then
  fail "building the wheel warned: $(head -c 1500 "$WORK/pip-warnings.txt")"
else
  pass "no build warnings or deprecations"
fi
if "$VENV/bin/python" -c 'import pytest' 2>/dev/null; then
  fail "pytest is installed: the test extra came with a plain pip install"
fi
[ -x "$VENV/bin/camera-monitor" ] || { echo "check_pip_install: no $VENV/bin/camera-monitor" >&2; exit 1; }

run_clean() {  # run_clean NAME CMD...   (stdout+stderr to $WORK/NAME.out; cwd is a bare folder, not the checkout)
  local name=$1; shift
  mkdir -p "$WORK/$name.home"
  (cd "$WORK/$name.home" && env -i PATH=/usr/bin:/bin HOME="$WORK/$name.home" QT_QPA_PLATFORM=offscreen \
    CAMERA_MONITOR_CONFIG_DIR="$WORK/$name.config" timeout 120 "$@" >"$WORK/$name.out" 2>&1)
}

echo "== $VENV/bin/camera-monitor"
if run_clean version "$VENV/bin/camera-monitor" --version && grep -qx "camera-monitor $VERSION" "$WORK/version.out"; then
  pass "--version prints 'camera-monitor $VERSION'"
else
  fail "--version: $(head -c 600 "$WORK/version.out")"
fi
# The demo layout from the installed package (site-packages), never from the checkout.
LAYOUT=$(cd "$WORK" && env -i "$VENV/bin/python" -c \
  'from importlib.resources import files; print(files("monitor_app.resources") / "demo_layout.json")')
case $LAYOUT in
  "$VENV"/*) ;;
  *) fail "monitor_app.resources comes from $LAYOUT, not from the virtual environment" ;;
esac
if run_clean validate "$VENV/bin/camera-monitor" validate "$LAYOUT"; then
  pass "validate accepts the installed demo layout"
else
  fail "validate $LAYOUT: $(tail -c 600 "$WORK/validate.out")"
fi
demo_started=$SECONDS
if run_clean demo "$VENV/bin/camera-monitor" --demo --exit-after 4 --stats-json "$WORK/stats.json"; then
  pass "--demo --exit-after 4 exited 0 after $((SECONDS - demo_started)) s"
  "$PYTHON" packaging/check_stats.py "$WORK/stats.json" offscreen \
    || fail "stats: $(head -c 1500 "$WORK/stats.json" 2>/dev/null)"
else
  fail "--demo run exited non-zero: $(tail -c 1500 "$WORK/demo.out")"
fi

echo
if [ "$FAILURES" -ne 0 ]; then
  echo "check_pip_install: $FAILURES failure(s) ($((SECONDS - started)) s)"
  exit 1
fi
echo "check_pip_install: all passed in $((SECONDS - started)) s"
