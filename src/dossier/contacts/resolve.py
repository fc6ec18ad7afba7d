"""Who a contact signal is about. A profile URL is resolved, in order, by (1) the people index: a URL recorded
with a contact research report, or a person's LinkedIn, GitHub or X link found on a crawled page or imported;
(2) for a LinkedIn URL, the name in its slug (`/in/jane-doe-3a1b`) when it names one person Dossier knows (a
slug word that names their company settles a tie between namesakes); (3) the `fullName` and `companyDomain`
the request gave. Nobody found that way: None (the signal answers "person not identified")."""

from __future__ import annotations

import re
from functools import partial
from urllib.parse import urlsplit

from dossier.contacts import repository, taxonomy
from dossier.kit.db import Database
from dossier.kit.validation import is_linkedin, person_profile_key, profile_key
from dossier.research.analyze.names import first_name_forms
from dossier.runtime import KnownPerson

_LINKEDIN_PERSON = re.compile(r"^/in/([^/?#]+)", re.I)
_ID_WORD = re.compile(r"^(?:\d+|[0-9a-f]{6,})$")  # the numbers and hex LinkedIn appends to taken slugs


def _variants(url: str) -> list[str]:
    """The spellings a profile link may be stored in (scheme, www., trailing slash)."""
    key = profile_key(url)
    return [f"{scheme}{www}{key}{slash}" for scheme in ("https://", "http://") for www in ("", "www.")
            for slash in ("", "/")]  # fmt: skip


def slug_words(url: str) -> list[str]:
    """The name words of a LinkedIn profile URL's slug: `/in/jane-van-der-berg-3a1b2c` -> jane van der berg."""
    parts = urlsplit(url.strip())
    if not is_linkedin(url):
        return []
    m = _LINKEDIN_PERSON.match(parts.path)
    if not m:
        return []
    words = taxonomy.fold(m.group(1).replace("-", " ")).split()
    while words and _ID_WORD.match(words[-1]):
        words.pop()
    return words


def _readable(urls: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(u for u in urls if not is_linkedin(u)))[:3]


async def resolve(
    db: Database, organization_id: str, url: str, full_name: str | None, company_domain: str | None
) -> KnownPerson | None:
    own = [] if is_linkedin(url) else [url]
    key = person_profile_key(url)
    found = await db.read(lambda c: repository.people_with_profile(c, organization_id, key, _variants(url)))
    if len(found) == 1:
        person = await db.read(lambda c: repository.person_summary(c, found[0]["id"]))
        if person is not None:
            domain = person["domain"] or found[0]["given_domain"]
            return KnownPerson(person["full_name"], domain, _readable(own + person["urls"]), "index")
    words = slug_words(url)
    if len(words) >= 2:
        first = sorted(first_name_forms(words[0]))
        for n in range(len(words), 1, -1):
            last = " ".join(words[1:n])
            rows = await db.read(partial(repository.people_named, organization_id=organization_id,
                                         first_keys=first, last_key=last))  # fmt: skip
            people = {row["id"]: row for row in rows}
            if len(people) > 1:
                # Namesakes: a slug word after the name may name the company ("daniel-okafor-marlowe").
                rest = set(words[n:])
                people = {
                    pid: row
                    for pid, row in people.items()
                    if rest & set(taxonomy.fold(f"{row['company_name'] or ''} {row['domain'] or ''}").split())
                }
            if len(people) == 1:
                [(pid, row)] = people.items()
                person = await db.read(partial(repository.person_summary, person_id=pid))
                urls = person["urls"] if person else []
                return KnownPerson(row["full_name"], row["domain"], _readable(urls), "linkedin_slug")
            if people:
                break
    if full_name and full_name.strip():
        return KnownPerson(" ".join(full_name.split()), company_domain.lower() if company_domain else None,
                           _readable(own), "given")  # fmt: skip
    return None
