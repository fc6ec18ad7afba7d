"""How people are normalised for search: folded names, canonical titles, and the seniority/department taxonomy.

Seniority (from title cues, the first level that matches, in this order):

| value      | cues                                                                                   |
|------------|----------------------------------------------------------------------------------------|
| `c_level`  | chief ... officer and its abbreviations (CEO, CTO, ...), founder, co-founder, president, owner, managing director, managing/general partner |
| `vp`       | vice president, VP, SVP, EVP                                                           |
| `director` | director, head of / head                                                               |
| `manager`  | manager, lead, team lead, supervisor                                                   |
| `senior`   | senior, staff, principal, Sr.                                                          |
| `entry`    | junior, Jr., intern, trainee, apprentice, graduate, assistant, associate               |

A title with none of these cues ("Software Engineer") has no seniority: Dossier does not guess one.

Departments (from the title's function words; when several occur the last one wins, because English titles
put the function last: "Product Designer" is design, "Head of Product" is product):
engineering, sales, marketing, product, design, operations, finance, legal, people, support, executive.
A C-level title with no function word ("CEO", "Founder", "President") is `executive`.

Titles are matched as canonical token strings: folded (case and accents), "&" read as "and", the words
"of", "the", "and", "for", "at" dropped, and abbreviations expanded, so "VP of Engineering", "vp engineering"
and "Vice President, Engineering" are one title and "CTO" is "Chief Technology Officer" both ways.
"""

from __future__ import annotations

import re

import pycountry

from dossier.research.analyze import names

SENIORITY_LEVELS = ("c_level", "vp", "director", "manager", "senior", "entry")
DEPARTMENTS = (
    "engineering", "sales", "marketing", "product", "design", "operations", "finance", "legal", "people",
    "support", "executive",
)  # fmt: skip
RELATIONS = ("employee", "founder", "investor", "advisor", "author", "board")
# Related to the company without working for it: left out of search unless a search asks for them.
NOT_EMPLOYEES = frozenset({"investor", "author"})

fold = names.fold  # one folding for search keys and for finding a name in a page


def first_name_keys(name: str) -> list[str]:
    """The folded first names a searched first name stands for: itself and its aliases ("Bob" -> robert, ...)."""
    return sorted(names.first_name_forms(name))


_INITIAL = re.compile(r"^\s*([A-Za-z])\s*\.?\s*$")


def initial_of(name: str) -> str | None:
    """ "J." or "j" -> "j": a first name given as its initial only."""
    m = _INITIAL.match(name)
    return m.group(1).lower() if m else None


# Abbreviation -> the words it stands for. Expanding both the stored title and the searched one makes
# "CTO" find "Chief Technology Officer" and the other way round.
ABBREVIATIONS = {
    "ceo": "chief executive officer", "cto": "chief technology officer", "cfo": "chief financial officer",
    "coo": "chief operating officer", "cmo": "chief marketing officer", "cpo": "chief product officer",
    "cro": "chief revenue officer", "cio": "chief information officer", "ciso": "chief information security officer",
    "cso": "chief security officer", "cco": "chief customer officer", "chro": "chief human resources officer",
    "cdo": "chief data officer", "vp": "vice president", "svp": "senior vice president",
    "evp": "executive vice president", "avp": "assistant vice president", "sdr": "sales development representative",
    "bdr": "business development representative", "ae": "account executive", "am": "account manager",
    "csm": "customer success manager", "hr": "human resources", "sre": "site reliability engineer",
    "qa": "quality assurance", "ux": "user experience", "ui": "user interface", "gc": "general counsel",
    "md": "managing director", "gm": "general manager", "sr": "senior", "jr": "junior", "mgr": "manager",
    "dir": "director", "eng": "engineering", "ops": "operations", "biz": "business", "dev": "development",
}  # fmt: skip
_STOP = frozenset({"of", "the", "and", "for", "at", "a", "an", "to", "in"})


def title_words(text: str) -> list[str]:
    """The canonical words of a title (see the module docstring)."""
    words: list[str] = []
    for word in fold(text.replace("&", " and ").replace("+", " and ")).split():
        if word in _STOP:
            continue
        words.extend(ABBREVIATIONS.get(word, word).split())
    return words


def title_key(text: str) -> str:
    """A title as one space-delimited string with a space at each end, for phrase containment."""
    words = title_words(text)
    return f" {' '.join(words)} " if words else ""


_C_LEVEL = re.compile(
    r" (chief \w+(?: \w+)? officer|chief|founder|cofounder|co founder|president|owner|managing director|"
    r"managing partner|general partner|chairman|chairwoman|chair|chairperson) "
)
_LEVELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("vp", re.compile(r" vice president ")),
    ("c_level", _C_LEVEL),
    ("director", re.compile(r" (director|head) ")),
    ("manager", re.compile(r" (manager|lead|supervisor|teamlead) ")),
    ("senior", re.compile(r" (senior|staff|principal) ")),
    ("entry", re.compile(r" (junior|intern|internship|trainee|apprentice|graduate|assistant|associate) ")),
)


def seniority_of(title: str) -> str | None:
    key = title_key(title)
    if not key:
        return None
    # "Vice President" contains "president" and "Assistant Vice President" is still a VP: VP is tested first,
    # unless the title also holds a C-level role ("Founder & VP Product" is a founder).
    found = [level for level, pattern in _LEVELS if pattern.search(key)]
    if "c_level" in found and "vp" in found:
        return "c_level" if _C_LEVEL.search(key.replace(" vice president ", " ")) else "vp"
    return found[0] if found else None


_DEPARTMENT_WORDS: dict[str, str] = {}
for _dept, _words in {
    "engineering": "engineer engineering engineers developer developers software technology technical devops "
    "infrastructure platform architect programmer reliability firmware hardware backend frontend fullstack "
    "data scientist machine learning security information",
    "sales": "sales account revenue business development partnerships seller",
    "marketing": "marketing growth brand content communications seo demand community pr comms social media",
    "product": "product",
    "design": "design designer designers user experience interface creative illustrator",
    "operations": "operations operating logistics supply chain facilities office procurement",
    "finance": "finance financial accounting accountant controller treasurer bookkeeper tax payroll",
    "legal": "legal counsel lawyer attorney compliance paralegal privacy",
    "people": "people human resources talent recruiter recruiting recruitment hr",
    "support": "support customer success service helpdesk",
    "executive": "executive founder cofounder president owner chairman chairwoman chair board",
}.items():
    for _w in _words.split():
        _DEPARTMENT_WORDS[_w] = _dept


def department_of(title: str) -> str | None:
    """The department a title names; a function word beats `executive` ("Co-founder & CTO" is engineering)."""
    words = title_words(title)
    found: list[str] = []
    for i, word in enumerate(words):
        dept = _DEPARTMENT_WORDS.get(word)
        # "Chief Executive Officer" is the executive; "Executive Assistant" and "Account Executive" are not, and
        # "Vice President" is no president.
        if word == "executive" and not (i > 0 and words[i - 1] == "chief"):
            continue
        if word == "president" and i > 0 and words[i - 1] == "vice":
            continue
        if dept is not None:
            found.append(dept)
    functional = [d for d in found if d != "executive"]
    if functional:
        return functional[-1]
    if found or seniority_of(title) == "c_level":
        return "executive"
    return None


def canonical_choice(value: str, allowed: tuple[str, ...]) -> str | None:
    """`"C-Level"`, `"c level"` and `"c_level"` are all `c_level`; None for a value outside `allowed`."""
    key = fold(value).replace(" ", "_")
    aliases = {"vice_president": "vp", "head": "director", "lead": "manager", "cxo": "c_level", "c_suite": "c_level",
               "hr": "people", "human_resources": "people", "customer_support": "support", "customer_success": "support"}  # fmt: skip
    key = aliases.get(key, key)
    return key if key in allowed else None


# --- countries ---------------------------------------------------------------------------------------------------

COUNTRY_CODES = frozenset(c.alpha_2 for c in pycountry.countries)
# Names pages and CRM exports use that ISO's own names do not include.
_COUNTRY_ALIASES = {
    "uk": "GB", "u k": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "great britain": "GB",
    "britain": "GB", "usa": "US", "u s a": "US", "us": "US", "u s": "US", "america": "US",
    "united states of america": "US", "deutschland": "DE", "russia": "RU", "south korea": "KR", "korea": "KR",
    "czechia": "CZ", "holland": "NL", "the netherlands": "NL", "uae": "AE", "turkey": "TR", "vietnam": "VN",
    "ivory coast": "CI", "taiwan": "TW", "iran": "IR", "syria": "SY", "laos": "LA", "bolivia": "BO",
    "venezuela": "VE", "tanzania": "TZ", "moldova": "MD", "macedonia": "MK", "brasil": "BR", "espana": "ES",
    "schweiz": "CH", "suisse": "CH", "osterreich": "AT", "sverige": "SE", "norge": "NO", "danmark": "DK",
    "suomi": "FI", "polska": "PL", "italia": "IT", "nederland": "NL", "belgie": "BE", "belgique": "BE",
}  # fmt: skip


def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names[fold(value)] = c.alpha_2
    names.update(_COUNTRY_ALIASES)
    return names


COUNTRY_NAMES = _country_names()


def country_code(text: str) -> str | None:
    """An ISO 3166-1 alpha-2 code for a code or a country's name ("de", "Germany", "UK"); None if neither."""
    raw = text.strip()
    if len(raw) == 2 and raw.upper() in COUNTRY_CODES:
        return raw.upper()
    return COUNTRY_NAMES.get(fold(raw))


_PLACE_TAIL = re.compile(r"(?:^|[,\u00b7|/(]\s*)([A-Za-z][A-Za-z .'\u00c0-\u017f-]{1,40}?)\s*\)?\s*$")


def country_in_place(place: str) -> str | None:
    """The country a stated place names: its last comma-separated part ("Berlin, Germany" -> DE)."""
    m = _PLACE_TAIL.search(place.strip())
    if not m:
        return None
    tail = fold(m.group(1))
    # Two-letter tails are US states and country codes alike ("Austin, TX", "Paris, FR"): only names count.
    return COUNTRY_NAMES.get(tail) if len(tail) > 2 or tail == "uk" else None
