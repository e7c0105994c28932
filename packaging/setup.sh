#!/usr/bin/env bash
# Installs what Camera Monitor needs on a fresh Debian/Ubuntu machine: the Qt runtime libraries,
# Xvfb (screenshots), FFmpeg and GStreamer's RTSP server (test peers), then the package itself with
# its test extra into ./.venv (a virtual environment: Debian refuses pip installs into its Python).
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Qt 6 (PySide6) offscreen and under X
  libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfreetype6 libfontconfig1 libdbus-1-3
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-xkb1 xvfb
  # test peers: ../shared/tools/rtsp-test-server and mjpeg-test-server
  ffmpeg gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-ugly python3-gi
  redis-server  # the redis kind's tests start their own on a free port (the system service is not used)
  chromium  # headless, for the browser view's tests (tests/web/test_chromium.py) and its screenshot
  # a virtual environment for the project
  python3-venv
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=120 "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
# setuptools boxes every editable install that uses its import finder (ours does: resources/ is mapped into
# monitor_app.resources) with "Editable installation ... folders in your working directory with the same name
# as your package may take precedence": here that folder is this checkout, the very code installed. That one
# notice is silenced; every other warning, and every deprecation, still shows (tests/test_packaging.py fails
# on any while building the wheel).
PYTHONWARNINGS="${PYTHONWARNINGS:+$PYTHONWARNINGS,}ignore:Editable installation:UserWarning" \
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
echo "Camera Monitor is installed in .venv: start it with .venv/bin/camera-monitor"
