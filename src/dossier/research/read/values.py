"""Typed values in a line of text: quantities with the words around them, money with its period, percentages,
years. Every value keeps its span, so the reader can look at what stands next to it."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from dossier.research.lexicon import stem, words

# Thousands grouped by commas, thin or non-breaking spaces, or (as French and German pages write them) plain
# spaces: "300 000 €"; a decimal comma before one or two digits: "1,5 million".
_NUM = r"\d{1,3}(?:(?:[,\u202f\u00a0]| (?=\d{3}(?![\d,.]\d)))\d{3})+(?:\.\d+)?(?!\d)|(?<!\d,)\d+,\d{1,2}(?![\d,])|\d+(?:\.\d+)?"
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
_SYMBOLS = {
    "$": "USD",
    "US$": "USD",
    "C$": "CAD",
    "A$": "AUD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "CHF": "CHF",
}
_CODES = {
    "usd": "USD",
    "eur": "EUR",
    "gbp": "GBP",
    "cad": "CAD",
    "aud": "AUD",
    "chf": "CHF",
    "jpy": "JPY",
    "inr": "INR",
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "yen": "JPY",
}
QUANTITY = re.compile(
    r"(?<![\w.])(?P<sym>US\$|C\$|A\$|CHF\s?|[$€£¥₹])?\s?(?P<num>" + _NUM + r")"
    r"(?:\s?(?P<mult>million|billion|thousand|bn|mm|mn|[kKmMbB])(?![\w]))?"
    r"(?P<plus>\+)?"
    r"(?:\s?(?P<tsym>[€£¥₹])(?!\w))?"  # the sign after the amount: "300 000 €", "12€"
    r"(?:\s?(?P<pct>%|percent\b|per cent\b))?"
    r"(?:\s?(?P<code>USD|EUR|GBP|CAD|AUD|CHF|JPY|INR|dollars?|euros?|pounds|yen)\b)?"
    r"(?P<dur>-(?:day|week|month|year|hour|minute)s?\b)?",
)
_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_UNITS_WORD = "one|two|three|four|five|six|seven|eight|nine"
# "twenty-five", "forty two", "a dozen", "a hundred": the whole spelled number, not its parts.
_WORD_NUMBER = re.compile(
    r"\b(?:(?P<tens>" + "|".join(_TENS) + r")(?:[- ](?P<ones>" + _UNITS_WORD + r"))?"
    r"|(?P<small>" + "|".join(_WORD_NUMBERS) + r")|(?P<dozen>a dozen)|(?P<hundred>a hundred))\b"
    r"(?:-(?P<dur>day|week|month|year)s?\b)?",
    re.I,
)
_RESTATED = re.compile(r"\s*\(\d+\)")
_BELOW = re.compile(r"\b(?:fewer than|less than|under|below|no more than|at most|up to)\s*$", re.I)
_PERIOD_AFTER = [
    (
        re.compile(
            r"^\s*(?:/|per|a|each|every)\s*(?:user\s*/\s*|seat\s*/\s*|member\s*/\s*)?(month|mo)\b|^\s*monthly\b|^[^.;|]{0,30}\bper month\b|^[^.;|]{0,30}/mo\b"
            r"|^[^.;|]{0,30}(?:\bpar mois\b|/mois\b|\bpro monat\b|/monat\b|\bmonatlich\b|\bmensuel|\b(?:al|por) mes\b)",
            re.I,
        ),
        "month",
    ),
    (
        re.compile(
            r"^\s*(?:/|per|a|each|every)\s*(?:user\s*/\s*|seat\s*/\s*)?(year|yr|annum)\b|^\s*(?:yearly|annually)\b|^[^.;|]{0,30}\b(?:per year|a year|/yr|billed annually)\b"
            r"|^[^.;|]{0,40}(?:\bpar an(?:née)?\b|/an\b|\bpro jahr\b|/jahr\b|\bjährlich|\bannuel|\b(?:al|por) año\b)",
            re.I,
        ),
        "year",
    ),
]
# What makes a number no quantity: a time of day ("6am", "8 PM"), an ordinal ("1st", "3rd party"), or the day of
# a date ("October 8, 2011", "14 June 2020").
_CLOCK_OR_ORDINAL = re.compile(r"\s?(?:[ap]\.?m\b\.?|(?<=1)st\b|(?<=2)nd\b|(?<=3)rd\b|th\b)", re.I)
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s$")
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s(?:of\s)?(?:{_MONTHS})\b")
_BILLED_YEARLY = re.compile(r"\b(billed|paid|pay) (annually|yearly|per year|a year)\b|\bannual (billing|plan)\b", re.I)
YEAR = re.compile(r"(?<![\w.,$€£])(19[5-9]\d|20[0-4]\d)(?![\w.,]\d|%)")


@dataclass
class Value:
    value: float
    kind: str  # "number" | "money" | "percent" | "year"
    span: tuple[int, int]
    text: str
    currency: str | None = None
    period: str | None = None  # for money: "month" | "year"
    duration: str | None = None  # "6-week" → "week"
    after: tuple[str, ...] = ()  # stems of up to 4 words after
    before: tuple[str, ...] = ()  # stems of up to 4 words before
    plus: bool = False
    scale: float = 1.0  # the multiplier written with it ("7 million": 1e6)
    below: bool = False  # written as an upper limit ("fewer than 10 employees", "under 50 people")


def _to_float(num: str) -> float:
    if re.fullmatch(r"\d+,\d{1,2}", num):
        return float(num.replace(",", "."))  # a decimal comma
    return float(re.sub(r"[, \u202f\u00a0]", "", num))


_RANGE_JOIN = re.compile(r"\s*(?:-|\u2013|\u2014|to|and|or)\s*$", re.I)


def values(line: str) -> list[Value]:
    out = _quantities(line)
    # The lower end of a range takes the scale written once after the upper end: "$5 to $7 million" is five
    # million, "between 2 and 3 billion" two billion.
    for low, high in itertools.pairwise(out):
        scale = high.scale / low.scale
        if (
            low.kind == high.kind
            and scale > 1
            and low.kind in ("money", "number")
            and _RANGE_JOIN.fullmatch(line[low.span[1] : high.span[0]].rstrip("$€£ "))
            and low.value * scale <= high.value
        ):
            low.value *= scale
            low.scale = high.scale
    return out + _word_numbers(line)


def _quantities(line: str) -> list[Value]:
    out: list[Value] = []
    for m in QUANTITY.finditer(line):
        try:
            v = _to_float(m.group("num"))
        except ValueError:
            continue
        mult = (m.group("mult") or "").lower()
        # "5 m" after a number is metres as often as millions: only a money sign, or a capital letter written
        # against the number ("1.65M hosts", "2B requests"), makes it a multiplier.
        glued_capital = m.group("mult") in ("M", "B") and m.start("mult") == m.end("num")
        if mult in ("m", "b") and not (m.group("sym") or m.group("code") or glued_capital):
            mult = ""
        scale = _MULT.get(mult, 1.0)
        v *= scale
        start, end = m.span()
        if _not_quantity(line, m):
            continue
        after = tuple(stem(w) for w in words(line[end : end + 60])[:4])
        before = tuple(stem(w) for w in words(line[max(0, start - 60) : start])[-4:])
        sym = (m.group("sym") or m.group("tsym") or "").strip()
        code = m.group("code")
        if m.group("pct"):
            out.append(Value(v, "percent", (start, end), m.group(0).strip(), after=after, before=before))
            continue
        if sym or code:
            currency = _SYMBOLS.get(sym) if sym else _CODES.get(code.lower()) if code else None
            period = None
            rest = line[end : end + 60]
            for pattern, name in _PERIOD_AFTER:
                if pattern.search(rest):
                    period = name
                    break
            if period == "month" and _BILLED_YEARLY.search(rest):
                period = "month-billed-yearly"  # a discounted monthly figure, not the monthly price
            out.append(
                Value(
                    v,
                    "money",
                    (start, end),
                    m.group(0).strip(),
                    currency or "USD",
                    period,
                    after=after,
                    before=before,
                    scale=scale,
                )
            )
            continue
        dur = m.group("dur")
        text = m.group(0).strip()
        if YEAR.fullmatch(m.group("num")) and not mult and not dur:
            out.append(Value(v, "year", (start, end), text, after=after, before=before))
            continue
        out.append(
            Value(
                v,
                "number",
                (start, end),
                text,
                duration=stem(dur.strip("-")) if dur else None,
                after=after,
                before=before,
                plus=bool(m.group("plus")),
                scale=scale,
                below=bool(_BELOW.search(line[max(0, start - 20) : start])),
            )
        )
    return out


def _not_quantity(line: str, m: re.Match[str]) -> bool:
    """A bare number that tells a time, a rank or a day of the month, not how many or how much."""
    if m.group("sym") or m.group("tsym") or m.group("code") or m.group("pct") or m.group("mult") or m.group("dur"):
        return False
    num = m.group("num")
    if not num.isdigit():
        return False
    end = m.end("num")
    if _CLOCK_OR_ORDINAL.match(line, end):
        return True
    return len(num) <= 2 and bool(
        _MONTH_BEFORE.search(line[max(0, m.start("num") - 12) : m.start("num")])
        or _MONTH_AFTER.match(line[end : end + 16])
    )


def _word_value(m: re.Match[str]) -> float:
    if m.group("tens"):
        ones = m.group("ones")
        return float(_TENS[m.group("tens").lower()] + (_WORD_NUMBERS[ones.lower()] if ones else 0))
    if m.group("dozen"):
        return 12.0
    if m.group("hundred"):
        return 100.0
    return float(_WORD_NUMBERS[m.group("small").lower()])


def _word_numbers(line: str) -> list[Value]:
    out: list[Value] = []
    for m in _WORD_NUMBER.finditer(line):
        start, end = m.span()
        if _RESTATED.match(line, end):
            continue  # "ten (10) business days": the figure in brackets says it again, with its unit after it
        after = tuple(stem(w) for w in words(line[end : end + 60])[:4])
        before = tuple(stem(w) for w in words(line[max(0, start - 60) : start])[-4:])
        out.append(
            Value(
                _word_value(m),
                "number",
                (start, end),
                m.group(0),
                duration=stem(m.group("dur")) if m.group("dur") else None,
                after=after,
                before=before,
            )
        )
    return out
