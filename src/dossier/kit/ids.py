"""Identifier formats of the wire contract."""

from __future__ import annotations

import re
import secrets
import string
import uuid

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
CONTACT_RESEARCH_PATTERN = r"^cr_[a-z0-9]{12,}$"
_UUID = re.compile(UUID_PATTERN)
_CONTACT_RESEARCH = re.compile(CONTACT_RESEARCH_PATTERN)
_ALNUM = string.ascii_lowercase + string.digits


def new_uuid() -> str:
    return str(uuid.uuid4())


def is_uuid(value: str) -> bool:
    return bool(_UUID.fullmatch(value))


def new_contact_research_id() -> str:
    return "cr_" + "".join(secrets.choice(_ALNUM) for _ in range(16))


def is_contact_research_id(value: str) -> bool:
    return bool(_CONTACT_RESEARCH.fullmatch(value))
