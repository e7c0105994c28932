"""Keep passwords out of everything a person or a log can read."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<user>[^:@/\s]*):(?P<password>[^@/\s]*)@")


def mask_url(url: str) -> str:
    """``rtsp://admin:secret@cam/x`` -> ``rtsp://admin:***@cam/x``; other text is unchanged."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return mask_text(url)
    if parts.password is None:
        return mask_text(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = f":{parts.port}" if _has_valid_port(parts) else ""
    netloc = f"{parts.username or ''}:***@{host}{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def restore_password(edited: str, original: str) -> str:
    """Put ``original``'s password back where an edit kept the mask (``user:***@``).

    Editors show URLs masked; a user who changes the path but not the password leaves
    ``***`` in place, which means "the password it had", never a password of three stars.
    Only for the same user at the same host: a mask moved to another camera stays a mask.
    """
    try:
        new, old = urlsplit(edited), urlsplit(original)
    except ValueError:
        return edited
    if new.password != "***" or old.password is None:
        return edited
    if (new.username, new.hostname, new.scheme) != (old.username, old.hostname, old.scheme):
        return edited
    return edited.replace(f"{new.username}:***@", f"{old.username}:{old.password}@", 1)


def mask_text(text: str) -> str:
    """Mask every ``scheme://user:password@`` inside free text (error messages, log lines)."""
    return _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)


def _has_valid_port(parts) -> bool:  # type: ignore[no-untyped-def]
    try:
        return parts.port is not None
    except ValueError:
        return False
