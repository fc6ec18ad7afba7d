"""Identifier formats of the wire contract."""

from __future__ import annotations

import re
import secrets
import string
import uuid

from starlette.convertors import Convertor, register_url_convertor

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


class _UUIDSegment(Convertor[str]):
    """A path segment that can only be an id of one format. Routes declare `{signalId:uuid_id}`, so a segment
    of any other shape (`/v1/companies/signals/summaries`) matches no route and is answered "Route not
    found" by the router itself, instead of being taken for an id that does not exist."""

    regex = UUID_PATTERN.removeprefix("^").removesuffix("$")

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class _ContactResearchSegment(_UUIDSegment):
    regex = CONTACT_RESEARCH_PATTERN.removeprefix("^").removesuffix("$")


# Registered on import: route paths are compiled when the endpoint modules (which import this one) load.
register_url_convertor("uuid_id", _UUIDSegment())
register_url_convertor("contact_research_id", _ContactResearchSegment())
