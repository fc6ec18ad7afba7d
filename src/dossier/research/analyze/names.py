"""Finding one person's name in text: the full name in any case and with or without accents, a common short
form of the first name ("Dan Okafor" for Daniel Okafor), with a middle initial or without.

An initial or a last name alone is weaker evidence than a name: it counts only on a page that also names the
person in full and nobody else with that last name ("D. Okafor" beside Dana Okafor could be either). Matching is done on folded text
(`fold`), so a match reports the line it was found on rather than a character span.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files

# Letters that Unicode does not decompose into a base letter and a mark.
_EXTRA_FOLDS = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "þ": "th",
     "\u0131": "i", "œ": "oe", "Œ": "oe"}
)  # fmt: skip
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Case- and accent-free words: `Zoë O'Brien-Łukasz` -> `zoe o brien lukasz`."""
    if text.isascii():  # most names and titles: nothing to decompose
        return " ".join(_NON_WORD.sub(" ", text.lower()).split())
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(_NON_WORD.sub(" ", bare).split())


@cache
def short_forms() -> dict[str, frozenset[str]]:
    """Each folded first name in data/nicknames.txt -> every name it shares a group with (itself included):
    a page may call Daniel "Dan" and an import may say "Bob"."""
    out: dict[str, set[str]] = {}
    for line in files("dossier.research").joinpath("data/nicknames.txt").read_text("utf-8").splitlines():
        names = line.split("#", 1)[0].split()
        for name in names:
            out.setdefault(name, set()).update(names)
    return {name: frozenset(group) for name, group in out.items()}


def first_name_forms(first: str) -> frozenset[str]:
    """The folded first name and its common short or long forms."""
    key = fold(first)
    return short_forms().get(key, frozenset()) | {key} if key else frozenset()


@dataclass(frozen=True)
class PersonName:
    first: str
    last: str

    @classmethod
    def parse(cls, full: str) -> PersonName:
        words = full.split()
        return cls(words[0] if words else "", " ".join(words[1:]))

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}".strip()

    @cached_property
    def _last(self) -> str:
        return fold(self.last)

    @cached_property
    def _names(self) -> tuple[re.Pattern[str], ...]:
        if not self._last:
            return (re.compile(rf"(?<![a-z0-9]){re.escape(fold(self.first))}(?![a-z0-9])"),) if self.first else ()
        forms = sorted(first_name_forms(self.first), key=len, reverse=True)
        alternatives = "|".join(re.escape(f) for f in forms)
        return (re.compile(rf"(?<![a-z0-9])(?:{alternatives}) (?:[a-z] )?{re.escape(self._last)}(?![a-z0-9])"),)

    @cached_property
    def _any_with_last(self) -> re.Pattern[str] | None:
        # Any capitalised first name before the last name, read on the original text.
        if not self.last:
            return None
        return re.compile(rf"\b([A-Z][\w'\u00c0-\u017f-]+)\.? {re.escape(self.last)}\b")

    def named_in(self, folded: str) -> bool:
        """Whether folded text names this person by name (short forms included; initials not)."""
        return any(p.search(folded) for p in self._names)

    def others_with_last_name(self, text: str) -> set[str]:
        """The first names other than this person's (and their short forms) that the text puts before the last
        name: "Dana Okafor" on a page researched for Daniel Okafor."""
        if self._any_with_last is None:
            return set()
        mine = first_name_forms(self.first)
        out = set()
        for m in self._any_with_last.finditer(text):
            word = fold(m.group(1))
            if len(word) > 1 and word not in mine:
                out.add(word)
        return out

    def lines_naming(self, text: str, others: set[str] | frozenset[str] = frozenset()) -> list[int]:
        """Indexes of the lines of `text` that name this person. On a page that names them in full and nobody
        else with their last name, "D. Okafor" and the last name alone ("Okafor joins from ...", the press's
        habit) are read as them too, but only after a line naming them in full and before the next line naming
        someone in `others` (folded names): on a team page, "Slack" in another member's bio is the chat tool,
        not Quinn Slack."""
        lines = text.splitlines()
        folded = [fold(line) for line in lines]
        named = [i for i, f in enumerate(folded) if self.named_in(f)]
        if not named or not self._last or self.others_with_last_name(text):
            return named
        last = re.compile(rf"(?<![a-z0-9]){re.escape(self._last)}(?![a-z0-9])")
        out: list[int] = []
        theirs = False  # inside the run of lines that starts with their full name
        for i, f in enumerate(folded):
            if i in named:
                theirs = True
                out.append(i)
                continue
            if any(o and o in f for o in others):
                theirs = False
            if theirs and last.search(f):
                out.append(i)
        return out

    def context(self, text: str, others: set[str], follow: int = 4) -> list[str]:
        """The lines that name this person, each with up to `follow` lines after it (their card, their bio)
        that stop at the next line naming someone in `others` (folded names) or them again."""
        lines = text.splitlines()
        out: list[str] = []
        for i in self.lines_naming(text, others):
            out.append(lines[i])
            for line in lines[i + 1 : i + 1 + follow]:
                folded = fold(line)
                if any(o and o in folded for o in others) or self.named_in(folded):
                    break
                out.append(line)
        return list(dict.fromkeys(out))


_THE_PERSON = re.compile(r"\b(?:this|the) (?:person|contact|individual|prospect|lead|candidate)(?P<s>'s)?\b", re.I)
_POSSESSIVE = re.compile(r"\b(?:their|his|her)\b", re.I)
_PRONOUN = re.compile(r"\b(?:they|he|she|them|him)\b", re.I)


def about_person(question: str, full_name: str) -> str:
    """The question with its person named: "What is the contact's role?" -> "What is Jane Doe's role?"."""
    text = _THE_PERSON.sub(lambda m: full_name + (m.group("s") or ""), question)
    text = _POSSESSIVE.sub(f"{full_name}'s", text)
    return _PRONOUN.sub(full_name, text)
