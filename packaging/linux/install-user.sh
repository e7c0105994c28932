#!/bin/sh
# Adds this unpacked Camera Monitor to your desktop menu and ~/.local/bin (no root needed).
# Run it from the unpacked folder; run it with --uninstall to remove the menu entry, the icon and the link.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
bin=$HOME/.local/bin
if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$bin/camera-monitor" "$data/applications/camera-monitor.desktop" \
    "$data/icons/hicolor/256x256/apps/camera-monitor.png"
  echo "Camera Monitor removed from the menu (this folder was left alone)."
  exit 0
fi
mkdir -p "$bin" "$data/applications" "$data/icons/hicolor/256x256/apps"
ln -sf "$here/camera-monitor" "$bin/camera-monitor"
cp "$here/camera-monitor.png" "$data/icons/hicolor/256x256/apps/camera-monitor.png"
sed "s|^Exec=camera-monitor|Exec=\"$here/camera-monitor\"|; s|^TryExec=.*|TryExec=$here/camera-monitor|" \
  "$here/camera-monitor.desktop" >"$data/applications/camera-monitor.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
echo "Camera Monitor added to the menu; 'camera-monitor' is in $bin."
