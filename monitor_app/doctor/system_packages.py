"""Which system package provides a missing library, on Debian/Ubuntu, Fedora and Arch, and the command to install it.

The distribution comes from ``/etc/os-release`` (``ID`` and ``ID_LIKE``, so Mint, Pop!_OS, Rocky
or Manjaro find their parent); its command comes first, the other two follow for everyone else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

OS_RELEASE = Path("/etc/os-release")

APT, DNF, PACMAN = "apt", "dnf", "pacman"
FAMILIES = (APT, DNF, PACMAN)
FAMILY_NAMES = {APT: "Debian/Ubuntu", DNF: "Fedora", PACMAN: "Arch"}
INSTALL_COMMANDS = {APT: "sudo apt install", DNF: "sudo dnf install", PACMAN: "sudo pacman -S"}
_FAMILY_OF_ID = {
    "debian": APT,
    "ubuntu": APT,
    "fedora": DNF,
    "rhel": DNF,
    "centos": DNF,
    "arch": PACMAN,
}

# soname -> (Debian/Ubuntu, Fedora, Arch): the libraries Qt's xcb plugin, QtGui and OpenGL need.
PACKAGES: dict[str, tuple[str, str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil", "xcb-util-renderutil"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11"),
    "libX11.so.6": ("libx11-6", "libX11", "libx11"),
    "libXau.so.6": ("libxau6", "libXau", "libxau"),
    "libXdmcp.so.6": ("libxdmcp6", "libXdmcp", "libxdmcp"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx", "libglvnd"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl", "libglvnd"),
    "libGLdispatch.so.0": ("libglvnd0", "libglvnd", "libglvnd"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype", "freetype2"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "dbus"),
    "libwayland-client.so.0": ("libwayland-client0", "libwayland-client", "wayland"),
    "libwayland-cursor.so.0": ("libwayland-cursor0", "libwayland-cursor", "wayland"),
    "libwayland-egl.so.1": ("libwayland-egl1", "libwayland-egl", "wayland"),
}


@dataclass(frozen=True)
class Distribution:
    name: str
    """What the user calls it (``PRETTY_NAME``: "Debian GNU/Linux 12 (bookworm)")."""
    family: str | None
    """``apt``, ``dnf`` or ``pacman``; None for one we do not know."""


def read_os_release(path: Path = OS_RELEASE) -> dict[str, str]:
    """``/etc/os-release`` as a dict (quotes removed); empty when the file is missing (macOS, Windows)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and not key.startswith("#"):
            fields[key.strip()] = value.strip().strip("\"'")
    return fields


def detect_distribution(os_release: Mapping[str, str]) -> Distribution:
    """The distribution and its package family, from ``ID`` first and then ``ID_LIKE``."""
    name = os_release.get("PRETTY_NAME") or os_release.get("NAME") or "unknown system"
    for ident in [os_release.get("ID", ""), *os_release.get("ID_LIKE", "").split()]:
        family = _FAMILY_OF_ID.get(ident.lower())
        if family:
            return Distribution(name, family)
    return Distribution(name, None)


def packages_for(sonames: Iterable[str], family: str) -> tuple[list[str], list[str]]:
    """(the packages that provide ``sonames`` in ``family``, without repeats; the sonames we cannot place)."""
    column = FAMILIES.index(family)
    packages: list[str] = []
    unknown: list[str] = []
    for soname in sonames:
        names = PACKAGES.get(soname)
        if names is None:
            unknown.append(soname)
        elif names[column] not in packages:
            packages.append(names[column])
    return packages, unknown


def install_command(sonames: Iterable[str], family: str) -> str | None:
    """``sudo apt install libxcb-cursor0 ...`` for the sonames we can place; None when we can place none."""
    packages, _ = packages_for(sonames, family)
    return f"{INSTALL_COMMANDS[family]} {' '.join(packages)}" if packages else None


def install_advice(sonames: Iterable[str], distribution: Distribution) -> str:
    """What to run: this distribution's command first, then the others; libraries we cannot place are named."""
    sonames = list(sonames)
    lines = []
    own = distribution.family
    if own:
        command = install_command(sonames, own)
        if command:
            lines.append(f"{command}   (this is {distribution.name})")
    others = [f for f in FAMILIES if f != own]
    for family in others:
        command = install_command(sonames, family)
        if command:
            lines.append(f"{FAMILY_NAMES[family]}: {command}")
    _, unknown = packages_for(sonames, APT)
    if unknown:
        lines.append(
            f"install the package that provides {', '.join(unknown)} (your package manager can search by file)"
        )
    return "\n".join(lines)
