"""Whether a sentence affirms or denies what it mentions: negation, hedges, past or closed states, and
questions (a FAQ heading phrased as a question asserts nothing)."""

from __future__ import annotations

import re

NEGATION = re.compile(
    r"\b(not|no(?!-\w)|never|none|neither|nor|without|cannot|can't|can\u2019t|don't|don\u2019t|doesn't|doesn\u2019t|"
    r"didn't|didn\u2019t|isn't|isn\u2019t|aren't|aren\u2019t|wasn't|weren't|won't|won\u2019t|haven't|hasn't|"
    r"unavailable|unable|lack|lacks|excluded?|except)\b",
    re.I,
)
HEDGE = re.compile(
    r"\b(in progress|underway|coming soon|soon|on (?:our|the) roadmap|eventually|not yet|not at this time|"
    # "currently in development" hedges; a job "in development and sales" does not.
    r"(?:is|are|currently|still) (?:in|under) development|under development|in the works)\b",
    re.I,
)
# Hedges that govern what follows them: "we aim to get SOC 2" hedges SOC 2, but in "the non-profit foundation,
# we aim to build …" the foundation's being a non-profit is stated before the hedge and is not hedged.
HEDGE_AHEAD = re.compile(
    r"\b(plan(?:s|ning|ned)? to|working (?:towards?|on)|expect(?:s|ed)? to|aim(?:s|ing)? to|intend(?:s|ed)? to|"
    r"in the process of|pursuing|considering|may consider|hope to|in (?:the )?future)\b",
    re.I,
)
PAST = re.compile(
    r"\b(previously|formerly|used to|no longer|discontinued|deprecated|closed|ended|retired|sunset|"
    r"was acquired|filled|expired)\b",
    re.I,
)
_CLAUSE = re.compile(
    r"[;.!?]\s|,\s(?:and|but|however|although|though|except|while|whereas|please|with)\b|\s\u2014\s|\bbut\b|\bhowever\b",
    re.I,
)
# A sentence that opens with a subordinate clause ends it at its first comma: in "If you need guidance on buying
# through AWS Marketplace, please don't hesitate to ask", the buying is not what the "don't" denies.
_OPENING = re.compile(
    r"^\s*(?:if|when|whenever|although|though|while|unless|once|after|before|because|since)\b[^,]*,\s", re.I
)
_LABEL = re.compile(r"^([^:]{1,60}):\s+(.+)$")
# Words that turn away what a list introduced by them names ("we reject support from:", "we do not accept:").
REFUSAL = re.compile(
    r"\b(rejects?|rejected|refuses?|refused|declines?|declined|prohibit(?:s|ed)?|forbids?|forbidden|bans?|banned|"
    r"exclusions?|blacklist(?:ed)?)\b",
    re.I,
)


def clause_around(line: str, pos: int) -> str:
    """The clause of `line` that holds character `pos`; for a "Label: value" line, the value speaks for the label."""
    return _clause_at(line, pos)[0]


def _clause_at(line: str, pos: int) -> tuple[str, int]:
    """The clause holding `pos` and where `pos` falls in it; past its end when the clause is a label's value,
    which speaks for the label as a whole ("SOC 2: we plan to certify next year")."""
    m = _LABEL.match(line)
    if m and pos < m.end(1):
        value = m.group(2)
        return _clause_at(value, 0)[0], len(value)
    start = 0
    bounds = [(c.start(), c.end()) for c in _CLAUSE.finditer(line)]
    opening = _OPENING.match(line)
    if opening:
        bounds = sorted([*bounds, (opening.end() - 2, opening.end())])
    for b_start, b_end in bounds:
        if b_end <= pos:
            start = b_end
        elif b_start >= pos:
            return line[start:b_start], pos - start
    return line[start:], pos - start


def polarity(line: str, pos: int) -> tuple[int, str]:
    """(+1 affirms, -1 denies, 0 asserts nothing) for what stands at `pos`, and why."""
    if line.rstrip().endswith("?"):
        return 0, "a question, not a statement"
    if _quoted_at(line, pos):
        return 0, "a word in quotes, not a statement about the thing"
    clause, at = _clause_at(line, pos)
    if PAST.search(clause):
        return -1, "past or closed"
    if HEDGE.search(clause) or any(m.start() < at for m in HEDGE_AHEAD.finditer(clause)):
        return -1, "not yet (planned or in progress)"
    if any(_negates_at(clause, m, at) for m in NEGATION.finditer(clause)):
        return -1, "negated"
    return 1, "stated"


def _negates_at(clause: str, m: re.Match[str], at: int) -> bool:
    """A "not-" compound negates only itself: "not-for-profit" denies profit, but a "not-for-profit, free and open
    source project" is free."""
    if clause[m.end() : m.end() + 1] != "-":
        return True
    end = m.end()
    while end < len(clause) and (clause[end].isalnum() or clause[end] == "-"):
        end += 1
    return m.start() <= at < end


_QUOTED = re.compile(
    r"\"[^\"\n]{1,60}\"|\u201c[^\u201d\n]{1,60}\u201d|(?<!\w)'[^'\n]{1,60}'(?!\w)|\u2018[^\u2019\n]{1,60}\u2019(?!\w)"
)


def _quoted_at(line: str, pos: int) -> bool:
    """Whether `pos` stands inside a short quotation: 'a "Hiring" issue', "map 'frontend engineer' to" speak of
    a label or a phrase, not of hiring or engineers."""
    return any(m.start() < pos < m.end() for m in _QUOTED.finditer(line))


def intro_denies(intro: str) -> bool:
    """Whether the line that introduces a list ("…, we will not accept:") denies what the list items name."""
    text = intro.rstrip()
    if not text.endswith(":"):
        return False
    return bool(REFUSAL.search(text) or NEGATION.search(clause_around(text, len(text) - 1)))
