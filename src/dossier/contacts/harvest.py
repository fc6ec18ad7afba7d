"""People and the company profile read from one crawl of a company's site.

Each person comes from the analysis's people (team cards, "Name, Title", "Title: Name") and bylines; their
relation to the company from the page and section they are on (an investors list, a board, advisors, a blog
byline) or their title (founders); profile links only when they sit in the same page element as that person's
name and no other person's; a location only when the line after their card names a country."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from dossier.contacts import structured, taxonomy
from dossier.contacts.records import Company, PersonRecord, Role, Source, split_name
from dossier.research.analysis import Analysis
from dossier.research.analyze.people import announcements, held_elsewhere, hiring_managers
from dossier.research.document import Document
from dossier.research.lexicon import tokens

_LINKEDIN_COMPANY = re.compile(r"^https?://(?:[a-z]{2,3}\.)?linkedin\.com/company/([^/?#\s]+)", re.I)
_PROFILE = {
    "linkedin": re.compile(r"^https?://(?:[a-z]{2,3}\.)?linkedin\.com/in/[^/?#\s]+/?$", re.I),
    "github": re.compile(r"^https?://(?:www\.)?github\.com/[A-Za-z0-9-]+/?$", re.I),
    "x": re.compile(r"^https?://(?:www\.)?(?:x|twitter)\.com/[A-Za-z0-9_]+/?$", re.I),
}
_CONTEXT_RELATIONS = (
    ("investor", re.compile(r"\b(investors?|backed by|backers|funded by|our funders)\b", re.I)),
    ("advisor", re.compile(r"\b(advisors?|advisers?|advisory)\b", re.I)),
    ("board", re.compile(r"\b(board of directors|our board|the board|board)\b", re.I)),
)
_TITLE_RELATIONS = (
    ("founder", re.compile(r"\b(co-?\s?founder|founder|founding partner)\b", re.I)),
    ("investor", re.compile(r"\b(investor|angel|venture partner|general partner)\b", re.I)),
    ("advisor", re.compile(r"\b(advisor|adviser)\b", re.I)),
    ("board", re.compile(r"\b(board member|member of the board|chair(?:man|woman|person)?)\b", re.I)),
)
_MAX_CARD = 600  # characters of text an element may hold and still be one person's card


def company_profile(analysis: Analysis, domain: str) -> Company:
    slugs: Counter[str] = Counter()
    others: dict[str, str] = {}
    for link in analysis.links:
        m = _LINKEDIN_COMPANY.match(link.url)
        if m:
            slugs[m.group(1).lower()] += 1
    home = next((d for d in analysis.pages if urlsplit(d.url).path in ("", "/")), None)
    if home is not None:
        for url, _ in home.links:
            for kind in ("github", "x"):
                if kind not in others and _PROFILE[kind].match(url):
                    others[kind] = url
    name = None
    if home is not None:
        name = home.meta.get("og:site_name") or re.split(r"\s+[|\u2013\u2014-]\s+", home.title or "")[0].strip() or None
    return Company(domain, name, slugs.most_common(1)[0][0] if slugs else None, others or None)


def _headings(analysis: Analysis, doc: Document, quote: str) -> tuple[str, ...]:
    first = quote.splitlines()[0]
    for section in analysis.sections_of(doc):
        if first in section.lines:
            return section.headings
    return ()


def _relation(doc: Document, headings: tuple[str, ...], title: str) -> str:
    for relation, pattern in _TITLE_RELATIONS:
        if pattern.search(title):
            return relation
    # The nearest heading speaks first ("Advisors" under a page titled "Our investors"), the page's path last.
    for context in [*reversed(headings), urlsplit(doc.url).path.replace("-", " ").replace("/", " ")]:
        for relation, pattern in _CONTEXT_RELATIONS:
            if pattern.search(context):
                return relation
    return "employee"


def _cards(doc: Document, names: list[str]) -> dict[str, dict[str, str]]:
    """For each name: the profile links in the smallest element around a link that holds it and no other name."""
    out: dict[str, dict[str, str]] = {}
    if not doc.body or not names:
        return out
    tree = LexborHTMLParser(doc.body)
    root = tree.body
    if root is None:
        return out
    for anchor in root.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        kind = next((k for k, pattern in _PROFILE.items() if pattern.match(href)), None)
        if kind is None:
            continue
        node = anchor.parent
        while node is not None and node.tag not in ("body", "html"):
            text = node.text(separator=" ")
            if len(text) > _MAX_CARD:
                break
            held = [n for n in names if n in text]
            if len(held) > 1:
                break
            if len(held) == 1:
                out.setdefault(held[0], {}).setdefault(kind, href)
                break
            node = node.parent
    return out


def _place_after(doc: Document, quote: str) -> tuple[str, str, str] | None:
    """(place, country code, line) when one of the two lines after a card names a place in a known country."""
    lines = [ln.strip() for ln in doc.text.splitlines()]
    last = quote.splitlines()[-1].strip()
    for i, line in enumerate(lines):
        if line != last:
            continue
        for follow in lines[i + 1 : i + 3]:
            place = re.sub(r"^(based in|located in|\U0001f4cd)\s*", "", follow, flags=re.I).strip()
            code = taxonomy.country_in_place(place) if 0 < len(place) <= 80 and "," in place else None
            if code:
                return place, code, follow
        break
    return None


@dataclass
class _Mention:
    """One person named on one page, whatever way the page names them."""

    name: str
    title: str
    quote: str
    doc: Document
    relation: str | None = None  # None: from the page's headings, path and the title
    since: tuple[str, str] | None = None  # (ISO date, the page's words for it)
    profiles: list[str] = field(default_factory=list)


def _mentions(analysis: Analysis) -> list[_Mention]:
    out = [_Mention(f.value["name"], f.value["title"], f.quote, f.doc) for f in analysis.people]
    out += [_Mention(f.value["name"], f.value["title"], f.quote, f.doc, "author") for f in analysis.bylines]
    out += [_Mention(f.value["name"], f.value["title"], f.quote, f.doc) for f in hiring_managers(analysis.pages)]
    for f in announcements(analysis.pages):
        out.append(_Mention(f.value["name"], f.value["title"], f.quote, f.doc, since=page_date(f.doc, f.quote)))
    for doc in analysis.pages:
        for s in structured.people(doc):
            out.append(_Mention(s.name, s.title or "", s.quote, doc, s.relation, profiles=s.profiles))
    return out


_MONTHS = "january february march april may june july august september october november december".split()
_MONTH_RE = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATES = (
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
    re.compile(rf"\b{_MONTH_RE}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+{_MONTH_RE}\s+(?P<year>(?:19|20)\d\d)\b", re.I),
)


def _date_in(text: str) -> tuple[str, str] | None:
    for pattern in _DATES:
        m = pattern.search(text)
        if m is None:
            continue
        parts = m.groupdict()
        month = (
            int(parts["mnum"])
            if parts.get("mnum")
            else next(i + 1 for i, name in enumerate(_MONTHS) if name.startswith(parts["month"].lower()[:3]))
        )
        day = int(parts["day"])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{int(parts['year']):04d}-{month:02d}-{day:02d}", m.group(0)
    return None


def page_date(doc: Document, quote: str) -> tuple[str, str] | None:
    """When a page says it was published: its publication meta or JSON-LD, else a date in the sentence itself,
    else the first date in its opening lines. (ISO date, the words or markup it was read from)."""
    for key in ("article:published_time", "og:published_time", "datepublished", "date", "dc.date"):
        found = _date_in(doc.meta.get(key, ""))
        if found:
            return found[0], f'<meta property="{key}" content="{doc.meta[key]}">'
    for obj in doc.jsonld:
        value = obj.get("datePublished")
        found = _date_in(value) if isinstance(value, str) else None
        if found:
            return found[0], f'"datePublished": "{value}"'
    found = _date_in(quote)
    if found:
        return found
    for line in doc.text.splitlines()[:15]:
        found = _date_in(line) if len(line) <= 200 else None
        if found:
            return found[0], line.strip()
    return None


_ROLE_OF = re.compile(r"^(?:head|director|vp|vice president|chief|manager|lead|member|team lead)\s+of\s+", re.I)
_DASH_ORG = re.compile(r"\s[-\u2013\u2014|]\s+([A-Z][\w&.-]*)")


def _held_elsewhere(title: str, own: frozenset[str]) -> bool:
    if not title:
        return False
    # "Head of Database" is a function at home: only a title's own organisation ("..., Figma") counts.
    if held_elsewhere(_ROLE_OF.sub("", title), own):
        return True
    m = _DASH_ORG.search(title)
    return m is not None and not set(tokens(m.group(1))) & own and held_elsewhere(f"at {m.group(1)}", own)


# How a site speaks of its own parts: "the YSWS team", "our hardware YSWS programs".
_UNIT = re.compile(
    r"\b([A-Z][\w&-]*)\s+(?:teams?|programs?|programmes?|projects?|initiatives?|departments?|squads?|groups?)\b"
)


def own_units(analysis: Analysis) -> frozenset[str]:
    """The word stems of the teams and programmes a company's pages call their own, so that a title naming one
    ("Chief of Staff, YSWS") is held at home, not at another organisation. A word the site uses as a unit at
    least twice: "the Figma team" in one thank-you note makes no Figma part of the company."""
    seen: Counter[str] = Counter()
    for doc in analysis.pages:
        for m in _UNIT.finditer(doc.text):
            seen[m.group(1)] += 1
    return frozenset(t for word, n in seen.items() if n >= 2 for t in tokens(word))


def _merge_initials(merged: dict[str, PersonRecord]) -> None:
    """ "J. Smith" (a byline) and "Jane Smith" (the team page) of one company's pages are one person when she is
    the only Smith there whose first name starts with J; with a John Smith too, "J. Smith" stays apart (which of
    them wrote it is not known). Only one crawl's people are compared here: never people of other companies."""
    for key, record in list(merged.items()):
        initial = taxonomy.initial_of(record.first_name)
        if initial is None:
            continue
        last = taxonomy.fold(record.last_name)
        fits = [
            r
            for k, r in merged.items()
            if k != key
            and taxonomy.initial_of(r.first_name) is None
            and taxonomy.fold(r.last_name) == last
            and taxonomy.fold(r.first_name).startswith(initial)
        ]
        if len(fits) != 1:
            continue
        person = fits[0]
        for role in record.roles:
            same = next((r for r in person.roles if r.relation == role.relation), None)
            if same is None:
                person.roles.append(role)
            else:
                same.sources.extend(role.sources)
                same.title = same.title or role.title
                same.team = same.team or role.team
                same.since = same.since or role.since
        for attr in ("linkedin_url", "github_url", "x_url", "location", "country_code", "email"):
            if getattr(person, attr) is None and getattr(record, attr) is not None:
                setattr(person, attr, getattr(record, attr))
        # The page's words for their name stay on record ("By J. Smith"), beside those that name them in full.
        person.sources.extend(record.sources)
        del merged[key]


def people_of(analysis: Analysis, domain: str) -> tuple[Company, list[PersonRecord]]:
    """The company's profile and everyone its pages name with a role or as an author."""
    company = company_profile(analysis, domain)
    own = frozenset(tokens(f"{company.name or ''} {domain.split('.')[0]}")) | own_units(analysis)
    mentions = _mentions(analysis)
    by_doc: dict[str, list[str]] = {}
    for m in mentions:
        by_doc.setdefault(m.doc.snapshot_id, []).append(m.name)
    cards = {d.snapshot_id: _cards(d, by_doc.get(d.snapshot_id, [])) for d in analysis.pages if d.snapshot_id in by_doc}
    merged: dict[str, PersonRecord] = {}
    for m in mentions:
        name, title, doc = m.name, m.title, m.doc
        headings = _headings(analysis, doc, m.quote)
        relation = m.relation or _relation(doc, headings, title)
        if relation == "employee" and m.relation and title:
            relation = _relation(doc, (), title)  # a founder's JSON-LD `employee` entry still says founder
        if relation in ("employee", "founder", "author") and _held_elsewhere(title, own):
            # "Co-founder, Figma" on a donors page, "VP of Engineering - KnowBe4" under a testimonial: a role
            # held elsewhere makes nobody the company's own (investors and advisors hold theirs elsewhere).
            continue
        source = Source("title" if title else "relation", doc.url, m.quote, doc.title or None, doc.snapshot_id)
        team = next((h for h in reversed(headings) if taxonomy.department_of(h) and len(h.split()) <= 4), None)
        role = Role(relation, title or None, team, sources=[source])
        if m.since is not None:
            role.since = m.since[0]
            role.sources.append(Source("since", doc.url, m.since[1], doc.title or None, doc.snapshot_id))
        key = taxonomy.fold(name)
        record = merged.get(key)
        if record is None:
            first, last = split_name(name)
            record = PersonRecord(name, first, last, company, [], "crawl")
            record.sources.append(Source("name", doc.url, m.quote, doc.title or None, doc.snapshot_id))
            merged[key] = record
        same = next((r for r in record.roles if r.relation == relation), None)
        if same is None:
            record.roles.append(role)
        else:
            same.sources.extend(role.sources)
            same.title = same.title or role.title
            same.team = same.team or role.team
            same.since = same.since or role.since
        links = dict(cards.get(doc.snapshot_id, {}).get(name, {}))
        for url in m.profiles:
            kind = next((k for k, pattern in _PROFILE.items() if pattern.match(url)), None)
            if kind is not None:
                links.setdefault(kind, url)
        for kind, url in links.items():
            attr = {"linkedin": "linkedin_url", "github": "github_url", "x": "x_url"}[kind]
            if getattr(record, attr) is None:
                setattr(record, attr, url)
                record.sources.append(Source(kind, doc.url, f"{name}: {url}", doc.title or None, doc.snapshot_id))
        if record.country_code is None:
            place = _place_after(doc, m.quote)
            if place is not None:
                record.location, record.country_code = place[0], place[1]
                record.sources.append(Source("location", doc.url, place[2], doc.title or None, doc.snapshot_id))
    _merge_initials(merged)
    # Someone on the team page who also writes the blog is an employee who is an author, not only an author.
    for record in merged.values():
        if len(record.roles) > 1 and any(r.relation != "author" for r in record.roles):
            record.roles = [r for r in record.roles if r.relation != "author"] + [
                r for r in record.roles if r.relation == "author"
            ]
    return company, list(merged.values())
