"""Contact search: the contract's filters checked and turned into a query over the people index."""

from __future__ import annotations

import re
from typing import Any

from dossier.contacts import repository, taxonomy
from dossier.contacts.schemas import ContactSearch
from dossier.kit.auth import Principal
from dossier.kit.db import Database
from dossier.kit.errors import ApiError, FieldError
from dossier.kit.pagination import items_envelope

LINKEDIN_COMPANY = re.compile(r"^https://(?:www\.)?linkedin\.com/company/([^/?#\s]+)/?$", re.IGNORECASE)
LINKEDIN_MESSAGE = "Could not process LinkedIn URL"


def linkedin_company_slug(url: str) -> str | None:
    """The slug of a LinkedIn company URL in the contract's form, lowercased; None for anything else."""
    m = LINKEDIN_COMPANY.match(url.strip())
    return m.group(1).lower() if m else None


def _invalid(field: str, value: str) -> ApiError:
    message = f"validation failed for '{field}': invalid value: {value}"
    return ApiError(400, message, fields=[FieldError(field, message)])


def _choices(field: str, values: list[str] | None, allowed: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for value in values or []:
        choice = taxonomy.canonical_choice(value, allowed)
        if choice is None:
            raise _invalid(field, value)
        out.append(choice)
    return out


def build_filter(principal: Principal, body: ContactSearch) -> tuple[repository.SearchFilter, list[str] | None]:
    """The filter, and the LinkedIn slugs still to resolve (None: no company filter). 400s come before 422s."""
    countries = []
    for value in body.countries or []:
        code = value.strip().upper()
        if len(code) != 2 or code not in taxonomy.COUNTRY_CODES:
            raise _invalid("countries", value)
        countries.append(code)
    departments = _choices("departments", body.departments, taxonomy.DEPARTMENTS)
    seniorities = _choices("seniorityLevels", body.seniorityLevels, taxonomy.SENIORITY_LEVELS)
    relations = _choices("relations", body.relations, taxonomy.RELATIONS) if body.relations is not None else None
    titles = [words for words in (taxonomy.title_words(t) for t in body.jobTitles or []) if words]
    keywords = [words for words in (taxonomy.fold(k).split() for k in (body.keywords or "").split(",")) if words]
    slugs: list[str] | None = None
    if body.companyLinkedInUrls:  # an empty list filters nothing, like an absent one
        slugs = []
        for i, url in enumerate(body.companyLinkedInUrls):
            slug = linkedin_company_slug(url)
            if slug is None:
                field = f"companyLinkedInUrls[{i}]"
                raise ApiError(
                    422,
                    LINKEDIN_MESSAGE,
                    code="LINKEDIN_URL_UNPROCESSABLE",
                    fields=[
                        FieldError(
                            field, f"'{field}' is not a LinkedIn company URL (https://www.linkedin.com/company/<slug>)"
                        )
                    ],
                )
            slugs.append(slug)
    initial = taxonomy.initial_of(body.firstName or "")
    f = repository.SearchFilter(
        principal.organization_id,
        first_key=None if initial else taxonomy.fold(body.firstName or "") or None,
        first_aliases=[] if initial else taxonomy.first_name_keys(body.firstName or ""),
        first_initial=initial,
        last_key=taxonomy.fold(body.lastName or "") or None,
        titles=titles,
        keywords=keywords,
        countries=countries,
        departments=departments,
        seniorities=seniorities,
        relations=relations,
    )
    return f, slugs


_FIELD_ORDER = {"title": 0, "relation": 1, "name": 2}


def _item(row: dict[str, Any], sources: list[dict[str, Any]]) -> dict[str, Any]:
    title, company = row["title"], row["company_name"] or row["company_domain"]
    seen: set[str] = set()
    wire_sources = []
    # One source per page on the wire: the quote that states the role speaks for it, not a date or a link.
    for s in sorted(sources, key=lambda s: _FIELD_ORDER.get(s["field"], len(_FIELD_ORDER))):
        if s["url"] in seen:
            continue
        seen.add(s["url"])
        wire_sources.append({"url": s["url"], "title": s["title"], "snippet": " ".join(s["quote"].split())[:300]})
    return {
        "firstName": row["first_name"],
        "lastName": row["last_name"],
        "fullName": row["full_name"],
        "headline": f"{title} at {company}" if title and company else title,
        "role": title,
        "companyName": row["company_name"],
        "companyDomain": row["company_domain"],
        "location": row["location"],
        "countryCode": row["country_code"],
        "seniority": row["seniority"],
        "department": row["department"],
        "linkedInProfileUrl": row["linkedin_url"],
        # Dossier never reads Sales Navigator: it has no such URL to give.
        "linkedInSalesNavigatorProfileUrl": None,
        "sources": wire_sources,
        "relation": row["relation"],
    }


async def search(db: Database, principal: Principal, body: ContactSearch) -> dict[str, Any]:
    f, slugs = build_filter(principal, body)

    def run(conn: Any) -> tuple[list[dict[str, Any]], int, bool]:
        connected = repository.has_people_source(conn, f.organization_id)
        if slugs is not None:
            f.company_ids = repository.company_ids_for_slugs(conn, f.organization_id, slugs) if slugs else []
            if not f.company_ids:
                return [], 0, connected
        rows, total = repository.search_people(conn, f, body.limit, body.offset)
        sources = repository.sources_for(conn, [(r["role_id"], r["person_id"]) for r in rows])
        return [_item(r, sources.get(r["role_id"], [])) for r in rows], total, connected

    items, total, connected = await db.read(run)
    return {**items_envelope(items, total, body.limit, body.offset), "salesNavConnected": connected}
