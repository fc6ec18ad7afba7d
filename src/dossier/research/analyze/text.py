"""Sentences, boilerplate, and typed values (numbers, money, percentages, years) in page text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

from dossier.research.document import Document

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
MONEY = re.compile(
    r"(?P<sym>US\$|C\$|A\$|[$€£¥₹])\s?(?P<num>"
    + NUMBER
    + r")(?:\s?(?P<mult>million|billion|thousand|bn|mm|[mMbBkK])\b)?"
    r"|(?P<code>USD|EUR|GBP|CAD|AUD)\s?(?P<num2>"
    + NUMBER
    + r")(?:\s?(?P<mult2>million|billion|thousand|bn|[mMbBkK])\b)?"
)
PERCENT = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


def to_number(text: str) -> float:
    return float(text.replace(",", ""))


def money_values(text: str) -> list[tuple[float, str, str]]:
    """(amount, ISO currency, matched text) for each amount of money in `text`."""
    out = []
    for m in MONEY.finditer(text):
        if m.group("sym"):
            sym, num, mult = m.group("sym"), m.group("num"), m.group("mult")
            code = {"US$": "USD", "C$": "CAD", "A$": "AUD"}.get(sym, _SYMBOLS.get(sym, "USD"))
        else:
            code, num, mult = m.group("code"), m.group("num2"), m.group("mult2")
        value = to_number(num) * _MULT.get((mult or "").lower(), 1.0)
        out.append((value, code, m.group(0)))
    return out


def sentences(text: str) -> Iterator[str]:
    """Sentences of a text; each is a verbatim substring of it, so it can be quoted."""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        yield from (s for s in _SENTENCE_END.split(line) if s)


def boilerplate_lines(docs: Iterable[Document]) -> set[str]:
    """Lines that appear on most pages (navigation, footers): not content of any one page."""
    pages = [d for d in docs if d.kind == "page"]
    if len(pages) < 3:
        return set()
    counts = Counter(line for d in pages for line in set(d.text.splitlines()))
    threshold = max(2, int(len(pages) * 0.4))
    return {line for line, n in counts.items() if n >= threshold}


STOPWORDS = frozenset(
    "a an the of to in on for and or is are was were be been do does did their they them it its this that with by at "
    "from as what which who whom how many much any there have has had your you we our us me my i can could would "
    "should will shall may might give tell list name names please company companies".split()
)
_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS]
