"""People named with their role on a company's pages: team cards ("Jane Doe" over "Co-founder & CTO"),
"Name, Title" and "Name - Title" lines (any dash), and "Name | Title" table rows.

Each finding's value is {"name", "title"} and its quote is the page's own text (name and title lines as they
stand), so it can be cited and verified like any other. The Contacts issue's people index and the reader's
"who" questions both start from these."""

from __future__ import annotations

import re

from dossier.research.document import Document
from dossier.research.evidence import Finding
from dossier.research.index import boilerplate_lines
from dossier.research.lexicon import tokens
from dossier.research.read.entities import persons

# Words that make a short line a job title: the role nouns themselves. Department words alone ("Growth",
# "Community") are left out because product pages put them under capitalised phrases that read like names;
# and the line must be short and free of sentence punctuation ("Developer tools make ..." is prose).
TITLE = re.compile(
    r"\b(founder|co-?founder|ceo|cto|cfo|coo|cmo|cpo|cro|ciso|chief|president|vice[- ]president|vp|chair"
    r"(?:man|woman|person)?|director|head|lead|manager|engineer|developer|designer|scientist|researcher|"
    r"specialist|analyst|officer|partner|advisor|adviser|consultant|architect|administrator|coordinator|"
    r"secretary|treasurer|trustee|board member|member of the board|owner|principal|executive|producer|editor|"
    r"writer|marketer|recruiter|strategist|accountant|counsel|intern|maintainer|evangelist|advocate|"
    r"representative|associate|assistant|investor)\b",
    re.I,
)
_DASHES = "\u2013\u2014"  # en and em dash, as pages write "Name \u2013 Title"
_INLINE = re.compile(
    rf"^(?P<name>[^,|{_DASHES}(]{{3,60}}?)\s*(?:,|\||[{_DASHES}]| - |\()\s*(?P<title>[^()]{{2,80}}?)\)?$"
)
_MAX_TITLE_WORDS = 10


def people(docs: list[Document]) -> list[Finding]:
    """Every (person, title) pair stated on a page, once per page."""
    boiler = boilerplate_lines(docs)
    out: list[Finding] = []
    for doc in docs:
        if doc.kind != "page":
            continue
        lines = [ln.strip() for ln in doc.text.splitlines()]
        seen: set[str] = set()
        found_at: dict[int, tuple[str, str, str]] = {}
        cards: set[int] = set()
        for i, line in enumerate(lines):
            if not line or line in boiler or _BYLINE.match(line):
                continue  # a byline's "By Jane Doe" is an author (see `bylines`), not a person named "By Jane Doe"
            card = _card(lines, i)
            found = card or _inline(line) or _labelled(line)
            if found is not None:
                found_at[i] = found
                if card is not None:
                    cards.add(i)
        for i, found in _in_card_runs(lines, cards, boiler).items():
            found_at.setdefault(i, found)
        for i in sorted(found_at):
            name, title, quote = found_at[i]
            if name in seen or quote not in doc.text:
                continue
            seen.add(name)
            out.append(Finding("person", {"name": name, "title": title}, quote, doc, 0.8, label=title))
    return out


_RUN_GAP = 6  # lines from a card to one two cards on in a list of cards (name, title, maybe a one-line bio)


def _in_card_runs(lines: list[str], cards: set[int], boiler: set[str]) -> dict[int, tuple[str, str, str]]:
    """Cards among cards: in a list of people whose other cards carry role titles, a name over a short label
    is a person too, with the label as their title ("Jane Doe" over "Growth & Partnerships", "Engineering").
    A lone name over a label elsewhere stays unread: product pages put names of things over taglines."""
    out: dict[int, tuple[str, str, str]] = {}
    filled = [i for i, line in enumerate(lines) if line]  # distances count lines with text
    rank = {i: n for n, i in enumerate(filled)}
    known = {rank[i] for i in cards if i in rank}
    labels = {rank[i] + 1 for i in cards if i in rank}  # a card's title line is nobody's name
    grew = True
    while grew:
        grew = False
        for n in range(len(filled) - 1):
            if n in known or n in labels or not any(m in known for m in range(n - _RUN_GAP, n + _RUN_GAP + 1)):
                continue
            line, label = lines[filled[n]], lines[filled[n + 1]]
            name = _PRONOUNS.sub("", line)
            if line in boiler or label in boiler or not _is_name(name) or not _is_label(label):
                continue
            out[filled[n]] = (name, label, f"{line}\n{label}")
            known.add(n)
            labels.add(n + 1)
            grew = True
    return out


def _is_label(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 6
        and len(line) <= 60
        and line[:1].isupper()
        and ":" not in line
        and not line.endswith((".", "?", "!", ","))
    )


def _is_name(line: str) -> bool:
    found = persons(line)
    return len(found) == 1 and found[0] == line and 2 <= len(line.split()) <= 4 and TITLE.search(line) is None


def _is_title(line: str) -> bool:
    return (
        0 < len(line.split()) <= _MAX_TITLE_WORDS
        and ":" not in line  # "Practice lead: Matt Jones" is a person of its own, not a title
        and not line.endswith((".", "?", "!"))
        and TITLE.search(line) is not None
        and not _is_name(line)
    )


# Pronouns a team page puts after a name ("Addison Berry (she/they)"): part of the line, not of the name.
_PRONOUNS = re.compile(r"\s*\((?:she|he|they|xe|ze|ey|it|any)(?:\s*/\s*[a-z]+){1,3}\)\s*$", re.I)


def _card(lines: list[str], i: int) -> tuple[str, str, str] | None:
    """A name alone on its line with its title on the next one (team pages, speaker lists, boards)."""
    name = _PRONOUNS.sub("", lines[i])
    if not _is_name(name) or i + 1 >= len(lines):
        return None
    title = lines[i + 1]
    if not _is_title(title):
        return None
    return name, title, f"{lines[i]}\n{title}"


def _inline(line: str) -> tuple[str, str, str] | None:
    """ "Jane Doe, Co-founder & CEO", "Jane Doe - Head of Sales", "Jane Doe | CTO", "Jane Doe (Treasurer)"."""
    if len(line.split()) > _MAX_TITLE_WORDS + 4:
        return None
    m = _INLINE.match(line)
    if not m:
        return None
    name, title = m.group("name").strip(), m.group("title").strip(" |")
    if not _is_name(name) or not _is_title(title):
        return None
    return name, title, line


_LABELLED = re.compile(r"^(?P<title>[^:]{2,50}):\s*(?P<name>[^:]{3,60})$")


def _labelled(line: str) -> tuple[str, str, str] | None:
    """ "Practice lead: Matt Jones", "Owner: Jane Doe": the title as a label, the person as its value."""
    m = _LABELLED.match(line)
    if not m:
        return None
    title, name = m.group("title").strip(), m.group("name").strip()
    if not _is_name(name) or not _is_title(title) or _NOT_A_ROLE.match(title):
        return None
    return name, title, line


# Labels that name a person's part in one process rather than their job ("Hiring manager: Jane Doe").
_NOT_A_ROLE = re.compile(r"^(hiring manager|point of contact|contact|maintainer|reviewer|owner)s?$", re.I)


_BYLINE = re.compile(
    rf"^(?:by|written by|posted by|words by|author:)\s+(?P<name>[^,|\u00b7\u2022{_DASHES}]{{3,60}}?)"
    rf"(?:\s*,\s*(?P<title>[^|\u00b7\u2022{_DASHES}]{{2,80}}?))?\s*(?:[|\u00b7\u2022{_DASHES}].*)?$",
    re.I,
)


def bylines(docs: list[Document]) -> list[Finding]:
    """Authors named in a post's byline ("By Jane Doe, Head of Growth · 3 March 2025"), once per page; the
    title is "" when the byline gives none. Kept apart from `people`: an author is not a holder of a role."""
    out: list[Finding] = []
    for doc in docs:
        if doc.kind != "page":
            continue
        seen: set[str] = set()
        for raw in doc.text.splitlines():
            line = raw.strip()
            m = _BYLINE.match(line) if len(line) <= 160 else None
            if m is None:
                continue
            name, title = m.group("name").strip(), (m.group("title") or "").strip()
            if not _is_name(name) or name in seen or (title and not _is_title(title)):
                continue
            seen.add(name)
            out.append(Finding("byline", {"name": name, "title": title}, line, doc, 0.8, label=title))
    return out


# Words after "of" or "," that continue a title ("Head of Sales", "Member of the Board") rather than name
# another organisation.
_CONTINUATIONS = frozenset(
    tokens(
        "board member staff sales marketing product engineering operations community growth design finance "
        "people support technology research"
    )
)
_HELD_AT = re.compile(r"(?:\b(?:at|of|@)|,)\s+([A-Z][\w&.-]*)")


def held_elsewhere(title: str, own: frozenset[str]) -> bool:
    """ "CTO at Acme", "Co-founder of GitHub", "Co-founder, GitHub": a title held at an organisation other than
    the one whose name stems are `own` ("Co-founder of Osio Labs" at osiolabs.com is held at home)."""
    m = _HELD_AT.search(title)
    if not m:
        return False
    org = m.group(1)
    said = set(tokens(org))
    word = org.lower()
    at_home = bool(said & own) or any(o.startswith(word) or word.startswith(o) for o in own if len(word) >= 3)
    return not at_home and TITLE.search(org) is None and not said & _CONTINUATIONS


# --- people named in sentences: job ads' hiring managers and press releases' appointments ------------------------

_NAME = r"(?P<name>[A-Z][^\s,.;:()]*(?:\s+[^\s,.;:()]+){1,3}?)"
_ROLE = r"(?P<title>[^.;:()\n]{2,80}?)"
_ROLE_END = (
    r"(?=\s*(?:[.;:()]|,| effective\b| starting\b| who\b| where\b| to lead\b| to help\b| and will\b|"
    r" reporting\b| from\b| after\b| in\s+(?:our|the|a|her|his|their|\d{4})\b| based\b|$))"
)
_ARTICLE = r"(?:(?:its|our|the|their|a|an|new|first|first-ever)\s+)*"
_HIRING = (
    re.compile(
        rf"\b(?i:you(?:'ll|\u2019ll| will| would)?|this role|this position|the role|the position)\s+(?:will\s+)?"
        rf"reports?\s+(?:directly\s+)?(?:in\s+)?to\s+{_NAME}(?:,\s*{_ARTICLE}{_ROLE}{_ROLE_END}|{_ROLE_END})"
    ),
    re.compile(
        rf"^hiring manager\s*[:\u2013\u2014-]\s*{_NAME}(?:\s*[,(\u2013\u2014-]\s*{_ARTICLE}{_ROLE}\)?)?\s*$", re.I
    ),
)
_ANNOUNCED = (
    re.compile(
        rf"\bannounce[sd]?\s+(?:today\s+)?(?:that\s+)?{_NAME}\s+(?:has\s+)?(?:joined|will join|joins|is joining)"
        rf"(?:\s+[\w&.-]+){{0,4}}?\s+as\s+{_ARTICLE}{_ROLE}{_ROLE_END}"
    ),
    re.compile(
        rf"\b(?:appointed|appoints|appoint|named|names|welcomed|welcomes|welcome|hired|hires|promoted|promotes)\s+"
        rf"{_NAME}\s+(?:as|to(?: the role of)?)\s+{_ARTICLE}{_ROLE}{_ROLE_END}"
    ),
    re.compile(
        rf"(?:^|[.!]\s+|,\s+){_NAME}\s+(?:has\s+(?:been\s+)?|was\s+|is\s+|will\s+)?(?:appointed|named|promoted to|"
        rf"joined\s+(?:[\w&.-]+\s+){{0,4}}?as|joins\s+(?:[\w&.-]+\s+){{0,4}}?as)\s+(?:as\s+)?{_ARTICLE}{_ROLE}{_ROLE_END}"
    ),
)


def _sentence_people(docs: list[Document], patterns: tuple[re.Pattern[str], ...], kind: str) -> list[Finding]:
    out: list[Finding] = []
    for doc in docs:
        if doc.kind != "page":
            continue
        seen: set[str] = set()
        for raw in doc.text.splitlines():
            line = raw.strip()
            if not line or len(line) > 1000:
                continue
            for pattern in patterns:
                for m in pattern.finditer(line):
                    name = _trim_name(m.group("name"))
                    title = (m.group("title") or "").strip(" ,") if "title" in m.groupdict() else ""
                    if name is None or name in seen or (title and not _is_title(title)):
                        continue
                    seen.add(name)
                    out.append(Finding(kind, {"name": name, "title": title}, line, doc, 0.8, label=title))
    return out


def _trim_name(span: str | None) -> str | None:
    """The person's name at the start of a matched span ("Jane Doe" of "Jane Doe, our"), or None."""
    if not span:
        return None
    words = span.split()
    for n in range(min(4, len(words)), 1, -1):
        name = " ".join(words[:n])
        if _is_name(name):
            return name
    return None


def hiring_managers(docs: list[Document]) -> list[Finding]:
    """People a job ad names as the one the hire reports to ("You will report to Jane Doe, our VP of
    Engineering", "Hiring manager: Jane Doe"); the title is "" when the ad gives none."""
    return _sentence_people(docs, _HIRING, "hiring_manager")


def announcements(docs: list[Document]) -> list[Finding]:
    """People a press release or post says joined or were appointed to a role ("... today announced that Jane
    Doe has joined as Vice President of Sales", "Acme appoints Jane Doe as CFO")."""
    return [f for f in _sentence_people(docs, _ANNOUNCED, "announcement") if f.value["title"]]
