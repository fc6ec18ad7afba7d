"""Job postings: from the job boards' APIs (Greenhouse, Lever, Ashby) when the crawl found one, else the role
titles listed on careers pages. Each finding quotes its snapshot verbatim."""

from __future__ import annotations

import re
from typing import Any

from dossier.research.document import Document
from dossier.research.evidence import Finding
from dossier.research.index import boilerplate_lines

ROLE_WORDS = re.compile(
    r"\b(manager|engineer|specialist|representative|analyst|designer|developer|executive|partner|planner|"
    r"associate|lead|director|scientist|officer|coordinator|consultant|architect|administrator|head of|"
    r"recruiter|marketer|writer|intern|technician|operator|nurse|counsel|accountant|strategist|sdr|bdr)\b",
    re.I,
)


def jobs(docs: list[Document]) -> list[Finding]:
    """Open positions: from job-board API snapshots when the careers page links one, else the short role-like
    lines of careers pages."""
    out: list[Finding] = []
    for doc in docs:
        if doc.kind == "jobboard" and doc.data is not None:
            out += _board_jobs(doc)
    if out:
        return out
    boiler = boilerplate_lines(docs)
    seen: set[str] = set()  # one posting is listed on the careers page and again on its own page
    for doc in docs:
        if doc.kind != "page" or not re.search(r"/(careers|jobs|join|work-with-us|openings)", doc.path):
            continue
        roles = [line for line in dict.fromkeys(doc.text.splitlines()) if line not in boiler and _role_line(line)]
        # A posting's own page names its role in its title; its other role-like lines ("Role: Frontend
        # Engineer", "Developer tooling") describe that one posting.
        own = [line for line in roles if line in doc.title]
        for line in own or roles:
            if line.casefold() in seen:
                continue
            seen.add(line.casefold())
            out.append(Finding("job", {"title": line, "department": None, "location": None}, line, doc, 0.7))
    return out


def _role_line(line: str) -> bool:
    if len(line) > 80 or len(line.split()) > 9 or not line[:1].isupper():
        return False
    if line.endswith((".", "?", "!", ":")) or ": " in line:  # a sentence, a heading over a list, a label
        return False
    return bool(ROLE_WORDS.search(line))


def _board_jobs(doc: Document) -> list[Finding]:
    data = doc.data
    items = data.get("jobs", []) if isinstance(data, dict) else data if isinstance(data, list) else []
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        title = item.get("title") or item.get("text")
        if not isinstance(title, str) or title not in doc.body:
            continue
        dept = None
        location = None
        if isinstance(item.get("departments"), list) and item["departments"]:
            dept = (item["departments"][0] or {}).get("name")
        cats: dict[str, Any] = item["categories"] if isinstance(item.get("categories"), dict) else {}
        dept = dept or item.get("department") or cats.get("department") or cats.get("team") or item.get("team")
        loc = item.get("location")
        location = loc.get("name") if isinstance(loc, dict) else loc or cats.get("location")
        out.append(Finding("job", {"title": title, "department": dept, "location": location}, title, doc, 0.95))
    return out
