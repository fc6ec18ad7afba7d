"""What the people index is fed: people with their roles at one company and the sources behind each field,
whether they come from a crawl (contacts/harvest.py) or an import (contacts/imports.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dossier.contacts import taxonomy


@dataclass
class Source:
    field: str  # name, title, relation, since, location, linkedin, github, x, email, country, bio
    url: str
    quote: str
    title: str | None = None
    snapshot_id: str | None = None


@dataclass
class Company:
    domain: str | None
    name: str | None
    linkedin_slug: str | None = None
    profiles: dict[str, str] | None = None

    @property
    def key(self) -> str:
        return f"d:{self.domain}" if self.domain else f"n:{taxonomy.fold(self.name or '')}"


@dataclass
class Role:
    relation: str
    title: str | None = None
    team: str | None = None
    department: str | None = None  # derived from the title when None
    seniority: str | None = None
    sources: list[Source] = field(default_factory=list)
    since: str | None = None  # ISO date the role began, when a page says so (an announcement's date)

    def normalised(self) -> Role:
        title = self.title.strip() if self.title else None
        return Role(
            self.relation,
            title,
            self.team,
            self.department or (taxonomy.department_of(title) if title else None),
            self.seniority or (taxonomy.seniority_of(title) if title else None),
            self.sources,
            self.since,
        )


@dataclass
class PersonRecord:
    full_name: str
    first_name: str
    last_name: str
    company: Company
    roles: list[Role]
    origin: str  # crawl | import
    email: str | None = None
    location: str | None = None
    country_code: str | None = None
    linkedin_url: str | None = None
    github_url: str | None = None
    x_url: str | None = None
    bio: str | None = None
    sources: list[Source] = field(default_factory=list)  # about the person rather than one role


def split_name(full: str) -> tuple[str, str]:
    """("Jane", "van der Berg") from "Jane van der Berg": the first word, then the rest."""
    words = full.split()
    if not words:
        return "", ""
    return words[0], " ".join(words[1:])
