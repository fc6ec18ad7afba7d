"""People imported by the user (a Dossier extension): CSV or JSON rows with the usual CRM export columns.

Columns are recognised by name, whatever their case, spacing or punctuation ("First Name", "first_name",
"firstName"): first name, last name, full name (or name), email, title (job title, position), company
(company name, account), company domain (domain, website), LinkedIn URL, company LinkedIn URL, country
(a name or an ISO code), location (or city/state), department, seniority, team, bio (headline, summary),
GitHub, X/Twitter. Other columns are ignored. A row needs a name (first and last, or full) and a company
(name or domain); every bad row is reported by its line and the good ones are kept."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from dossier.contacts import taxonomy
from dossier.contacts.records import Company, PersonRecord, Role, Source, split_name
from dossier.kit.validation import is_domain

_COLUMNS = {
    "first_name": "firstname first givenname fname forename",
    "last_name": "lastname last surname familyname lname",
    "full_name": "fullname name contactname contact personname",
    "email": "email emailaddress workemail businessemail email1",
    "title": "title jobtitle position role jobrole",
    "company": "company companyname account accountname organization organisation organizationname employer",
    "domain": "companydomain domain website companywebsite companyurl websiteurl",
    "linkedin": "linkedinurl linkedin linkedinprofile linkedinprofileurl personlinkedinurl linkedinprofilelink",
    "company_linkedin": "companylinkedinurl companylinkedin companylinkedinprofile",
    "country": "country countrycode countryregion countryname",
    "location": "location city region state address locality",
    "department": "department dept function",
    "seniority": "seniority senioritylevel level",
    "team": "team group",
    "bio": "bio headline summary about description",
    "github": "github githuburl githubprofile",
    "x": "twitter twitterurl x xurl twitterhandle",
}
_ALIASES = {alias: key for key, aliases in _COLUMNS.items() for alias in aliases.split()}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LINKEDIN_PERSON = re.compile(r"^https?://(?:[a-z]{2,3}\.)?linkedin\.com/in/[^/?#\s]+/?(?:[?#].*)?$", re.I)
_LINKEDIN_COMPANY = re.compile(r"^https?://(?:[a-z]{2,3}\.)?linkedin\.com/company/([^/?#\s]+)", re.I)
MAX_ROWS = 50_000


class ImportRefused(ValueError):
    """The whole import cannot be read (not CSV, no name column, too many rows): nothing is recorded."""


@dataclass
class RowError:
    line: int
    field: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass
class Parsed:
    records: list[PersonRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    received: int = 0


def column_key(header: str) -> str | None:
    return _ALIASES.get(taxonomy.fold(header).replace(" ", ""))


def csv_rows(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """(line the record starts on, {header: value}) for every non-empty CSV record; the header is line 1."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"the CSV is not UTF-8 (byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise ImportRefused("the CSV is empty")
        rows: list[tuple[int, dict[str, Any]]] = []
        line = reader.line_num
        for record in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            rows.append((start, {h: (record[i] if i < len(record) else None) for i, h in enumerate(header)}))
    except csv.Error as exc:
        raise ImportRefused(f"the CSV cannot be read at line {reader.line_num}: {exc}") from None
    return rows


def json_rows(value: Any) -> list[tuple[int, dict[str, Any]]]:
    rows = value.get("rows") if isinstance(value, dict) else None
    if not isinstance(rows, list):
        raise ImportRefused("the JSON body must be an object with a 'rows' array")
    return [(i + 1, row) for i, row in enumerate(rows)]


def parse_rows(rows: list[tuple[int, Any]], import_id: str, label: str) -> Parsed:
    if len(rows) > MAX_ROWS:
        raise ImportRefused(f"at most {MAX_ROWS} rows per import (got {len(rows)}); split the file")
    headers = {h for _, row in rows if isinstance(row, dict) for h in row}
    known = {column_key(h) for h in headers if isinstance(h, str)}
    if rows and not ({"full_name", "last_name"} & known):
        raise ImportRefused("no name column: give 'First Name' and 'Last Name', or 'Full Name'")
    out = Parsed(received=len(rows))
    for line, row in rows:
        record = _record(line, row, import_id, label, out.errors)
        if record is not None:
            out.records.append(record)
    return out


def _clean(row: dict[str, Any], line: int, errors: list[RowError]) -> dict[str, str] | None:
    values: dict[str, str] = {}
    for header, raw in row.items():
        key = column_key(header) if isinstance(header, str) else None
        if key is None or raw is None:
            continue
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            errors.append(RowError(line, header, f"'{header}' must be a string"))
            return None
        text = " ".join(str(raw).split())
        if text and key not in values:
            values[key] = text
    return values


def _domain(value: str) -> str | None:
    text = value.strip().lower()
    if "://" in text:
        text = urlsplit(text).hostname or ""
    text = text.split("/", 1)[0].removeprefix("www.")
    return text if is_domain(text) else None


def _record(line: int, row: Any, import_id: str, label: str, errors: list[RowError]) -> PersonRecord | None:
    if not isinstance(row, dict):
        errors.append(RowError(line, None, "a row must be an object of column names and values"))
        return None
    v = _clean(row, line, errors)
    if v is None:
        return None
    problems: list[RowError] = []

    def bad(name: str, message: str) -> None:
        problems.append(RowError(line, name, message))

    first, last = v.get("first_name", ""), v.get("last_name", "")
    full = v.get("full_name") or " ".join(p for p in (first, last) if p)
    if not first and not last and full:
        first, last = split_name(full)
    if not full:
        bad("name", "a first and last name, or a full name, is required")
    for name, value, limit in (("first_name", first, 200), ("last_name", last, 200), ("title", v.get("title"), 300)):
        if value and len(value) > limit:
            bad(name, f"at most {limit} characters")
    domain = None
    if v.get("domain"):
        domain = _domain(v["domain"])
        if domain is None:
            bad("company_domain", f"not a company domain or website: {v['domain']}")
    if not v.get("company") and not v.get("domain"):
        bad("company", "a company name or company domain is required")
    email = v.get("email")
    if email and not _EMAIL.match(email):
        bad("email", f"not an email address: {email}")
    linkedin = v.get("linkedin")
    if linkedin and not _LINKEDIN_PERSON.match(linkedin):
        bad("linkedin_url", f"not a LinkedIn profile URL (https://www.linkedin.com/in/<name>): {linkedin}")
    company_slug = None
    if v.get("company_linkedin"):
        m = _LINKEDIN_COMPANY.match(v["company_linkedin"])
        if m is None:
            bad("company_linkedin_url", f"not a LinkedIn company URL: {v['company_linkedin']}")
        else:
            company_slug = m.group(1).lower()
    country = None
    if v.get("country"):
        country = taxonomy.country_code(v["country"])
        if country is None:
            bad("country", f"unknown country: {v['country']}")
    department = seniority = None
    if v.get("department"):
        department = taxonomy.canonical_choice(v["department"], taxonomy.DEPARTMENTS)
        if department is None:
            bad("department", f"unknown department: {v['department']} (one of {', '.join(taxonomy.DEPARTMENTS)})")
    if v.get("seniority"):
        seniority = taxonomy.canonical_choice(v["seniority"], taxonomy.SENIORITY_LEVELS)
        if seniority is None:
            bad("seniority", f"unknown seniority: {v['seniority']} (one of {', '.join(taxonomy.SENIORITY_LEVELS)})")
    if problems:
        errors.extend(problems)
        return None
    location = v.get("location")
    if country is None and location:
        country = taxonomy.country_in_place(location)
    url = f"dossier:import/{import_id}#line={line}"
    quote = ", ".join(x for x in (full, v.get("title"), v.get("company") or domain) if x)
    source_title = f"{label}, line {line}"
    stated = [k for k in ("title", "email", "linkedin", "location", "country") if v.get(k)]
    sources = [Source(k, url, quote, source_title) for k in ("name", *stated)]
    return PersonRecord(
        full_name=full,
        first_name=first,
        last_name=last,
        company=Company(domain, v.get("company"), company_slug),
        roles=[
            Role(
                "employee",
                v.get("title"),
                v.get("team"),
                department,
                seniority,
                [Source("title", url, quote, source_title)],
            )
        ],
        origin="import",
        email=email.lower() if email else None,
        location=location,
        country_code=country,
        linkedin_url=linkedin,
        github_url=v.get("github"),
        x_url=v.get("x"),
        bio=v.get("bio"),
        sources=sources,
    )
