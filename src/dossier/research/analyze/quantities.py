"""Numbers tied to the nouns a question asks about ("18 countries", "95% patient adherence", "orders over $75").

A number answers a question only when the words around it name what the question asks for: a term of the
question must stand next to the number (a few words before or after it), or be the label of a statistic
block ("95%" on one line, "patient adherence" on the next). Other terms of the question elsewhere in the
sentence strengthen it. Every quantity quotes its sentence (or the two lines of its block) verbatim.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from dossier.research.analyze.text import STOPWORDS, YEAR, boilerplate_lines, sentences
from dossier.research.document import Document
from dossier.research.evidence import Finding

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mm": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
_CURRENCY = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "C$": "CAD", "A$": "AUD"}
QUANTITY = re.compile(
    r"(?<![\w.,/-])(?P<sym>US\$|C\$|A\$|[$€£])?\s?(?P<num>" + _NUM + r")"
    r"(?:\s?(?P<mult>million|billion|thousand|bn|mm|[kKmMbB])\b)?"
    r"(?P<plus>\+)?(?P<pct>\s?%|\s?percent\b|\s?per cent\b)?(?P<day>-day\b|-week\b|-month\b|-year\b)?"
    r"(?![\w,]*\d)(?!\.\d)"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*|\d[\d,.]*")
_GENERIC = frozenset(
    "s t rate number count total amount percentage percent share value figure claim claims report reports say "
    "says state states current currently right now exactly roughly approximately about around usd eur gbp dollars "
    "year years does do did get make run runs operate operates has have much many often long big large size "
    "figure stat statistic according website site mention mentioned give".split()
)
_SYNONYMS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"retention|retain|renew", re.I), ("retent", "retain", "renew", "churn")),
    (
        re.compile(r"\b(cut|reduc\w*|lower\w*|decreas\w*|fewer|less)\b", re.I),
        ("cut", "reduce", "reduct", "lower", "decrea", "fewer", "less", "down"),
    ),
    (re.compile(r"\b(employees|staff|headcount|team size)\b", re.I), ("employ", "people", "staff", "team", "colleag")),
    (re.compile(r"\b(budget|engagement|project)\b", re.I), ("project", "budget", "engage")),
    (re.compile(r"\breturn window|returns?\b", re.I), ("return",)),
    (re.compile(r"\b(free[- ]shipping|shipping threshold)\b", re.I), ("free", "shippi")),
]
_BOUND = re.compile(
    r"\b(minimum( of)?|min\.|at least|start(s|ing)? (at|from)|from|over|above|more than|threshold|no less than)\s*$",
    re.I,
)
_MIN_ASKED = re.compile(r"\b(minimum|min|at least|threshold|lowest|start(ing)? (price|at)|floor)\b", re.I)
_TARGET = re.compile(r"\b(by 20[3-9]\d|target|goal|aim(s|ing)? to|will|plan(s|ned)? to|commit\w* to)\b", re.I)
_TARGET_ASKED = re.compile(r"\b(target|goal|aim|plan|commit\w*|by 20[3-9]\d)\b", re.I)


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def stem(word: str) -> str:
    w = normalize(word).lower().strip("'\u2019-")
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        w = w[:-1]
    return w[:6]


def terms(question: str, own_names: set[str] | None = None) -> list[str]:
    """Stemmed content terms of a question (stopwords, generic question words and the company's name dropped)."""
    own = own_names or set()
    out: list[str] = []
    for w in _WORD.findall(normalize(question)):
        lw = w.lower().strip("'\u2019")
        if lw.endswith(("'s", "\u2019s")):
            lw = lw[:-2]
        if lw in STOPWORDS or lw in _GENERIC or len(lw) < 2 or re.sub(r"[^a-z0-9]", "", lw) in own:
            continue
        if re.fullmatch(r"[\d,.]+", lw) and not YEAR.fullmatch(lw):
            continue
        s = stem(lw)
        if s not in out:
            out.append(s)
    for pattern, extra in _SYNONYMS:
        if pattern.search(question):
            # Synonyms widen what counts as a mention; they do not add terms that must be covered.
            out += [f"~{e}" for e in extra if e not in out]
    return out


@dataclass
class Quantity:
    value: float
    unit: str  # "%", a currency code, "day"/"week"/"month"/"year" for "30-day", or "" for a plain count
    before: list[str]  # stems of the words just before the number
    after: list[str]  # stems of the words just after it
    sentence: str
    context_before: str
    quote: str
    doc: Document
    stat: bool = False


def _stems(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(normalize(text))]


def _parse(m: re.Match[str]) -> tuple[float, str] | None:
    try:
        value = float(m.group("num").replace(",", ""))
    except ValueError:
        return None
    mult = (m.group("mult") or "").lower()
    if mult:
        value *= _MULT.get(mult, 1.0)
    if m.group("pct"):
        return value, "%"
    if m.group("sym"):
        return value, _CURRENCY.get(m.group("sym"), "USD")
    if m.group("day"):
        return value, m.group("day")[1:]
    return value, ""


def sentence_quantities(sentence: str, doc: Document, quote: str | None = None) -> list[Quantity]:
    out = []
    for m in QUANTITY.finditer(sentence):
        parsed = _parse(m)
        if parsed is None:
            continue
        value, unit = parsed
        before_text = sentence[max(0, m.start() - 60) : m.start()]
        after_text = sentence[m.end() : m.end() + 60]
        unit_after = re.match(r"\s*(days?|weeks?|months?|years?)\b", after_text, re.I)
        if not unit and unit_after:
            unit = unit_after.group(1).lower().rstrip("s")
        out.append(
            Quantity(
                value,
                unit,
                _stems(before_text)[-4:],
                _stems(after_text)[:4],
                sentence,
                before_text,
                quote or sentence,
                doc,
            )
        )
    return out


_STAT_VALUE = re.compile(r"^(US\$|[$€£])?\s?(" + _NUM + r")\s?(k|K|m|M|bn|B|million|billion)?\s?(\+|%|x)?$")


def stat_blocks(doc: Document) -> list[Quantity]:
    """'2,300+' / 'colleagues', '95%' / 'patient adherence': a figure on its own line above its label."""
    lines = doc.text.splitlines()
    out = []

    def is_label(text: str) -> bool:
        return bool(text) and len(text.split()) <= 8 and not re.search(r"\d", text) and not text.endswith((".", ":"))

    for i, line in enumerate(lines):
        value_line = line.strip()
        if not _STAT_VALUE.match(value_line):
            continue
        m = QUANTITY.search(value_line)
        parsed = _parse(m) if m else None
        if parsed is None:
            continue
        value, unit = parsed
        after = lines[i + 1].strip() if i + 1 < len(lines) else ""
        before = lines[i - 1].strip() if i > 0 else ""
        if is_label(after):
            quote = f"{line}\n{lines[i + 1]}"
            out.append(Quantity(value, unit, [], _stems(after), after, "", quote, doc, stat=True))
        elif is_label(before) and not (i > 1 and _STAT_VALUE.match(lines[i - 2].strip())):
            # "Time saved" / "30%": the label above its figure, when nothing below labels it.
            quote = f"{lines[i - 1]}\n{line}"
            out.append(Quantity(value, unit, [], _stems(before), before, "", quote, doc, stat=True))
    return out


def all_quantities(docs: list[Document]) -> list[Quantity]:
    boiler = boilerplate_lines(docs)
    out: list[Quantity] = []
    seen: set[str] = set()
    for doc in docs:
        if doc.kind != "page":
            continue
        out += stat_blocks(doc)
        for line in doc.text.splitlines():
            if line in boiler:
                continue
            for s in sentences(line):
                if s in seen:
                    continue
                seen.add(s)
                out += sentence_quantities(s, doc)
    return out


def _match(term: str, words: list[str]) -> bool:
    t = term.lstrip("~")
    return any(w == t or (len(t) >= 4 and len(w) >= 4 and (w.startswith(t) or t.startswith(w))) for w in words)


def best(
    question: str,
    quantities: list[Quantity],
    unit: str,
    own_names: set[str] | None = None,
    extra_terms: list[str] | None = None,
) -> tuple[Quantity, float] | None:
    """The quantity whose surroundings best name what `question` asks, with a confidence; None when none does.

    unit: "%" (percentages), "money" (any currency), "day" (durations in days), "" (plain counts).
    Terms are weighted by rarity across the site: a number next to a common word ("annual") does not answer
    a question about a rare one ("annual revenue"), and a term the site never uses makes any answer weak.
    """
    wanted = terms(question, own_names) + [stem(t) for t in (extra_terms or [])]
    core = [t for t in wanted if not t.startswith("~")]
    if not core:
        return None
    words_of = [_stems(q.sentence) for q in quantities]
    title_of = {id(q.doc): _stems(q.doc.title) for q in quantities}
    n_sent = max(1, len({q.sentence for q in quantities}))
    df: dict[str, int] = {}
    seen_sentences: set[str] = set()
    for q, words in zip(quantities, words_of, strict=True):
        if q.sentence in seen_sentences:
            continue
        seen_sentences.add(q.sentence)
        for t in core:
            if _match(t, words):
                df[t] = df.get(t, 0) + 1
    weight = {t: math.log(1 + n_sent / (1 + df.get(t, 0))) for t in core}
    total = sum(weight.values())
    min_asked = bool(_MIN_ASKED.search(question))
    target_asked = bool(_TARGET_ASKED.search(question))
    year_asked = bool(re.search(r"\byear\b", question, re.I))
    scored: list[tuple[float, float, int, Quantity]] = []
    for n, (q, sentence_words) in enumerate(zip(quantities, words_of, strict=True)):
        if unit == "%" and q.unit != "%":
            continue
        if unit == "money" and q.unit not in _CURRENCY.values():
            continue
        if unit == "day" and q.unit != "day":
            continue
        if unit == "" and q.unit != "":
            continue
        if unit == "" and not year_asked and YEAR.fullmatch(f"{q.value:g}") and not q.stat:
            continue
        near = q.before[-3:] + q.after[:3] if not q.stat else q.after
        near_hits = [t for t in wanted if _match(t, near)]
        if not near_hits:
            continue
        covered = {t for t in core if t in near_hits or _match(t, sentence_words)}
        # A case study's title names its customer: the page's subject covers the question's subject.
        covered |= {t for t in core if q.stat and _match(t, title_of[id(q.doc)])}
        synonyms_near = [t for t in near_hits if t.startswith("~")]
        coverage = sum(weight[t] for t in covered) / total
        if synonyms_near and len(covered) < len(core):
            # A synonym next to the number stands in for the rarest term not otherwise covered.
            missing = sorted((t for t in core if t not in covered), key=lambda t: -weight[t])
            coverage += weight[missing[0]] / total
        score = coverage + 0.1 * len(near_hits)
        if q.stat:
            score += 0.1
        if min_asked and _BOUND.search(q.context_before):
            score += 0.3
        if not target_asked and _TARGET.search(q.sentence):
            score -= 0.3
        scored.append((score, coverage, -n, q))
    if not scored:
        return None
    scored.sort(key=lambda x: (x[0], x[2]), reverse=True)
    top_score, coverage, _, top = scored[0]
    if coverage < 0.5:
        return None
    conf = 0.5 + 0.35 * min(1.0, coverage)
    if len(scored) > 1 and scored[1][0] >= top_score - 0.05 and scored[1][3].value != top.value:
        conf -= 0.1  # a close competitor with another value
    return top, round(conf, 3)


def finding(q: Quantity, conf: float) -> Finding:
    return Finding("quantity", q.value, q.quote, q.doc, conf)
