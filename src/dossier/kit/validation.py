"""Value formats shared by several endpoints."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

DOMAIN_PATTERN = r"^[a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?)*$"
DOMAIN_MESSAGE = "must be a valid hostname (e.g., 'example.com') without protocol (https://) or path"
_DOMAIN = re.compile(DOMAIN_PATTERN)

# What the OpenAPI document promises about URLs (the checks in code decide, with their own messages; these
# patterns never admit a URL the code refuses). A webhook: http(s) to a host name whose last label starts with
# a letter, no port, no credentials, printable ASCII after it: IP literals and ports are accepted or refused
# by the operator's outbound policy, which a static document cannot know.
WEBHOOK_URL_PATTERN = (
    r"^https?://([a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?"
    r"(/[!-~]*)?$"
)
# A host name is at most 253 characters (RFC 1035); research records the host it reads in a column that size.
MAX_HOST_LENGTH = 253
# A profile URL: http(s) and a host of printable ASCII (an IDN host in its xn-- form) of at most MAX_HOST_LENGTH
# characters, without credentials or port. ASCII, since lower-casing some other letters lengthens them.
PROFILE_URL_PATTERN = rf'^https?://[!"$-.0-9;->A-Z\\^-~]{{1,{MAX_HOST_LENGTH}}}([/?#][!-~]*)?$'
# Text that is more than white space (a question, a name): the service strips it (str.strip) and refuses an
# empty one. The class spells out what str.strip removes, since `\S` means less in other regex dialects.
NOT_BLANK_PATTERN = r"[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


def is_http_url(value: str, *, max_host: int | None = None) -> bool:
    """An http(s) URL with a host (of at most `max_host` characters when given). A malformed bracketed host
    (`http://a]`) is not one; urlsplit raises on it."""
    try:
        parts = urlsplit(value.strip())
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(host) and (max_host is None or len(host or "") <= max_host)


def is_domain(value: str) -> bool:
    return len(value) <= 253 and bool(_DOMAIN.fullmatch(value))


# Profile keys are indexed (with the organisation, kind and creation time); PostgreSQL refuses a btree entry
# over about 2.7 KB, which a 2,048-character URL of multibyte characters exceeds.
MAX_PROFILE_KEY_BYTES = 1024
# A normalised key has no "#" (the fragment is cut off), so a digest key never equals a plain one.
DIGEST_KEY_PREFIX = "#sha256:"


def is_linkedin(url: str) -> bool:
    """Whether a URL is on LinkedIn: an identifier only, never fetched (LinkedIn's terms forbid scraping)."""
    host = (urlsplit(url.strip()).hostname or "").lower()
    return host == "linkedin.com" or host.endswith(".linkedin.com")


def profile_key(url: str) -> str:
    """A comparable form of a profile URL: `https://www.LinkedIn.com/in/jdoe/?x=1` -> `linkedin.com/in/jdoe`.

    Keys are only compared for equality (list filters, the answer cache), so one longer than
    MAX_PROFILE_KEY_BYTES is replaced by its SHA-256 digest: the same URL still finds the same signals.
    """
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
    return bounded_key(f"{host}/{path}" if path else host)


# A LinkedIn Sales Navigator lead: /sales/lead/<id>,<search type>,<token> and the older /sales/people/<id>,...
# name one member by <id>; what follows the first comma changes with how the lead was found.
_SALES_NAVIGATOR = re.compile(r"^/sales/(?:lead|people)/([^/,?#]+)", re.I)


def sales_navigator_lead(url: str) -> str | None:
    """The member id of a LinkedIn Sales Navigator lead URL, or None for any other URL."""
    if not is_linkedin(url):
        return None
    m = _SALES_NAVIGATOR.match(urlsplit(url.strip()).path)
    return m.group(1) if m else None


def person_profile_key(url: str) -> str:
    """`profile_key` for the people index: the Sales Navigator URLs of one lead, however found, share one key."""
    lead = sales_navigator_lead(url)
    return bounded_key(f"linkedin.com/sales/lead/{lead}") if lead else profile_key(url)


def bounded_key(key: str) -> str:
    encoded = key.encode()
    if len(encoded) <= MAX_PROFILE_KEY_BYTES:
        return key
    return DIGEST_KEY_PREFIX + hashlib.sha256(encoded).hexdigest()
