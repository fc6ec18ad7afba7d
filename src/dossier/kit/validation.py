"""Value formats shared by several endpoints."""

from __future__ import annotations

import re

DOMAIN_PATTERN = r"^[a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?)*$"
DOMAIN_MESSAGE = "must be a valid hostname (e.g., 'example.com') without protocol (https://) or path"
_DOMAIN = re.compile(DOMAIN_PATTERN)


def is_domain(value: str) -> bool:
    return len(value) <= 253 and bool(_DOMAIN.match(value))


def profile_key(url: str) -> str:
    """A comparable form of a profile URL: `https://www.LinkedIn.com/in/jdoe/?x=1` -> `linkedin.com/in/jdoe`."""
    text = url.strip()
    lowered = text.lower()
    for scheme in ("https://", "http://"):
        if lowered.startswith(scheme):
            text = text[len(scheme) :]
            break
    text = text.split("#", 1)[0].split("?", 1)[0]
    host, _, path = text.partition("/")
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    path = path.rstrip("/")
    return f"{host}/{path}" if path else host
