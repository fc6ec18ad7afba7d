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
from dossier.research.read.entities import is_legal_form, not_a_name_word, persons, place_kind, places

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
        mine: dict[str, int] = {}  # name -> its finding in `out`
        for i in sorted(found_at):
            name, title, quote = found_at[i]
            if quote not in doc.text:
                continue
            finding = Finding("person", {"name": name, "title": title}, quote, doc, 0.8, label=title)
            if name in mine:
                # Listed twice (under two teams): a role title ("Newspaper Team Lead") says more than a team's
                # label ("Moderation & Conduct").
                if _is_title(title) and not _is_title(out[mine[name]].value["title"]):
                    out[mine[name]] = finding
                continue
            mine[name] = len(out)
            out.append(finding)
    return out


_RUN_GAP = 6  # lines from a card to one two cards on in a list of cards (name, title, maybe a one-line bio)


def _in_card_runs(lines: list[str], cards: set[int], boiler: set[str]) -> dict[int, tuple[str, str, str]]:
    """Cards among cards: in a list of people whose other cards carry role titles, a name over a short label
    is a person too, with the label as their title ("Jane Doe" over "Growth & Partnerships", "Engineering").
    Among cards the name's shape may be one the general recogniser doubts ("Alex DeForrest", "Emma O'Keefe",
    "JP Hwang", a first name that is also a product's): its neighbours say what it is. A member known by one
    name ("Annabel" over "Engineering") is not indexed (no last name to find them by) but keeps the list going,
    so the cards after a run of such members are still read. A lone name over a label elsewhere stays unread:
    product pages put names of things over taglines."""
    out: dict[int, tuple[str, str, str]] = {}
    filled = [i for i, line in enumerate(lines) if line]  # distances count lines with text
    rank = {i: n for n, i in enumerate(filled)}
    known = {rank[i] for i in cards if i in rank}
    labels = {rank[i] + 1 for i in cards if i in rank}  # a card's title line is nobody's name

    def read(n: int) -> bool:
        """Whether line `n` (in `filled`) opens a card of the list: recorded in `out` when it is a full name."""
        line, label = lines[filled[n]], lines[filled[n + 1]]
        later = [lines[filled[k]] for k in (n + 2, n + 3) if k < len(filled)]
        name = _PRONOUNS.sub("", line)
        if line in boiler or label in boiler or not _is_label(label) or any(_is_bio_of(x, label) for x in later):
            return False  # "Virtual Events" over "Aishaani" whose bio follows: a heading over a member's name
        if _is_name(name) or _name_shaped(name):
            out[filled[n]] = (name, label, f"{line}\n{label}")
            return True
        # One name extends a list forwards only, and only as a member's card does (a bio or the next member
        # after their label): "Philosophy" over "Our Team & Board" in a footer is no member.
        after = later[0] if later else ""
        return (
            _SINGLE_NAME.match(name) is not None
            and name.lower() not in _NOT_NAME_WORDS
            and any(m in known for m in range(n - _RUN_GAP, n))
            and (_is_bio_of(after, name) or (not _person_line(label) and (_is_bio(after) or member(n + 2))))
        )

    def member(n: int) -> bool:
        """A full name's card at line `n`: a name, its label, then a bio or the next name."""
        near = [lines[filled[k]] for k in (n, n + 1, n + 2) if k < len(filled)]
        return (
            len(near) == 3
            and _person_line(near[0])
            and _is_label(near[1])
            and (_is_bio(near[2]) or _person_line(near[2]))
        )

    grew = True
    while grew:
        grew = False
        for n in range(len(filled) - 1):
            if n in known or n in labels or not any(m in known for m in range(n - _RUN_GAP, n + _RUN_GAP + 1)):
                continue
            if (
                n > 0
                and n - 1 not in known
                and n - 1 not in labels
                and _person_line(lines[filled[n - 1]])
                and _person_line(lines[filled[n + 1]])
            ):
                # Between two names this line is the first one's label: "Alex Luo" over "Operations
                # Contributor" over "Anish Anne" (a label may be shaped like a name).
                tries = [n - 1, n]
            else:
                tries = [n]
            for t in tries:
                if read(t):
                    known.add(t)
                    labels.add(t + 1)
                    grew = True
                    break
    return out


def _person_line(line: str) -> bool:
    name = _PRONOUNS.sub("", line)
    return _is_name(name) or _name_shaped(name)


def _is_bio(line: str) -> bool:
    return len(line.split()) >= 6 and line.endswith((".", "!", "?"))


_BIO_VERBS = re.compile(
    r"(?:'s|\u2019s)? (?:is|was|has|had|joined|loves|likes|leads|runs|works|grew|started|first|spends|builds|"
    r"helps|enjoys|focuses|organi[sz]es)\b"
)


def _is_bio_of(line: str, name: str) -> bool:
    """Whether `line` is a bio that opens with `name` as its subject ("Aishaani is a 15 year old ...")."""
    return bool(name) and line.startswith(name) and _BIO_VERBS.match(line, len(name)) is not None


def _is_label(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 6
        and len(line) <= 60
        and line[:1].isupper()
        and ":" not in line
        and not line.endswith((".", "?", "!", ","))
    )


# A first name written as its initial ("J. Smith", a byline's habit): a person whose full first name another
# line of the same site may give (contacts/harvest.py merges the two when only one person fits).
_INITIAL_NAME = re.compile(r"^[A-Z]\. [A-Z][a-z\u00e0-\u00ff]+(?:[-'\u2019][A-Z]?[a-z\u00e0-\u00ff]+)?$")


def _is_name(line: str) -> bool:
    if _INITIAL_NAME.match(line):
        last = line.split()[1]
        return TITLE.search(last) is None and not not_a_name_word(last) and last.lower() not in _NOT_NAME_WORDS
    found = persons(line)
    return (
        len(found) == 1
        and found[0] == line
        and 2 <= len(line.split()) <= 4
        and TITLE.search(line) is None
        and not _not_a_name(line.split())
    )


# Words that start calls to action and name parts of a site: "Discover Toolbox", "Browse Open Positions",
# "Embracing Singer" and "Product Features" are shaped like names but are links and headings.
_NOT_NAME_WORDS = frozenset(
    """discover explore browse embrace embracing view see meet find try watch shop visit check download apply
    follow subscribe introducing announcing our your the and for with product products feature features
    service services solution solutions resource resources documentation docs position positions opening openings
    support success customer customers partner partners platform overview technical community inquiries
    enquiries map jobs donate code conduct""".split()
)


def _not_a_name(words: list[str]) -> bool:
    return any(w.lower() in _NOT_NAME_WORDS for w in words)


# A name's words as team pages write them: "DeForrest", "McKay", "O'Keefe", "Trice-Hanson", two capitals for
# a first name ("JP"), a middle initial ("E."), lower-case particles ("de", "van der").
_NAME_WORD = r"(?:[A-Z][a-z\u00e0-\u00ff]+(?:[-'\u2019][A-Z]?[a-z\u00e0-\u00ff]+)?|[A-Z][a-z]{1,2}[A-Z][a-z]+|[A-Z]['\u2019][A-Z][a-z]+)"
_NAME_SHAPE = re.compile(
    rf"^(?:{_NAME_WORD}|[A-Z]{{2}})(?: (?:van|von|de|der|den|da|di|du|del|la|le|al|bin|el|[A-Z]\.)){{0,2}}"
    rf"(?: {_NAME_WORD}){{1,2}}$"
)
_SINGLE_NAME = re.compile(r"^[A-Z][a-z\u00e0-\u00ff]{1,20}$")


def _name_shaped(line: str) -> bool:
    """A line written as a person's name, whatever the general recogniser thinks of its words (see
    `_in_card_runs`: only among cards of people)."""
    return (
        _NAME_SHAPE.match(line) is not None
        and TITLE.search(line) is None
        and not _not_a_name(line.split())
        and not any(w.lower() in _FUNCTIONS or not_a_name_word(w) for w in line.split())
        and not places(line)
    )


# What a team's label names rather than a person ("Moderation Engineering" over "Junya").
_FUNCTIONS = frozenset(
    "engineering operations moderation sales marketing design finance growth research events community product "
    "support people legal security infrastructure data content".split()
)


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


# A handle or initials before the name ("REB - Richard E. Baum, Head of Operations"): how a handbook says
# who signs as what, not part of the name.
_HANDLE = re.compile(rf"^(?:[A-Z]{{2,5}}|@[\w.-]{{2,30}})\s*(?:[-:{_DASHES}]|\s-)\s+")


def _inline(line: str) -> tuple[str, str, str] | None:
    """ "Jane Doe, Co-founder & CEO", "Jane Doe - Head of Sales", "Jane Doe | CTO", "Jane Doe (Treasurer)"."""
    if len(line.split()) > _MAX_TITLE_WORDS + 4:
        return None
    for text in (line, _HANDLE.sub("", line, count=1)):
        m = _INLINE.match(text)
        if not m:
            continue
        name, title = m.group("name").strip(), m.group("title").strip(" |")
        if _is_name(name) and _is_title(title):
            return name, title, line
    return None


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


_DATED_BYLINE = re.compile(
    rf"^(?:\d{{4}}-\d{{2}}-\d{{2}}|[A-Z][a-z]+ \d{{1,2}}, \d{{4}}|\d{{1,2}} [A-Z][a-z]+ \d{{4}})\s*[{_DASHES}]\s*(?P<rest>.+)$"
)


def _byline_authors(line: str) -> list[tuple[str, str]]:
    """The (name, title) pairs a line written as a byline gives, as written (not yet checked to be people):
    "By Jane Doe, Head of Growth · 3 March 2025", "2023-11-21 — Tristan Lécuyer, GTM; Ruben Fiszel, Founder at
    Windmill". Empty for any other line."""
    line = line.strip()
    if len(line) > 160:
        return []
    m = _BYLINE.match(line)
    if m is not None:
        return [(m.group("name").strip(), (m.group("title") or "").strip())]
    d = _DATED_BYLINE.match(line)
    if d is None:
        return []
    return [(a.partition(",")[0].strip(), a.partition(",")[2].strip()) for a in d.group("rest").split(";")]


def is_byline(line: str) -> bool:
    """Whether a line is a post's byline ("By Jane Doe, Head of Growth", "2023-11-20 — Hugo Casademont, Founding
    Engineer"): its date is the post's, its title the author's. "May 14, 2024 — We raised a $1.2M pre-seed round"
    is a dated headline: its first author must be a name, or shaped like one with a role after it."""
    authors = _byline_authors(line)
    if not authors:
        return False
    name, title = authors[0]
    return _is_name(name) or (_name_shaped(name) and _is_title(title))


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
            for name, title in _byline_authors(line):
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
                    value = {"name": name, "title": title}
                    if "owner" in m.groupdict():
                        value["of"] = m.group("owner")  # whose role it is, as written: "GitLab's", "our"
                    out.append(Finding(kind, value, line, doc, 0.8, label=title))
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


_TOP_ROLE = (
    r"(?:[Cc]o-?[Ff]ounder|[Ff]ounder|CEO|CTO|CFO|COO|CMO|CPO|CRO|CISO|[Pp]resident|[Cc]hair(?:man|woman|person)?)"
)
_APPOSITIVE = re.compile(
    rf"(?<![\w-])(?P<owner>[Oo]ur|[Ii]ts|[A-Z][\w.&-]*?(?:['\u2019]s)?)\s+(?P<title>{_TOP_ROLE}"
    rf"(?:\s+(?:and|&)\s+{_TOP_ROLE})?),?\s+{_NAME}"
)


def titled_mentions(docs: list[Document]) -> list[Finding]:
    """People prose names by a top role written before their name, with whose role it is ("GitLab co-founder
    Sid Sijbrandij", "our co-founder, Dmitriy Zaporozhets"); the value's "of" is the owner word as written
    ("GitLab's", "our"), for the reader to tell the company's own people from another's. Once per page."""
    return _sentence_people(docs, (_APPOSITIVE,), "titled_mention")


# Words that make a name an organisation's ("Tola Capital", "Madrona Venture Group"), however personal it sounds.
_ORG_NAME_WORDS = frozenset(
    """capital ventures venture partners fund funds group foundation labs holdings investments investors
    equity associates management inc llc ltd gmbh corp corporation""".split()
)


def person_or_role(item: str, names: bool = True) -> bool:
    """Whether a list item names a person ("Sheila Gulati", "S. Somasegar", "Glenn Solomon of GGV Capital") or a
    role ("Managing Director", "GitHub founder") rather than an organisation ("Tola Capital", "NEA"); with
    `names` False, whether it is a role."""
    head = re.split(r"\s+(?:of|at|from)\s+|\s*[,(@|\u2013\u2014]\s*|\s+-\s+", item.strip(), maxsplit=1)[0]
    if {w.lower().strip(".,") for w in head.split()} & _ORG_NAME_WORDS:
        return False
    return (names and _is_name(head)) or _is_title(item)


# What separates a role from the organisation after it in an attribution: "VP Engineering - Xiatech", "CTO at
# Acme", "Head of Data, Acme Corp", "Founder @ Acme".
_AFFILIATION_SEP = re.compile(r"\s+(?:at|@)\s+|\s+[-\u2013\u2014|]\s+|\s*,\s+")


def affiliation(name: str, title: str) -> str | None:
    """The organisation a person's card or quote attribution names after their role ("Rick Timmis, VP
    Engineering - Xiatech" gives "Xiatech"): its last part, when that is neither a role nor a person."""
    rest = title[len(name) :] if title.startswith(name) else title
    parts = _AFFILIATION_SEP.split(rest.strip(" ,-\u2013\u2014"))
    if len(parts) < 2:
        return None
    org = parts[-1].strip(" .")
    if not org or not (org[0].isupper() or org[0].isdigit()) or len(org.split()) > 5:
        return None
    words = org.split()
    if {w.lower().strip(".,") for w in words} & _ORG_NAME_WORDS or is_legal_form(words[-1]):
        return org  # "Acme Capital", "Acme Corp.": shaped like a person's name, an organisation's by its words
    if _is_title(org) or _is_name(org) or org.lower() in _NOT_NAME_WORDS or place_kind(org) is not None:
        return None
    return org


def organisation_of(item: str) -> str | None:
    """The organisation a list item names a person by ("Glenn Solomon of GGV Capital", "Jane Doe at Acme"), when
    the item is a person's name followed by one."""
    m = re.match(r"(?P<head>.+?)\s+(?:of|at|from)\s+(?P<org>[A-Z0-9].*)$", item.strip())
    if m is None or not _is_name(m.group("head")):
        return None
    org = m.group("org").strip(" .,")
    return None if _is_title(org) or _is_name(org) or place_kind(org) is not None else org


def hiring_managers(docs: list[Document]) -> list[Finding]:
    """People a job ad names as the one the hire reports to ("You will report to Jane Doe, our VP of
    Engineering", "Hiring manager: Jane Doe"); the title is "" when the ad gives none."""
    return _sentence_people(docs, _HIRING, "hiring_manager")


def announcements(docs: list[Document]) -> list[Finding]:
    """People a press release or post says joined or were appointed to a role ("... today announced that Jane
    Doe has joined as Vice President of Sales", "Acme appoints Jane Doe as CFO")."""
    return [f for f in _sentence_people(docs, _ANNOUNCED, "announcement") if f.value["title"]]
