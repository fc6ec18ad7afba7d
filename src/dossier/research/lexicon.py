"""Words: tokens, a light stemmer, stopwords, and related terms that widen retrieval.

The related-term groups are vocabulary (headcount ~ employees ~ staff), used to widen what a passage may
say for a question's words. They never decide how a question is answered.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*", re.UNICODE)

STOPWORDS = frozenset(
    """a an the of to in on for and or is are was were be been being do does did doing their theirs they them
    it its this that these those with by at from as what which who whom whose how many much any there have has
    had your you we our us me my i can could would should will shall may might must give tell list name names
    please company companies business firm organisation organization about into than then so if not no yes
    also just only very all some such other more most own same both each few per via under
    where when why whether currently current today now right now's still ever he she him her his hers himself
    herself""".split()
)
# Words that shape a question without naming what it is about (how the site says it, how well known it is).
QUESTION_WORDS = frozenset(
    """does do did is are was were has have had use uses used using offer offers offered provide provides
    provided support supports supported say says said state stated mention mentions mentioned
    find found see know listed list page pages website site web webpage url urls link links address get gets got
    give gives make makes named called known well-known well notable noteworthy famous prominent""".split()
)

RELATED: list[frozenset[str]] = [
    frozenset(s.split())
    for s in (
        "employee employees people staff headcount team teammates member members workforce person persons fte humans "
        "salariés collaborateurs équipe equipe mitarbeiter mitarbeitende empleados equipo",
        "headquarters headquartered hq based located location office offices city siège bureaux sitz oficinas sede",
        "founded founding established started start incorporated launched since began begin operating "
        "fondé fondée création gegründet gründung fundada fundación",
        "ceo chief executive founder cofounder co-founder",
        "price prices pricing cost costs plan plans tier tiers fee fees subscription tarifs tarif prix preise precios",
        "hiring hire jobs job careers career openings opening roles role positions position vacancies vacancy recruiting "
        "recruitment recrutement recrute emplois emploi carrières carrieres offres karriere stellen "
        "stellenangebote empleo empleos vacantes",
        "remote distributed anywhere home async remote-first",
        "salary salaries pay compensation wage wages remuneration earnings ote",
        "holiday holidays vacation leave pto time-off annual",
        "customer customers client clients user users kunden clientes utilisateurs usagers",
        "funding funded raise raised raising investor investors investment round seed series backed venture",
        "integration integrations integrate integrates connect connector connectors plugin plugins",
        "security secure compliance compliant certified certification certificate audit audited",
        "stack technology technologies tools tool software built framework language languages",
        "database databases postgres postgresql mysql storage",
        "cloud hosting hosted host aws gcp azure infrastructure",
        "salary salaries pay compensation wage wages",
        "free trial",
        "support help helpdesk",
        "licence license licensed open-source oss",
        "parental maternity paternity",
        "pension retirement 401k",
        "training learning development budget stipend allowance",
    )
]


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


_FOUNDING = frozenset({"founded", "founding", "founds"})


@lru_cache(maxsize=262_144)  # the same few thousand words recur on every page of a site
def stem(word: str) -> str:
    """A light English stemmer: case, possessive and plural endings, a few suffixes; enough to match forms."""
    w = normalize(word).lower().strip("'\u2019-")
    if w.endswith(("'s", "\u2019s")):
        w = w[:-2]
    if len(w) <= 3:
        return w
    if w in _FOUNDING:
        return "founded"  # not "found": "can be found" is on every handbook page, a founding date on one
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not (suffix == "s" and w.endswith(("ss", "us", "is"))):
            w = w[: len(w) - len(suffix)] + repl
            break
    return w[:7]


# "SOC2", "ISO27001": an acronym run into its number is the same name as "SOC 2".
GLUED = re.compile(r"\b([A-Z]{2,})(\d+)\b")


def words(text: str) -> list[str]:
    return _WORD.findall(GLUED.sub(r"\1 \2", normalize(text)))


_HYPHENATED = re.compile(r"\b([^\W\d_]+)-([^\W\d_]+)\b")


def tokens(text: str) -> list[str]:
    """Stemmed content tokens of a text (stopwords dropped); a hyphenated word also counts as the one word it is
    written as elsewhere ("non-profit" is also "nonprofit", "e-mail" also "email")."""
    out = [stem(w) for w in words(text) if w.lower() not in STOPWORDS]
    if "-" in text:
        out += [stem(m.group(1) + m.group(2)) for m in _HYPHENATED.finditer(text)]
    return out


_RELATED_STEMS: dict[str, frozenset[str]] = {}
for _group in RELATED:
    _stems = frozenset(stem(w) for w in _group)
    for _s in _stems:
        _RELATED_STEMS[_s] = _RELATED_STEMS.get(_s, frozenset()) | _stems


def related(term: str) -> frozenset[str]:
    """Stems that often stand for the same thing as `term` (itself excluded)."""
    return _RELATED_STEMS.get(term, frozenset()) - {term}


ABBREVIATIONS: dict[str, str] = {
    "sdr": "sales development representative",
    "bdr": "business development representative",
    "ae": "account executive",
    "am": "account manager",
    "csm": "customer success manager",
    "ceo": "chief executive officer",
    "cto": "chief technology officer",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "cmo": "chief marketing officer",
    "cpo": "chief product officer",
    "cro": "chief revenue officer",
    "ciso": "chief information security officer",
    "vp": "vice president",
    "hr": "human resources",
    "pm": "product manager",
    "sre": "site reliability engineer",
    "qa": "quality assurance",
    "ml": "machine learning",
    "ai": "artificial intelligence",
    "pto": "paid time off",
    "dpa": "data processing agreement",
    "sla": "service level agreement",
    "sso": "single sign on",
    "hq": "headquarters",
}
_EXPANSIONS = {stem(k): frozenset(stem(w) for w in v.split()) for k, v in ABBREVIATIONS.items()}


def mentioned(term: str, toks: set[str]) -> bool:
    """Whether a text's tokens say `term`, itself or spelled out ("SDR" / "sales development representative")."""
    if term in toks:
        return True
    spelled = _EXPANSIONS.get(term)
    if spelled is not None and spelled <= toks:
        return True
    return False
