#!/usr/bin/env bash
# Builds "Camera Monitor.app" and a drag-to-Applications disk image on macOS 11+ (run on the architecture
# you ship: arm64 on Apple silicon, x86_64 on Intel; PyInstaller does not cross-compile):
#   packaging/macos/build_dmg.sh
# Output: dist/Camera Monitor.app and dist/camera-monitor-VERSION-macos-ARCH.dmg
# Optional: CODESIGN_IDENTITY="Developer ID Application: ..." signs the app (hardened runtime) and the image;
#           NOTARY_PROFILE=name (xcrun notarytool store-credentials) then notarizes and staples it.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
ARCH=$(uname -m)
APP="dist/Camera Monitor.app"

"$PYTHON" -m pip install -q --disable-pip-version-check -e ".[packaging]"
VERSION=$("$PYTHON" -c 'from importlib.metadata import version; print(version("camera-monitor"))')
echo "== PyInstaller (one-folder + BUNDLE) for camera-monitor $VERSION on $ARCH"
"$PYTHON" -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/camera-monitor.spec
[ -d "$APP" ] || { echo "no $APP" >&2; exit 1; }
/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$APP/Contents/Info.plist" | grep -qx "$VERSION"

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  echo "== codesign ($CODESIGN_IDENTITY)"
  codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" \
    --entitlements packaging/macos/entitlements.plist "$APP"
  codesign --verify --strict --verbose=2 "$APP"
fi

echo "== smoke test"
EXE="$APP/Contents/MacOS/camera-monitor"
"$EXE" --version | grep -qx "camera-monitor $VERSION"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
QT_QPA_PLATFORM=offscreen CAMERA_MONITOR_CONFIG_DIR="$WORK/config" \
  "$EXE" --demo --exit-after 5 --stats-json "$WORK/stats.json"
"$PYTHON" - "$WORK/stats.json" <<'PY'
import json, sys
tiles = json.load(open(sys.argv[1]))["tiles"]
bad = [t["title"] for t in tiles if t["state"] != "live" or t["frames_displayed"] < 10]
assert len(tiles) >= 4 and not bad, f"tiles not live with frames: {bad}"
print(f"   ok: {len(tiles)} tiles live")
PY
test -s "$WORK/config/logs/camera-monitor.log"

echo "== disk image"
DMG="dist/camera-monitor-$VERSION-macos-$ARCH.dmg"
STAGE="$WORK/dmg"
mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
rm -f "$DMG"
hdiutil create -volname "Camera Monitor $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$CODESIGN_IDENTITY" "$DMG"
  if [ -n "${NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "$DMG"
  fi
fi
rm -rf build/pyinstaller
ls -l "$DMG"
