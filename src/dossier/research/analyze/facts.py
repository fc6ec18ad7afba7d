"""Extractors for the facts go-to-market questions are about. Every finding quotes its document verbatim."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlsplit

from dossier.research.analyze.text import MONEY, YEAR, boilerplate_lines, money_values, sentences, to_number
from dossier.research.document import Document
from dossier.research.evidence import Finding

# --- jobs -----------------------------------------------------------------------------------------------------

ROLE_WORDS = re.compile(
    r"\b(manager|engineer|specialist|representative|analyst|designer|developer|executive|partner|planner|"
    r"associate|lead|director|scientist|officer|coordinator|consultant|architect|administrator|head of|"
    r"recruiter|marketer|writer|intern|technician|operator|nurse|counsel|accountant|strategist|sdr|bdr)\b",
    re.I,
)
NOT_HIRING = re.compile(
    r"(not (currently )?hiring|no open (roles|positions|jobs)|aren't hiring|are not hiring|no current openings)", re.I
)


def jobs(docs: list[Document], domain: str) -> list[Finding]:
    out: list[Finding] = []
    for doc in docs:
        if doc.kind == "jobboard" and doc.data is not None:
            out += _board_jobs(doc)
    if out:
        return out
    boiler = boilerplate_lines(docs)
    for doc in docs:
        if doc.kind != "page" or not re.search(r"/(careers|jobs|join|work-with-us|openings)", doc.path):
            continue
        seen = set()
        for line in doc.text.splitlines():
            if line in boiler or line in seen or len(line) > 80 or len(line.split()) > 9:
                continue
            if ROLE_WORDS.search(line) and line[:1].isupper() and not line.endswith((".", "?", "!", ":")):
                seen.add(line)
                out.append(Finding("job", {"title": line, "department": None, "location": None}, line, doc, 0.7))
    return out


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


def not_hiring(docs: list[Document]) -> list[Finding]:
    out = []
    for doc in docs:
        if doc.kind != "page":
            continue
        for s in sentences(doc.text):
            if NOT_HIRING.search(s):
                out.append(Finding("not_hiring", True, s, doc, 0.85))
    return out


# --- headcount, founded, location -------------------------------------------------------------------------------

_HEADCOUNT = [
    re.compile(
        r"(?:team|company|staff|workforce) of (?:about |around |over |more than |nearly )?(?P<n>\d[\d,]*)\+?", re.I
    ),
    re.compile(
        r"(?P<n>\d[\d,]*)\+?\s+(?:full-time\s+)?(?:employees|people|team members|staff|colleagues|teammates|"
        r"employees worldwide)",
        re.I,
    ),
    re.compile(r"(?:employs|employing) (?:about |around |over |more than |nearly )?(?P<n>\d[\d,]*)", re.I),
]
_HEADCOUNT_BAD = re.compile(
    r"customer|user|developer|client|patient|brand|compan|engineer|countr|cit(y|ies)|clinic", re.I
)


def headcount(docs: list[Document]) -> list[Finding]:
    out = []
    for doc in docs:
        if doc.kind != "page":
            continue
        for s in sentences(doc.text):
            for pattern in _HEADCOUNT:
                m = pattern.search(s)
                if not m:
                    continue
                window = s[max(0, m.start() - 25) : m.end() + 5]
                tail = s[m.end() : m.end() + 25]
                if _HEADCOUNT_BAD.search(tail) and "people" not in m.group(0).lower():
                    continue
                if _HEADCOUNT_BAD.search(m.group(0)):
                    continue
                n = to_number(m.group("n"))
                if 1 < n < 2_000_000 and not YEAR.fullmatch(m.group("n")):
                    strength = 0.9 if re.search(r"employ|team|people|staff", window, re.I) else 0.6
                    out.append(Finding("headcount", n, s, doc, strength))
                break
    return out


_FOUNDED = re.compile(
    r"(?:founded|established|started|launched|incorporated|since)\b[^.]{0,40}?\b(19[5-9]\d|20[0-4]\d)\b", re.I
)


def founded(docs: list[Document]) -> list[Finding]:
    out = []
    for doc in docs:
        if doc.kind != "page":
            continue
        for s in sentences(doc.text):
            m = _FOUNDED.search(s)
            if m:
                # "founded"/"established" say when the company began; "launched"/"since" may be about anything.
                direct = re.match(r"(founded|established|incorporated)", m.group(0), re.I)
                out.append(Finding("founded", int(m.group(1)), s, doc, 0.85 if direct else 0.7))
    return out


_HQ = [
    re.compile(
        r"headquarter(?:ed|s)(?: is| are)?(?: located)? in (?P<place>[A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+)*"
        r"(?:, [A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+)*)?)"
    ),
    re.compile(
        r"\bHQ(?: is)?(?: in|:| —| -)\s*(?P<place>[A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+)*"
        r"(?:, [A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+)*)?)"
    ),
    re.compile(
        r"\bbased in (?P<place>[A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+)*(?:, [A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+)*)?)"
    ),
]


def headquarters(docs: list[Document]) -> list[Finding]:
    out = []
    for doc in docs:
        if doc.kind != "page":
            continue
        for s in sentences(doc.text):
            for i, pattern in enumerate(_HQ):
                m = pattern.search(s)
                if m:
                    out.append(Finding("headquarters", m.group("place").strip().rstrip("."), s, doc, 0.9 - 0.15 * i))
                    break
    return out


_POSTAL = [
    # "10115 Berlin, Germany", "75002 Paris"
    re.compile(r"\b\d{4,5} (?P<city>[A-Z][a-z\u00e0-\u00ff]+(?:[ -][A-Z][a-z\u00e0-\u00ff]+)?)(?:,| \u00b7|$)"),
    # "Pittsburgh, PA 15222"
    re.compile(r"(?P<city>[A-Z][a-z]+(?: [A-Z][a-z]+)?), [A-Z]{2} \d{5}\b"),
]


def postal_city(docs: list[Document]) -> list[Finding]:
    """The city of the company's postal address (footer, imprint, JSON-LD): weaker than a stated headquarters."""
    out = []
    for doc in docs:
        if doc.kind != "page":
            continue
        for item in doc.jsonld:
            address = item.get("address") if isinstance(item, dict) else None
            city = address.get("addressLocality") if isinstance(address, dict) else None
            if isinstance(city, str) and city:
                raw = re.search(r'"addressLocality"\s*:\s*"' + re.escape(city) + '"', doc.body)
                if raw:
                    out.append(Finding("headquarters", city, raw.group(0), doc, 0.7))
        for line in doc.text.splitlines():
            if not re.search(r"\u00a9|\(c\)|registered|address", line, re.I):
                continue
            for pattern in _POSTAL:
                m = pattern.search(line)
                if m:
                    out.append(Finding("headquarters", m.group("city"), line, doc, 0.6))
                    break
    return out


# --- money: funding and pricing ---------------------------------------------------------------------------------

_FUNDING = re.compile(r"\b(raised?|raising|funding|financing|round|investment|led by|seed|series [a-h])\b", re.I)
STAGE = re.compile(r"\b(pre-seed|seed|series [a-h])\b", re.I)
_LED_BY = re.compile(r"led by (?P<who>[A-Z][\w&.'-]*(?: (?:[A-Z][\w&.'-]*|&|and|of))*)")


_TOTAL_BEFORE = re.compile(
    r"\b(total(?: funding| raised| capital)?|in all|altogether|brings?\b[^$€£]{0,40}\bto)\s*(of\s*)?$", re.I
)
_TOTAL_AFTER = re.compile(r"^\s*(to date|in total|in (total )?funding to date|so far|overall)\b", re.I)
_FUNDING_YEAR = re.compile(
    r"\b(?i:in|since|during)\s+(?:(?:early|late|mid-)\s*)?(?:[A-Z][a-z]+\s+)?(19[5-9]\d|20[0-4]\d)\b"
)


def funding(docs: list[Document]) -> list[Finding]:
    """Rounds and totals: value = {"value", "currency", "stage", "lead", "year", "total"}.

    A sentence can name several rounds ("a $42 million Series B in 2021, a $12 million Series A in 2018"):
    each amount owns the text up to the next amount, and takes its stage, year and lead investor from there.
    An amount described as raised "to date" or as "total funding" is a total, not a round.
    """
    out = _funding_table_rows(docs)
    for doc in docs:
        if doc.kind != "page":
            continue
        for s in sentences(doc.text):
            if not _FUNDING.search(s) or " | " in s:  # a table row is read by _funding_table_rows
                continue
            spans = [m for m in MONEY.finditer(s)]
            values = money_values(s)
            amounts = [(m, v) for m, v in zip(spans, values, strict=True) if v[0] >= 100_000]
            for k, (m, (value, code, _)) in enumerate(amounts):
                seg_end = amounts[k + 1][0].start() if k + 1 < len(amounts) else len(s)
                segment = s[m.end() : seg_end]
                prefix = s[amounts[k - 1][0].end() if k else 0 : m.start()]
                total = bool(_TOTAL_BEFORE.search(prefix) or _TOTAL_AFTER.search(segment))
                stage = STAGE.search(segment[:40]) or (STAGE.search(prefix[-25:]) if not k else None)
                if stage is None and len(amounts) == 1:
                    stage = STAGE.search(s)
                led = _LED_BY.search(segment) or (_LED_BY.search(s) if len(amounts) == 1 and not total else None)
                year = _FUNDING_YEAR.search(segment) or (_FUNDING_YEAR.search(prefix) if not k else None)
                out.append(
                    Finding(
                        "funding",
                        {
                            "value": value,
                            "currency": code,
                            "stage": _stage_name(stage.group(1)) if stage else None,
                            "lead": led.group("who").strip().rstrip(".,;") if led else None,
                            "year": int(year.group(1)) if year else None,
                            "total": total,
                        },
                        s,
                        doc,
                        0.9 if not total else 0.85,
                    )
                )
    return out


def _funding_table_rows(docs: list[Document]) -> list[Finding]:
    """Rounds laid out as a table: a row per round ("Series B" | "2020" | "$52M" | "Example Ventures")."""
    from dossier.research.analyze import structure  # structure parses HTML; only tables need it

    out = []
    for doc in docs:
        if doc.kind != "page" or "<table" not in doc.body:
            continue
        rows: dict[str, dict[str, Any]] = {}
        for e in structure.entries(doc):
            stage = STAGE.fullmatch(e.label.strip())
            if not stage or not e.column:
                continue
            row = rows.setdefault(e.quote, {"stage": _stage_name(stage.group(1)), "lead": None, "year": None})
            col = e.column.lower()
            if re.search(r"amount|raised|size|funding", col):
                money = money_values(e.value)
                if money:
                    row["value"], row["currency"] = money[0][0], money[0][1]
            elif re.search(r"year|date|closed", col):
                year = YEAR.search(e.value)
                row["year"] = int(year.group(1)) if year else None
            elif re.search(r"\bled\b|lead", col) and e.value and e.value[:1].isupper():
                row["lead"] = e.value
        for quote, row in rows.items():
            if "value" in row and row["value"] >= 100_000:
                value = {**row, "total": False}
                out.append(Finding("funding", value, quote, doc, 0.85))
    return out


_DATELINE = re.compile(
    r"^(?:(?:Published|Posted|Updated|Date)[: ]+)?(?:[A-Z][a-z]{2,8}\.? \d{1,2}, (19[5-9]\d|20[0-4]\d)|\d{1,2} [A-Z][a-z]{2,8} (19[5-9]\d|20[0-4]\d))$"
)


def dateline(doc: Document) -> tuple[int, str] | None:
    """(year, line) of the first line of a page that is just a date ("April 16, 2024"): a press release's date."""
    for line in doc.text.splitlines():
        m = _DATELINE.match(line.strip())
        if m:
            return int(m.group(1) or m.group(2)), line
    return None


def _stage_name(text: str) -> str:
    t = text.lower()
    if t == "pre-seed":
        return "Pre-seed"
    if t == "seed":
        return "Seed"
    return "Series " + t.split()[-1].upper()


_PER_MONTH = re.compile(r"(/\s?mo(nth)?\b|per month|a month|monthly|/\s?user|per (user|seat|patient))", re.I)
_PRICE_LINE = re.compile(r"[$€£]\s?\d")


def pricing(docs: list[Document]) -> list[Finding]:
    """Plans with a price, from pricing/plans pages: value = {"plan", "value", "currency", "monthly"}."""
    out = []
    boiler = boilerplate_lines(docs)
    for doc in docs:
        if doc.kind != "page" or not re.search(r"pric|plans", doc.path, re.I):
            continue
        lines = [ln for ln in doc.text.splitlines() if ln not in boiler]
        for i, line in enumerate(lines):
            if not _PRICE_LINE.search(line):
                continue
            values = money_values(line)
            if not values:
                continue
            value, code, _ = values[0]
            context = " ".join(lines[i : i + 2])
            # A price standing on its own line is a plan's price; one inside a sentence is usually an add-on,
            # a discount or an example ("add monitors in packs of 50 for $20 per month").
            standalone = len(line) <= 30 and not line.endswith(".")
            plan = _plan_name(lines, i) if standalone else None
            quote = line if plan is None else None
            if plan is not None:
                block = "\n".join(lines[lines.index(plan, max(0, i - 4)) : i + 1])
                quote = block if block in doc.text else line
            out.append(
                Finding(
                    "price",
                    {
                        "plan": plan,
                        "value": value,
                        "currency": code,
                        "monthly": bool(_PER_MONTH.search(context)) or "/" in line,
                        "standalone": standalone,
                    },
                    quote or line,
                    doc,
                    0.85 if standalone else 0.6,
                )
            )
    return out


def _plan_name(lines: list[str], i: int) -> str | None:
    for j in range(i - 1, max(-1, i - 4), -1):
        cand = lines[j]
        if (
            1 <= len(cand.split()) <= 3
            and cand[:1].isupper()
            and not _PRICE_LINE.search(cand)
            and not cand.endswith(".")
        ):
            return cand
    return None


COMPLIANCE = {
    "SOC 2": re.compile(r"\bSOC ?2\b(?: Type (?:II|2|I|1)\b)?", re.I),
    "ISO 27001": re.compile(r"\bISO(?:/IEC)? ?27001\b", re.I),
    "ISO 27701": re.compile(r"\bISO(?:/IEC)? ?27701\b", re.I),
    "ISO 9001": re.compile(r"\bISO ?9001\b", re.I),
    "ISO 14001": re.compile(r"\bISO ?14001\b", re.I),
    "ISO 13485": re.compile(r"\bISO ?13485\b", re.I),
    "ISO 22301": re.compile(r"\bISO(?:/IEC)? ?22301\b", re.I),
    "ISO 45001": re.compile(r"\bISO ?45001\b", re.I),
    "AEO": re.compile(r"\bAEO(?:-[CFS])?\b|\bAuthori[sz]ed Economic Operator\b"),
    "HITRUST": re.compile(r"\bHITRUST\b"),
    "TISAX": re.compile(r"\bTISAX\b"),
    "Cyber Essentials": re.compile(r"\bCyber Essentials(?: Plus)?\b"),
    "GDPR": re.compile(r"\bGDPR\b"),
    "HIPAA": re.compile(r"\bHIPAA\b"),
    "PCI DSS": re.compile(r"\bPCI(?:[ -]DSS)?\b"),
    "CCPA": re.compile(r"\bCCPA\b"),
    "FedRAMP": re.compile(r"\bFedRAMP\b"),
    "GDP": re.compile(r"\bGDP\b(?! growth)"),
}
STANDARD_ID = re.compile(
    r"\b(?:ISO(?:/IEC)?|IEC|EN|ANSI(?:/[A-Z]+)?|UL|ASTM|NFPA|IEEE|BS|DIN|CSA|SAE)\s?[A-Z]{0,2}\d+(?:[.-]\d+)*(?:-\d+)?\b"
)


def standards_runs(docs: list[Document]) -> list[tuple[list[str], str, str, Document]]:
    """Runs of consecutive lines naming standards by number ("ISO 3691-4", "UL 3100"):
    (identifiers, the line before the run, the run's lines, document)."""
    out = []
    for doc in docs:
        if doc.kind != "page":
            continue
        lines = doc.text.splitlines()
        i = 0
        while i < len(lines):
            if not STANDARD_ID.search(lines[i]):
                i += 1
                continue
            j = i + 1
            # A list of standards puts one at the start of each entry; a sentence naming some stands alone.
            if STANDARD_ID.match(lines[i]):
                while j < len(lines) and STANDARD_ID.match(lines[j]):
                    j += 1
            ids: list[str] = []
            for line in lines[i:j]:
                for m in STANDARD_ID.finditer(line):
                    if m.group(0) not in ids:
                        ids.append(m.group(0))
            out.append((ids, lines[i - 1] if i else "", "\n".join(lines[i:j]), doc))
            i = j
    return out


REGULATIONS = frozenset({"GDPR", "CCPA", "HIPAA"})  # laws one complies with, not certificates one holds
_NEGATION = re.compile(
    # "n't" has no word boundary before it ("don't"), so it is matched on its own.
    r"(\b(not|no|never|neither|nor|without|yet to)\b|n[\u2019']t\b)",
    re.I,
)


def _labelled_sentences(text: str) -> list[str]:
    """Sentences, with a short 'Label:' line joined to the line that states its value ("SOC 2 Type II:\nnot yet")."""
    lines = text.splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        if line.endswith(":") and len(line) <= 40 and i + 1 < len(lines):
            nxt = next(iter(sentences(lines[i + 1])), "")
            if nxt:
                out.append(f"{line}\n{nxt}")
                continue
        out += list(sentences(line))
    return out


def compliance(docs: list[Document]) -> list[Finding]:
    """value = (standard, positive: bool, detail) — detail like 'Type II'."""
    out = []
    for doc in docs:
        if doc.kind != "page":
            continue
        for s in _labelled_sentences(doc.text):
            for name, pattern in COMPLIANCE.items():
                m = pattern.search(s)
                if not m:
                    continue
                before = s[max(0, m.start() - 60) : m.start()]
                after = s[m.end() : m.end() + 20]
                negative = bool(_NEGATION.search(before)) or bool(
                    re.search(r"\bnot\b|^:?\s*(no|none|n/a|planned|in progress)\b", after, re.I)
                )
                detail = m.group(0)
                out.append(Finding("compliance", (name, not negative, detail), s, doc, 0.85))
    return out


# --- links: socials and key pages ---------------------------------------------------------------------------------

SOCIAL = {
    "linkedin": re.compile(r"^https?://([a-z]+\.)?linkedin\.com/company/[^/?#]+/?$", re.I),
    "twitter": re.compile(r"^https?://(www\.)?(twitter|x)\.com/[^/?#]+/?$", re.I),
    "github": re.compile(r"^https?://(www\.)?github\.com/[^/?#]+/?$", re.I),
    "facebook": re.compile(r"^https?://(www\.)?facebook\.com/[^/?#]+/?$", re.I),
    "instagram": re.compile(r"^https?://(www\.)?instagram\.com/[^/?#]+/?$", re.I),
    "youtube": re.compile(r"^https?://(www\.)?youtube\.com/", re.I),
    "tiktok": re.compile(r"^https?://(www\.)?tiktok\.com/", re.I),
    "pinterest": re.compile(r"^https?://(www\.)?pinterest\.com/", re.I),
}
PAGES = {
    "careers": re.compile(r"/(careers|jobs|join-us|work-with-us)/?$", re.I),
    "pricing": re.compile(r"/(pricing|plans)/?$", re.I),
    "contact": re.compile(r"/(contact|contact-us)/?$", re.I),
    "about": re.compile(r"/(about|about-us|company)/?$", re.I),
    "security": re.compile(r"/(security|trust|compliance)/?$", re.I),
    "blog": re.compile(r"/(blog|news|press|newsroom)/?$", re.I),
    "team": re.compile(r"/(team|leadership|about/team|people)/?$", re.I),
    "integrations": re.compile(r"/(integrations|partners|apps)/?$", re.I),
    "customers": re.compile(r"/(customers|case-studies|clients|work)/?$", re.I),
    "docs": re.compile(r"/(docs|documentation)/?$", re.I),
}


# What a link's own words say its page is, when its path does not ("Join us" → /join).
ANCHORS = {
    "careers": re.compile(
        r"^(careers?|jobs|join us|join the team|join our team|open (roles|positions|jobs)|see open (roles|jobs|positions)|"
        r"work with us|we're hiring|we are hiring|vacancies|current openings)$",
        re.I,
    ),
    "pricing": re.compile(r"^(pricing|plans( (and|&) pricing)?|see (pricing|plans))$", re.I),
    "contact": re.compile(r"^(contact( us)?|get in touch)$", re.I),
    "about": re.compile(r"^(about( us)?|our story|who we are)$", re.I),
    "security": re.compile(r"^(security|trust( center)?|safety (and|&) trust|security (and|&) trust)$", re.I),
    "team": re.compile(r"^(team|our team|leadership|(meet )?the (leadership )?team|meet the leadership team)$", re.I),
    "integrations": re.compile(r"^(integrations?( (and|&) partners)?|apps|marketplace)$", re.I),
    "customers": re.compile(r"^(customers|customer stories|client stories|case studies|clients|our work)$", re.I),
}


def links(docs: list[Document], domain: str) -> list[Finding]:
    out = []
    for doc in docs:
        if doc.kind != "page":
            continue
        for url, anchor_text in doc.links:
            for name, pattern in SOCIAL.items():
                if pattern.search(url):
                    raw = _raw_href(doc, url)
                    if raw:
                        out.append(Finding("social", url.rstrip("/"), raw, doc, 0.9, name))
            host = (urlsplit(url).hostname or "").lower()
            if host.removeprefix("www.") == domain.removeprefix("www."):
                by_path = set()
                for name, pattern in PAGES.items():
                    if pattern.search(urlsplit(url).path):
                        raw = _raw_href(doc, url)
                        if raw:
                            by_path.add(name)
                            out.append(Finding("page_url", url.rstrip("/"), raw, doc, 0.85, name))
                anchor = anchor_text.strip().rstrip(".→ ").strip()
                if "#" in url or not anchor:
                    continue
                for name, pattern in ANCHORS.items():
                    if name not in by_path and pattern.match(anchor) and anchor in doc.text:
                        raw = _raw_href(doc, url)
                        if raw:
                            m = re.search(r"<a\b[^>]*" + re.escape(raw) + r"[^>]*>\s*" + re.escape(anchor), doc.body)
                            out.append(Finding("page_url", url.rstrip("/"), m.group(0) if m else raw, doc, 0.8, name))
    # A page that was itself fetched at such a path is even better evidence.
    for doc in docs:
        if doc.kind == "page":
            for name, pattern in PAGES.items():
                if pattern.search(doc.path) and doc.title and doc.title in doc.body:
                    out.append(Finding("page_url", doc.url.rstrip("/"), doc.title, doc, 0.9, name))
    return out


def _raw_href(doc: Document, absolute: str) -> str | None:
    parts = urlsplit(absolute)
    for cand in (absolute, absolute.rstrip("/"), parts.path, parts.path.rstrip("/")):
        if cand and f'href="{cand}"' in doc.body:
            return f'href="{cand}"'
    return None


# --- people -------------------------------------------------------------------------------------------------------

TITLE = re.compile(
    r"\b(chief [a-z ]+ officer|ceo|cto|cfo|coo|cro|cmo|cpo|ciso|vp\b[^\n]*|vice president[^\n]*|head of [^\n]+|"
    r"director[^\n]*|founder|co-founder|president|general counsel|chairman)",
    re.I,
)
_NAME = re.compile(
    r"^(Dr\. )?[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?(?: [A-Z]\.)?"
    r"(?:(?: (?:de|van|von|der|den|da|di|du|del|la|le|ten|ter|bin|al))*(?: [A-Z][a-zA-Z'-]+)){1,2}(?:, (?:MD|PhD))?$"
)


_PERSON = r"[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?(?: (?:de|van|von|der|den|da|di|du|del|la|le))*(?: [A-Z][a-zA-Z'-]+){1,2}"
_FOUNDED_BY = re.compile(
    r"\b(?:co-?)?founded\b[^.;]{0,30}?\bby (?P<names>" + _PERSON + r"(?:(?:,| and|, and) " + _PERSON + r")*)"
)


def people(docs: list[Document]) -> list[Finding]:
    """value = {"name", "title"}; from 'Name' / 'Title' line pairs and 'Name, Title' lines."""
    out = []
    for doc in docs:
        if doc.kind != "page":
            continue
        lines = doc.text.splitlines()
        for i, line in enumerate(lines):
            name = line.strip()
            if _NAME.match(name) and i + 1 < len(lines):
                title = lines[i + 1].strip()
                if len(title) > 80 and title.startswith(("\u2014", "\u2013", "-")):
                    title = title.split(". ", 1)[0]  # "— Founder & Managing Director. Isla spent eight years…"
                if len(title) <= 80 and TITLE.search(title):
                    out.append(Finding("person", {"name": name, "title": title}, f"{line}\n{lines[i + 1]}", doc, 0.9))
                    continue
            for s in sentences(line):
                for fm in _FOUNDED_BY.finditer(s):
                    for who in re.split(r",\s*(?:and\s+)?|\s+and\s+", fm.group("names")):
                        who = who.strip()
                        if _NAME.match(who):
                            out.append(Finding("person", {"name": who, "title": "Co-founder"}, s, doc, 0.8))
            m = re.match(
                r"^(?P<name>[A-Z][a-z]+(?: [A-Z][a-zA-Z'-]+){1,2})(?:, | \u2014 | - | \u2013 )(?P<title>.{2,80})$", name
            )
            if m and TITLE.search(m.group("title")):
                out.append(Finding("person", {"name": m.group("name"), "title": m.group("title")}, line, doc, 0.85))
    return out


# --- lists on dedicated pages: customers, integrations ----------------------------------------------------------

_GENERIC = re.compile(
    r"^(learn more|read more|read the story|view all|see all|contact|get started|book a demo|"
    r"start free|sign up|log in|request a demo|talk to sales|case study|customer story)$",
    re.I,
)


def named_items(docs: list[Document], page_pattern: str) -> list[Finding]:
    """Short capitalised lines (names) on pages whose path matches, minus navigation and footers."""
    boiler = boilerplate_lines(docs)
    out = []
    seen: set[str] = set()
    for doc in docs:
        if doc.kind != "page" or not re.search(page_pattern, doc.path, re.I):
            continue
        for line in doc.text.splitlines():
            s = line.strip()
            if (
                s in boiler
                or s in seen
                or not s[:1].isupper()
                or len(s.split()) > 4
                or len(s) < 2
                or s.endswith((".", ":", "?", "!"))
                or _GENERIC.match(s)
                or re.search(r"\d", s)
            ):
                continue
            seen.add(s)
            out.append(Finding("item", s, s, doc, 0.6))
        for alt in re.findall(r'<img[^>]+alt="([^"]{2,60})"', doc.body):
            name = re.sub(r"\s+logo$", "", html.unescape(alt).strip(), flags=re.I)
            if name and name not in seen and name[:1].isupper() and len(name.split()) <= 5:
                seen.add(name)
                out.append(Finding("item", name, f'alt="{alt}"', doc, 0.75))
    return out


# --- shop products ------------------------------------------------------------------------------------------------

_PRODUCT_PATH = re.compile(r"/(products?|shop|store|item)/[^/]+/?$", re.I)
_SALE = re.compile(r"\b(sale price|now)\b", re.I)


def products(docs: list[Document]) -> list[Finding]:
    """Products on their own shop pages: value = {"name", "value", "currency"}; quotes the name and price lines.

    The name is the page's main heading (or its title before the site name); the price is the first amount
    of money in the few lines below the name (a sale price wins over the regular price it replaces).
    """
    out = []
    for doc in docs:
        if doc.kind != "page":
            continue
        is_product = bool(_PRODUCT_PATH.search(doc.path)) or doc.meta.get("og:type", "").lower() == "product"
        if not is_product:
            continue
        name = re.split(r"\s+[|\u2013\u2014-]\s+", doc.title)[0].strip() if doc.title else ""
        lines = doc.text.splitlines()
        if name not in lines:
            continue
        i = lines.index(name)
        window = lines[i : i + 6]
        priced = [(j, money_values(ln)) for j, ln in enumerate(window) if money_values(ln)]
        if not priced:
            continue
        j, values = priced[0]
        for k, vals in priced:
            if _SALE.search(window[k - 1] if k else "") or _SALE.search(window[k]):
                j, values = k, vals
                break
        value, code, _ = values[0]
        quote = "\n".join(window[: j + 1])
        out.append(Finding("product", {"name": name, "value": value, "currency": code}, quote, doc, 0.85))
    return out


_INCORPORATED = [
    re.compile(
        r"\bincorporated (?:in|under the laws of) (?:the (?:State|Commonwealth|Province) of )?(?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
    ),
    re.compile(
        r"\ban? (?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:corporation|limited liability company|LLC|C-corp\w*|public benefit corporation)\b"
    ),
]


def incorporation(docs: list[Document]) -> list[Finding]:
    """Where the company is incorporated ("incorporated in Delaware", "a Delaware corporation")."""
    out = []
    for doc in docs:
        if doc.kind != "page":
            continue
        for s in sentences(doc.text):
            for i, pattern in enumerate(_INCORPORATED):
                m = pattern.search(s)
                if m:
                    out.append(Finding("incorporation", m.group("place"), s, doc, 0.85 - 0.05 * i))
                    break
    return out
