"""A contact research report read from the pages that name one person: their company's crawled pages and,
when one was given, their own profile page (a personal site, GitHub, a speaker page; never LinkedIn).

Every value in the report comes from a line of a stored page that names the person, or from the lines of
their own card or bio that follow such a line, and every one is kept with that quote (`evidence`). A page
that names a namesake (someone of the same name) is never read here: only the company's own pages and a
profile page that names both the person and their company are. What no page states is left empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dossier.research.analysis import Analysis
from dossier.research.analyze.names import PersonName, first_name_forms, fold
from dossier.research.analyze.people import bylines
from dossier.research.document import Document
from dossier.research.read.entities import persons

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july", "aug august",
         "sep sept september", "oct october", "nov november", "dec december")
    )
    for m in names.split()
}  # fmt: skip
_MONTH = r"(?P<m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATES = (
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)? {_MONTH}\.?,? (?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b{_MONTH}\.? (?P<d>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mm>[01]\d)-(?P<d>[0-3]\d)(?!\d)"),  # ISO 8601, also before "T09:00"
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])")
# A full stop that ends a middle initial or a title abbreviation ends no sentence: "Richard E. Baum, Head of
# Operations" and "Seth Turner - Sr. Engineering Manager" are one statement each.
_NO_SENTENCE_END = re.compile(r"(?:^|[\s(])(?:[A-Z]|Sr|Jr|Dr|Mr|Mrs|Ms|Mx|Prof|St|Inc|Co|Ltd|Corp|No|vs|e\.g|i\.e)\.$")
_SUBJECT_WORDS = frozenset({"he", "she", "they", "i"})
# Between a subject and its verb: an appositive ("Daniel Okafor, our VP of Engineering, leads") or a relative
# clause ("Daniel, who joined in 2025, leads"), and adverbs and auxiliaries ("he now also leads", "she will lead").
# A capitalised word that opens a sentence's phrase, not a name ("At Marlowe she leads ...").
_LEADING = frozenset("at in on from for with by to of and as after before since during under".split())
_APPOSITIVE = re.compile(r",[^,]{1,80},\s*$")
_ADVERBS = re.compile(r"(?:\s(?:also|now|currently|today|still|primarily|jointly|further|additionally|will|who))+$")
_RESPONSIBILITY = re.compile(
    # Lower case and never "Head of": the verb in a sentence, not a title ("Head of Operations", "Lead Engineer").
    r"\b(?-i:leads?|will lead|oversees?|runs?|manages?|heads?(?! of\b)|owns?|(?:is|am|are) responsible for)\s+"
    r"(?P<what>[^.;!?]{5,140})",
    re.I,
)
_EXPERTISE = re.compile(
    r"\b(?:speciali[sz]es? in|speciali[sz]ing in|expert in|expertise (?:is |includes |in )|focus(?:es)? on|"
    r"works? on)\s+(?P<what>[^.;!?]{3,160})",
    re.I,
)
_ORG = r"(?P<company>[A-Z][\w&'.-]*(?: (?:[A-Z][\w&'.-]*|of|and|&))*(?<![.,]))"
_PREVIOUSLY = re.compile(
    r"\b(?i:previously|formerly|before (?:joining|that)[^,]*),?\s+(?:(?:he|she|they|I)\s+)?"
    r"(?:was|were|worked as|served as)?\s*(?:an?\s+|the\s+)?(?P<title>[A-Z][^,.()]{2,60}?) at "
    + _ORG
    + r"(?:\s*\((?P<period>[^)]{4,30})\))?"
)
_JOINS_FROM = re.compile(r"\bjoin(?:s|ed)? (?:us )?from " + _ORG)
_EXPERIENCE = re.compile(
    r"^(?P<title>[^,()]{3,60}), (?P<company>[^,()]{2,60}?) \((?P<period>(?:19|20)\d\d\s*[\u2013\u2014-]\s*"
    r"(?:(?:19|20)\d\d|present|now|today))\)$",
    re.I,
)
_I_AM = re.compile(r"\bI(?:'m| am) (?:an? |the )?(?P<title>[^,.]{3,60}?) at (?P<company>[^,.]{2,60})")
_APPOINTED = re.compile(
    r"\b(?:appoint(?:s|ed|ment of)?|names?|named|hires?|hired|promotes?|promoted|welcomes?|joins?|joined)\b", re.I
)
_AS_TITLE = re.compile(r"\bas (?:its |our |the |new )*(?P<title>[A-Z][^,.;]{2,60}?)(?:,|\.|;| effective| from| to |$)")
_DEGREE = re.compile(
    r"\b(?:BSc|MSc|BEng|MEng|BA|MA|MBA|PhD|DPhil|B\.S\.|M\.S\.|Bachelor|Master|Doctor(?:ate)?)\b.*"
    r"\b(?:University|College|Institute|School|Polytechnic)\b"
)
_TAGS = re.compile(r"^(?:tags?|topics?|filed under|categories)\s*:\s*(?P<tags>.+)$", re.I)
_TALK_HEADINGS = re.compile(r"\b(talks?|speaking|presentations?|conference)\b", re.I)
_PRESS_PATH = re.compile(r"/(news|press|announcements?|media|newsroom)/.", re.I)  # an article, not the list
_CONTEXT_LINES = 4  # lines after a name that may still be that person's card or bio
_MAX_ITEMS = 10


def parse_date(text: str) -> str | None:
    """The first date written in `text`, as YYYY-MM-DD."""
    best: tuple[int, str] | None = None
    for pattern in _DATES:
        m = pattern.search(text)
        if not m:
            continue
        if m.groupdict().get("mm"):
            month = int(m.group("mm"))
        else:
            name = m.group("m").lower()
            month = _MONTHS.get(name) or _MONTHS.get(name[:3], 0)
        day = int(m.group("d"))
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            continue
        if best is None or m.start() < best[0]:
            best = (m.start(), f"{int(m.group('y')):04d}-{month:02d}-{day:02d}")
    return best[1] if best else None


@dataclass
class Fact:
    field: str
    value: Any
    doc: Document
    quote: str


@dataclass
class Report:
    research: dict[str, Any] | None
    sources: list[dict[str, str]]
    named: bool  # whether any page read names the person
    title: str | None = None
    notes: list[str] = field(default_factory=list)


def _page_title(doc: Document) -> str:
    return re.split(r"\s+[|\u2013\u2014]\s+", doc.title or "")[0].strip() or doc.url


def page_date(doc: Document) -> tuple[str, str] | None:
    """(date, the text it was read from) for a post or a press release: its metadata, else the first dated line
    near the top of its text."""
    for key in ("article:published_time", "date", "pubdate", "dc.date"):
        value = doc.meta.get(key)
        if value:
            date = parse_date(value)
            if date:
                return date, f"{key}: {value}"
    for item in doc.jsonld:
        value = item.get("datePublished")
        if isinstance(value, str) and parse_date(value):
            return parse_date(value) or "", f"datePublished: {value}"
    for line in doc.text.splitlines()[:12]:
        date = parse_date(line) if len(line) <= 160 else None
        if date:
            return date, line
    return None


def _sentences(line: str) -> list[str]:
    out: list[str] = []
    for piece in _SENTENCE.split(line):
        if out and _NO_SENTENCE_END.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return [s.strip() for s in out if s.strip()]


class _Reader:
    def __init__(self, person: PersonName, company: str, domain: str) -> None:
        self.person = person
        self.company = company
        self.domain = domain
        self.facts: list[Fact] = []
        self._own = {w for w in fold(company).split() if len(w) > 2} | {fold(domain.split(".")[0])}

    def add(self, field_name: str, value: Any, doc: Document, quote: str) -> None:
        self.facts.append(Fact(field_name, value, doc, quote.strip()))

    def is_own_company(self, name: str) -> bool:
        words = set(fold(name).split())
        return bool(words & self._own)

    def _is_them(self, words: list[str]) -> bool:
        """Whether folded words are this person's name: in full (short forms too), or their first or last name."""
        own = {fold(self.person.first), fold(self.person.last)} | set(first_name_forms(self.person.first))
        return self.person.named_in(" ".join(words)) or bool(words and " ".join(words) in own)

    def subject(self, sentence: str, *, profile: bool) -> str | None:
        """Who a sentence of a card or bio is about, from its opening words: "them" (their name), "other"
        (someone else's name), "pronoun" (he, she, they; "I" on their own profile), or None (no one)."""
        words = fold(sentence).split()[:8]  # "Jane Doe's deputy Priya Nair oversees ...": Priya's too
        if self.person.named_in(" ".join(words)) or (words and self._is_them(words[:1])):
            return "them"
        names = [n for n in persons(" ".join(sentence.split()[:5])) if n.split()[0].lower() not in _LEADING]
        if any(not self.person.named_in(fold(name)) for name in names):
            return "other"
        pronouns = _SUBJECT_WORDS if profile else _SUBJECT_WORDS - {"i"}  # "I" on a company page is its writer
        return "pronoun" if any(w in pronouns for w in words[:4]) else None

    def does_it(self, before: str, theirs: bool) -> bool:
        """Whether the subject of a verb is this person, from the words before it: "Daniel", "Daniel Okafor, our
        VP of Engineering,", "At Marlowe he will", or nothing at all in their own bio ("Leads the data team.");
        never "Daniel's colleague Priya Nair"."""
        text = _APPOSITIVE.sub("", before.strip()).strip(" ,")
        words = _ADVERBS.sub("", f" {fold(text)}").split()
        if not words:
            return theirs
        if words[-1] in _SUBJECT_WORDS:
            return theirs
        return any(self._is_them(words[-n:]) for n in range(1, min(4, len(words)) + 1))

    def read_statements(self, doc: Document, lines: list[str], *, profile: bool) -> None:
        # Whose statements a pronoun continues: theirs on their own profile page; on a company page, from a
        # sentence or card heading that names them until one that names someone else or a heading of another card.
        theirs = profile
        headings = set(_headings(doc))
        for line in lines:
            if line.strip() in headings and len(line.split()) <= 6:
                theirs = self.person.named_in(fold(line))
            for sentence in _sentences(line):
                subject = self.subject(sentence, profile=profile)
                if subject == "them":
                    theirs = True
                elif subject == "other":
                    theirs = False
                if not (subject == "them" or (subject == "pronoun" and theirs)):
                    continue
                m = _RESPONSIBILITY.search(sentence)
                if m and self.does_it(sentence[: m.start()], theirs):
                    self.add("responsibilities", m.group("what").strip(), doc, sentence)
                m = _EXPERTISE.search(sentence)
                if m:
                    for item in re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group("what")):
                        if 2 < len(item.strip()) <= 60:
                            self.add("expertise", item.strip(), doc, sentence)
                m = _PREVIOUSLY.search(sentence)
                if m and not self.is_own_company(m.group("company")):
                    value = {"title": m.group("title").strip(), "company": m.group("company").strip(),
                             "period": (m.group("period") or "").strip() or None}  # fmt: skip
                    self.add("background", value, doc, sentence)
                m = _JOINS_FROM.search(sentence)
                if m and not self.is_own_company(m.group("company")):
                    self.add(
                        "background", {"title": None, "company": m.group("company"), "period": None}, doc, sentence
                    )
                if profile:
                    m = _I_AM.search(sentence)
                    if m and self.is_own_company(m.group("company")):
                        self.add("role", m.group("title").strip(), doc, sentence)
            if _DEGREE.search(line) and len(line) <= 160 and (profile or self.person.named_in(fold(line))):
                self.add("education", line.strip(), doc, line)

    def read_profile(self, doc: Document) -> None:
        """A profile page is about its person throughout: experience lines, talks, education, statements."""
        lines = [ln.strip() for ln in doc.text.splitlines() if ln.strip()]
        self.read_statements(doc, lines, profile=True)
        heading = ""
        headings = set(_headings(doc))
        for line in lines:
            if line in headings:
                heading = line
                continue
            m = _EXPERIENCE.match(line)
            if m:
                start = m.group("period")[:4]
                current = m.group("period").lower().endswith(("present", "now", "today"))
                if current and self.is_own_company(m.group("company")):
                    self.add("role", m.group("title").strip(), doc, line)
                    self.add("since", start, doc, line)
                elif not self.is_own_company(m.group("company")):
                    value = {"title": m.group("title").strip(), "company": m.group("company").strip(),
                             "period": m.group("period")}  # fmt: skip
                    self.add("background", value, doc, line)
                continue
            if _TALK_HEADINGS.search(heading):
                date = parse_date(line)
                if date:
                    # "Title — Event, date": the talk's title is what comes before the dash.
                    title = re.split(r"\s+[\u2013\u2014-]\s+", line)[0]
                    self.add("activity", {"date": date, "title": title.strip(" ,"), "url": doc.url, "kind": "talk"},
                             doc, line)  # fmt: skip


def _headings(doc: Document) -> list[str]:
    from_html = re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", doc.body or "", flags=re.S | re.I)
    return [re.sub(r"<[^>]+>", "", h).strip() for h in from_html]


def build(
    person: PersonName,
    company: str,
    domain: str,
    analysis: Analysis | None,
    profiles: list[Document],
    company_context: dict[str, Any] | None,
    context_evidence: list[dict[str, Any]],
) -> Report:
    """The report on `person` at `company` from the company's analysed crawl and their profile pages."""
    r = _Reader(person, company, domain)
    notes: list[str] = []
    pages = analysis.pages if analysis is not None else []
    named_pages = [d for d in pages if person.lines_naming(d.text)]
    # Who else each page names: where one person's card ends and the next one's begins.
    others_by_doc: dict[str, set[str]] = {}
    if analysis is not None:
        for f in analysis.people:
            if not person.named_in(fold(f.value["name"])):
                others_by_doc.setdefault(f.doc.snapshot_id, set()).add(fold(f.value["name"]))
        for f in analysis.people:
            if person.named_in(fold(f.value["name"])) and f.value.get("title"):
                r.add("title", f.value["title"], f.doc, f.quote)
    authored = []
    for f in bylines(named_pages):
        if person.named_in(fold(f.value["name"])):
            authored.append(f.doc)
            if f.value.get("title"):
                r.add("byline_title", f.value["title"], f.doc, f.quote)
            dated = page_date(f.doc)
            activity = {"date": dated[0] if dated else None, "title": _page_title(f.doc), "url": f.doc.url,
                        "kind": "post"}  # fmt: skip
            r.add("activity", activity, f.doc, f.quote)
            for line in f.doc.text.splitlines():
                m = _TAGS.match(line.strip())
                if m:
                    for tag in m.group("tags").split(","):
                        if 1 < len(tag.strip()) <= 40:
                            r.add("topics", tag.strip(), f.doc, line.strip())
    for doc in named_pages:
        lines = person.context(doc.text, others_by_doc.get(doc.snapshot_id, set()), _CONTEXT_LINES)
        r.read_statements(doc, lines, profile=False)
        if _PRESS_PATH.search(doc.path) and doc not in authored:
            dated = page_date(doc)
            title = _page_title(doc)
            if person.lines_naming(title) or any(person.named_in(fold(line)) for line in doc.text.splitlines()[:6]):
                r.add("activity", {"date": dated[0] if dated else None, "title": title, "url": doc.url,
                                   "kind": "press"}, doc, title)  # fmt: skip
            for line in lines:
                if not _APPOINTED.search(line):
                    continue
                m = _AS_TITLE.search(line)
                if m:
                    r.add("appointed", m.group("title").strip(), doc, line)
                    when = parse_date(line) or (dated[0] if dated else None)
                    if when:
                        r.add("since", when, doc, line if parse_date(line) else dated[1] if dated else line)
    for doc in profiles:
        if not person.lines_naming(doc.text):
            notes.append(f"{doc.url} does not name {person.full}; not used")
            continue
        if not r.is_own_company(doc.text) and domain not in doc.text.lower():
            # A page about someone of this name who does not say they work here: perhaps a namesake.
            notes.append(f"{doc.url} does not mention {company}; not used")
            continue
        named_pages.append(doc)
        r.read_profile(doc)
    return _assemble(r, person, company, named_pages, company_context, context_evidence, notes)


def _first(facts: list[Fact], *fields: str) -> Fact | None:
    for name in fields:
        for f in facts:
            if f.field == name:
                return f
    return None


def _unique(facts: list[Fact], field_name: str) -> list[Fact]:
    seen: set[str] = set()
    out = []
    for f in facts:
        if f.field != field_name:
            continue
        key = fold(str(f.value["company"] if field_name == "background" else f.value))
        # "the platform teams" and "the platform teams as the company grows" are one responsibility.
        if any(key.startswith(k) or k.startswith(key) for k in seen):
            continue
        seen.add(key)
        out.append(f)
    return out[:_MAX_ITEMS]


def _assemble(
    r: _Reader,
    person: PersonName,
    company: str,
    named_pages: list[Document],
    company_context: dict[str, Any] | None,
    context_evidence: list[dict[str, Any]],
    notes: list[str],
) -> Report:
    facts = r.facts
    used: list[Fact] = []
    role = _first(facts, "title", "appointed", "byline_title", "role")
    since = None
    if role is not None:
        used.append(role)
        title_key = fold(role.value)
        for f in facts:
            if f.field == "since" and (
                f.doc.snapshot_id == role.doc.snapshot_id
                or any(
                    g.field in ("appointed", "role") and g.doc is f.doc and _same_title(fold(g.value), title_key)
                    for g in facts
                )
            ):
                since = f
                break
        if since is not None:
            used.append(since)
    background = _background(facts)
    lists = {name: _unique(facts, name) for name in ("responsibilities", "expertise", "topics", "education")}
    activity = _activity(facts)
    for items in (*lists.values(), background, activity):
        used += items
    current = None
    if role is not None:
        current = {"title": role.value, "company": company, "since": since.value if since else None}
    talking = _talking_points(person, company, current, lists, activity)
    found_any = bool(used)
    summary = None
    if current is not None:
        summary = f"{person.full} is {current['title']} at {company}"
        summary += f" (since {current['since']})." if current["since"] else "."
        if lists["topics"]:
            summary += " Writes about " + ", ".join(str(f.value) for f in lists["topics"][:3]) + "."
    evidence: list[dict[str, Any]] = [
        {"field": _WIRE_FIELDS.get(f.field, f.field), "url": f.doc.url, "quote": f.quote,
         "snapshotId": f.doc.snapshot_id, "fetchedAt": f.doc.fetched_at}
        for f in used
    ] + context_evidence  # fmt: skip
    research: dict[str, Any] = {
        "summary": summary,
        "currentRole": current,
        "responsibilities": [f.value for f in lists["responsibilities"]],
        "background": [f.value for f in background],
        "education": [f.value for f in lists["education"]],
        "expertise": [f.value for f in lists["expertise"]],
        "topics": [f.value for f in lists["topics"]],
        "recentActivity": [{k: f.value[k] for k in ("date", "title", "url")} for f in activity],
        "companyContext": company_context,
        "talkingPoints": talking,
        "confidence": _confidence(role, found_any),
        "evidence": evidence,
    }
    sources: list[dict[str, str]] = []
    seen: set[str] = set()
    for item in evidence:
        if item["url"] in seen:
            continue
        seen.add(item["url"])
        doc = next((f.doc for f in used if f.doc.url == item["url"]), None)
        title = (doc.title if doc else None) or item.get("title") or ""
        sources.append(
            {"url": item["url"], "title": title or item["url"], "snippet": " ".join(item["quote"].split())[:300]}
        )
    research["evidence"] = [{k: v for k, v in e.items() if k != "title"} for e in evidence]
    return Report(research, sources, bool(named_pages), current["title"] if current else None, notes)


_WIRE_FIELDS = {
    "title": "currentRole.title", "appointed": "currentRole.title", "byline_title": "currentRole.title",
    "role": "currentRole.title", "since": "currentRole.since", "activity": "recentActivity",
}  # fmt: skip


def _same_title(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a in b or b in a)


def _background(facts: list[Fact]) -> list[Fact]:
    """Earlier roles, one per company: the fullest statement of each."""
    best: dict[str, Fact] = {}
    for f in facts:
        if f.field != "background":
            continue
        key = fold(f.value["company"])
        old = best.get(key)
        filled = sum(1 for v in f.value.values() if v)
        if old is None or filled > sum(1 for v in old.value.values() if v):
            best[key] = f
    return list(best.values())[:_MAX_ITEMS]


def _activity(facts: list[Fact]) -> list[Fact]:
    seen: set[str] = set()
    items = []
    for f in facts:
        if f.field != "activity":
            continue
        key = f"{f.value['url']}#{fold(f.value['title'])}"
        if key in seen:
            continue
        seen.add(key)
        items.append(f)
    items.sort(key=lambda f: f.value["date"] or "", reverse=True)
    return items[:_MAX_ITEMS]


def _talking_points(
    person: PersonName,
    company: str,
    current: dict[str, Any] | None,
    lists: dict[str, list[Fact]],
    activity: list[Fact],
) -> list[str]:
    """Openers drawn from what the report found (each rests on a fact above, nothing else)."""
    points = []
    if current and current["since"]:
        points.append(f"Their move to {company} as {current['title']} ({current['since']})")
    for f in activity[:3]:
        kind = {"post": "Their post", "talk": "Their talk", "press": "The announcement"}.get(f.value["kind"], "")
        when = f" ({f.value['date']})" if f.value["date"] else ""
        points.append(f"{kind} \u201c{f.value['title']}\u201d{when}")
    if lists["responsibilities"]:
        points.append(f"What it takes to run {lists['responsibilities'][0].value}")
    if lists["expertise"]:
        points.append("Their work on " + ", ".join(str(f.value) for f in lists["expertise"][:3]))
    return points


def _confidence(role: Fact | None, found_any: bool) -> float | None:
    if role is not None and role.field == "title":
        return 0.9  # stated beside their name on the company's own page
    if role is not None:
        return 0.75
    return 0.5 if found_any else None
