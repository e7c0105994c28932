#!/usr/bin/env bash
# Builds the Linux artifacts from a checkout where packaging/setup.sh has run:
#   dist/camera-monitor-VERSION-linux-x86_64.tar.gz   the one-folder PyInstaller build, self-contained
#   dist/camera-monitor_VERSION_amd64.deb             the same build under /opt/camera-monitor, using Debian's
#                                                     own X11/xcb/font/D-Bus libraries (see DEB_SYSTEM_LIBS)
# Environment: PYTHON (default python3; it must import every runtime dependency and have the project installed
#              from this checkout, as .venv/bin/python has: checked before anything is built),
#              DEB_COMPRESSION (xz|gzip|zstd|none, default xz),
#              KEEP_BUILD=1 keeps build/pyinstaller and build/package for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 022
ROOT=$PWD
PYTHON=${PYTHON:-python3}
DEB_COMPRESSION=${DEB_COMPRESSION:-xz}
ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)
[ "$ARCH" = amd64 ] || { echo "build_linux.sh: builds x86_64/amd64 only (this is $ARCH)" >&2; exit 2; }

say() { printf '\n== [%3d s] %s\n' "$SECONDS" "$*"; }

# --- the Python that freezes: every runtime dependency must import in it, and the project must be installed
# in it from this checkout; PyInstaller would otherwise build a bundle that dies with ModuleNotFoundError ----
command -v "$PYTHON" >/dev/null || { echo "build_linux.sh: no Python '$PYTHON' (set PYTHON=...)" >&2; exit 2; }
"$PYTHON" packaging/project_info.py check-runtime || { echo "build_linux.sh: stopped before building anything" >&2; exit 1; }

# --- version: pyproject.toml is the source; the installed metadata (used by --version) must agree ---------
VERSION=$("$PYTHON" packaging/project_info.py version)
installed=$("$PYTHON" -c 'from importlib.metadata import version; print(version("camera-monitor"))' 2>/dev/null || true)
if [ "$installed" != "$VERSION" ]; then
  say "package metadata says '${installed:-missing}', pyproject says $VERSION: reinstalling the package (no deps)"
  "$PYTHON" -m pip install -q --disable-pip-version-check --no-deps -e .
fi

# --- PyInstaller, from the 'packaging' extra in pyproject.toml --------------------------------------------
mapfile -t BUILD_REQS < <("$PYTHON" packaging/project_info.py packaging-requires)
say "build requirements: ${BUILD_REQS[*]}"
"$PYTHON" -m pip install -q --disable-pip-version-check "${BUILD_REQS[@]}"

# --- the frozen one-folder build ------------------------------------------------------------------------
PYI_DIST=build/pyinstaller/dist
PYI_WORK=build/pyinstaller/work
rm -rf build/pyinstaller build/package
say "PyInstaller (one-folder) for camera-monitor $VERSION"
nice -n 10 "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$PYI_DIST" --workpath "$PYI_WORK" packaging/camera-monitor.spec
BUNDLE=$PYI_DIST/camera-monitor
[ -x "$BUNDLE/camera-monitor" ] || { echo "PyInstaller produced no $BUNDLE/camera-monitor" >&2; exit 1; }
mkdir -p dist

# --- tarball: camera-monitor-VERSION/ with the bundle, the desktop entry, the icon and an installer ------
TAR_NAME=camera-monitor-$VERSION-linux-x86_64
TAR_STAGE=build/package/$TAR_NAME
mkdir -p "$TAR_STAGE"
cp -a "$BUNDLE/." "$TAR_STAGE/"
cp resources/camera-monitor.desktop resources/camera-monitor.png resources/camera-monitor.svg "$TAR_STAGE/"
install -m 755 packaging/linux/install-user.sh "$TAR_STAGE/install-user.sh"
say "tarball dist/$TAR_NAME.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner -C build/package -cf - "$TAR_NAME" \
  | nice -n 10 gzip -6 >"dist/$TAR_NAME.tar.gz"

# --- Debian package -----------------------------------------------------------------------------------
# Libraries the bundle carries that Debian ships as packages: the .deb uses the system's copies (security
# updates, matching X server and font configuration) and depends on their packages instead.
DEB_SYSTEM_LIBS=(
  "libX11.so.6:libx11-6" "libX11-xcb.so.1:libx11-xcb1" "libXau.so.6:libxau6" "libXdmcp.so.6:libxdmcp6"
  "libxkbcommon.so.0:libxkbcommon0" "libxkbcommon-x11.so.0:libxkbcommon-x11-0"
  "libxcb-cursor.so.0:libxcb-cursor0" "libxcb-icccm.so.4:libxcb-icccm4" "libxcb-image.so.0:libxcb-image0"
  "libxcb-keysyms.so.1:libxcb-keysyms1" "libxcb-randr.so.0:libxcb-randr0"
  "libxcb-render-util.so.0:libxcb-render-util0" "libxcb-render.so.0:libxcb-render0"
  "libxcb-shape.so.0:libxcb-shape0" "libxcb-shm.so.0:libxcb-shm0" "libxcb-sync.so.1:libxcb-sync1"
  "libxcb-xfixes.so.0:libxcb-xfixes0" "libxcb-xkb.so.1:libxcb-xkb1" "libxcb-util.so.1:libxcb-util1"
  "libxcb-xinerama.so.0:libxcb-xinerama0" "libxcb-xinput.so.0:libxcb-xinput0" "libxcb-glx.so.0:libxcb-glx0"
  "libfontconfig.so.1:libfontconfig1" "libfreetype.so.6:libfreetype6"
  "libdbus-1.so.3:libdbus-1-3"
)
# Never bundled by PyInstaller (the graphics stack and libc), so always needed from the system.
GLIBC=$(getconf GNU_LIBC_VERSION | awk '{print $2}')
DEB_DEPENDS=("libc6 (>= $GLIBC)" libgl1 libegl1 libxcb1 libdrm2)
# Only for the Wayland platform plugin; without them Qt falls back to X11 (XWayland).
DEB_RECOMMENDS=(libwayland-client0 libwayland-cursor0 libwayland-egl1)

DEB_NAME=camera-monitor_${VERSION}_amd64
DEB_STAGE=build/package/$DEB_NAME
mkdir -p "$DEB_STAGE/opt" "$DEB_STAGE/usr/bin" "$DEB_STAGE/usr/share/applications" \
  "$DEB_STAGE/usr/share/icons/hicolor/256x256/apps" "$DEB_STAGE/usr/share/icons/hicolor/scalable/apps" \
  "$DEB_STAGE/usr/share/doc/camera-monitor" "$DEB_STAGE/DEBIAN"
cp -a "$BUNDLE" "$DEB_STAGE/opt/camera-monitor"
for entry in "${DEB_SYSTEM_LIBS[@]}"; do
  lib=${entry%%:*} pkg=${entry##*:}
  if [ -e "$DEB_STAGE/opt/camera-monitor/_internal/$lib" ] || [ -L "$DEB_STAGE/opt/camera-monitor/_internal/$lib" ]; then
    rm -f "$DEB_STAGE/opt/camera-monitor/_internal/$lib"
    [[ " ${DEB_DEPENDS[*]} " == *" $pkg "* ]] || DEB_DEPENDS+=("$pkg")
  fi
done
# Relative, so the same link works installed and in a tree unpacked with dpkg-deb -x (the smoke test).
ln -s ../../opt/camera-monitor/camera-monitor "$DEB_STAGE/usr/bin/camera-monitor"
install -m 644 resources/camera-monitor.desktop "$DEB_STAGE/usr/share/applications/camera-monitor.desktop"
install -m 644 resources/camera-monitor.png "$DEB_STAGE/usr/share/icons/hicolor/256x256/apps/camera-monitor.png"
install -m 644 resources/camera-monitor.svg "$DEB_STAGE/usr/share/icons/hicolor/scalable/apps/camera-monitor.svg"
install -m 644 packaging/linux/copyright "$DEB_STAGE/usr/share/doc/camera-monitor/copyright"

join_commas() { local IFS=,; echo "$*" | sed 's/,/, /g'; }
INSTALLED_KB=$(du -sk --exclude=DEBIAN "$DEB_STAGE" | cut -f1)
SUMMARY=$("$PYTHON" packaging/project_info.py description)
cat >"$DEB_STAGE/DEBIAN/control" <<EOF
Package: camera-monitor
Version: $VERSION
Architecture: amd64
Maintainer: Camera Monitor developers <camera-monitor@example.invalid>
Installed-Size: $INSTALLED_KB
Depends: $(join_commas "${DEB_DEPENDS[@]}")
Recommends: $(join_commas "${DEB_RECOMMENDS[@]}")
Section: video
Priority: optional
Homepage: https://example.invalid/camera-monitor
Description: desktop wall of live cameras
 $SUMMARY.
 .
 Camera Monitor shows many live cameras in one window: imagezmq hubs and
 publishers, RTSP and HTTP-MJPEG cameras, webcams and video files. Layouts
 are saved per user; logs go to ~/.local/state/camera-monitor/log.
 .
 This package carries its own Python, Qt (PySide6) and OpenCV under
 /opt/camera-monitor.
EOF
say "Debian package dist/$DEB_NAME.deb ($DEB_COMPRESSION)"
cat "$DEB_STAGE/DEBIAN/control"
nice -n 10 dpkg-deb --root-owner-group -Z"$DEB_COMPRESSION" --build "$DEB_STAGE" "dist/$DEB_NAME.deb" >/dev/null

if [ "${KEEP_BUILD:-0}" != 1 ]; then
  rm -rf build/pyinstaller build/package
  rmdir build 2>/dev/null || true
fi
say "built:"
ls -l "dist/$TAR_NAME.tar.gz" "dist/$DEB_NAME.deb"
