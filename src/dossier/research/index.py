"""Sections of a crawl's pages, scoped to headings, and BM25 over them.

A section is the run of lines under one heading, with the page title and the heading path above it kept
as context: "Benefits > Holiday" says what "25 days a year" is about. Tables and lists stay as lines
(a table row is "cell | cell"), so the reader sees their structure. Lines that recur on most pages
(navigation, footers) are left out of every section.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dossier.research.document import Document
from dossier.research.lexicon import tokens

_WS = re.compile(r"\s+")
_HEADING_TAGS = "h1, h2, h3, h4, h5, h6"


@dataclass
class Section:
    doc: Document
    headings: tuple[str, ...]  # the heading path, outermost first ("" for text before any heading)
    lines: list[str]  # verbatim lines of the page text
    list_lines: frozenset[str] = frozenset()  # lines that are list items on the page
    tf: Counter[str] = field(default_factory=Counter)
    length: int = 0

    @property
    def heading(self) -> str:
        return self.headings[-1] if self.headings else ""

    @property
    def context(self) -> str:
        """Title, URL words and heading path: what the section is about."""
        return " ".join([self.doc.title, url_words(self.doc.url), *self.headings])

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def site_of(url: str) -> str:
    """The site a URL is on: its host, lowercased (urlsplit does that) and without a leading "www."; "" for none."""
    return (urlsplit(url).hostname or "").removeprefix("www.")


def page_key(url: str) -> str:
    """A page's identity across http/https, www. and a trailing slash."""
    return f"{site_of(url)}{urlsplit(url).path.rstrip('/') or '/'}"


def url_words(url: str) -> str:
    path = unquote(urlsplit(url).path)
    return re.sub(r"[-_/.]+", " ", path).strip()


def _headings(doc: Document) -> list[tuple[int, str]]:
    tree = HTMLParser(doc.body)
    root = tree.body
    if root is None:
        return []
    for tag in ("nav", "footer", "header", "script", "style", "noscript"):
        for node in root.css(tag):
            node.decompose()
    out = []
    for node in root.css(_HEADING_TAGS):
        text = _WS.sub(" ", node.text(separator=" ") or "").strip()
        if text:
            out.append((int(str(node.tag)[1]), text))
    return out


def _list_items(doc: Document) -> set[str]:
    tree = HTMLParser(doc.body)
    return {_WS.sub(" ", li.text(separator="") or "").strip() for li in tree.css("li, dt, dd")}


CARD_FIELD_WORDS = 6
LABEL_WEIGHT = 1.0


def sections_of(doc: Document, boilerplate: set[str]) -> list[Section]:
    if doc.kind != "page":
        if doc.kind in ("jobboard", "sitemap") or not doc.text.strip():
            return []
        return [Section(doc, (doc.title,), [line for line in doc.text.splitlines() if line.strip()])]
    heads = _headings(doc)
    items = frozenset(_list_items(doc))
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    current = Section(doc, (), [], items)
    h = 0
    # Headings with nothing under them, each followed by one of their own level: a card's fields marked up as
    # headings ("Pro", "$35", "per user per month"). They open the lines of the section that has content.
    pending: list[str] = []
    for line in doc.text.splitlines():
        if h < len(heads) and line == heads[h][1]:
            level = heads[h][0]
            h += 1
            if current.lines:
                sections.append(current)
                pending = []
            elif stack and stack[-1][0] >= level and len(current.heading.split()) <= CARD_FIELD_WORDS:
                pending.append(current.heading)
            else:
                pending = []
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, line))
            current = Section(doc, tuple(t for _, t in stack), [], items)
            continue
        if line in boilerplate:
            continue
        if pending and not current.lines:
            current.lines.extend([*pending, current.heading])
            pending = []
        current.lines.append(line)
    if current.lines:
        sections.append(current)
    return sections


_CODE_START = re.compile(
    r"^\s*(?:def |class \w+[(:]|import \w|from [\w.]+ import|const |let |var |function\b|return\b|use \w+::|"
    r"(?:POST|GET|PUT|PATCH|DELETE) /|curl |\$ |>>> |npm |pip install|docker |git |export [A-Z_]+=|#include|"
    r"package \w|func )"
)
# snake_case names, method calls, and quoted keys of a JSON body ("city": "London")
_CODE_NAMES = re.compile(r"\b[a-z]+_[a-z_]+\b|\b\w+\.\w+\(|\"\w+\":\s")
_CODE_MARKS = frozenset("{};=<>`\\")


@lru_cache(maxsize=200_000)  # an index is rebuilt when a question fetches a few more pages: lines repeat
def code_like(line: str) -> bool:
    """A line of program text (a code sample, a command, a JSON body): docs sites are full of them, and a
    "city": "London" in a sample says nothing about where the company is."""
    s = line.strip()
    if len(s) < 8:
        return False
    if _CODE_START.match(s):
        return True
    marks = sum(1 for c in s if c in _CODE_MARKS)
    soft = sum(1 for c in s if c in "()[]")  # prose has parentheses and brackets too: they count half
    names = len(_CODE_NAMES.findall(s))
    return marks >= 1 and marks + names >= 2 and (marks + 0.5 * soft + 2 * names) / len(s) >= 0.05


# "Users: Pigment, Frontify", "Founded: 2014", "Adresse : 12 rue …": a short label, a colon, what it labels.
_LABEL = re.compile(r"^\s*([^\W\d][^:|]{0,38}?)\s?:\s+\S")


def line_label(line: str) -> str:
    """The label a line opens with, or "": one to four words before a colon that something follows."""
    m = _LABEL.match(line)
    if m is None or len(m.group(1).split()) > 4 or m.group(1).lower().startswith(("http", "www")):
        return ""
    return m.group(1)


def boilerplate_lines(docs: list[Document]) -> set[str]:
    """Lines on at least 40% of pages (and on 3 or more): navigation and footers, not any page's content."""
    pages = [d for d in docs if d.kind == "page"]
    if len(pages) < 3:
        return set()
    counts = Counter(line for d in pages for line in set(d.text.splitlines()))
    threshold = max(3, int(len(pages) * 0.4))
    return {line for line, n in counts.items() if n >= threshold}


class SectionIndex:
    """BM25 over sections; a section's heading path, title and URL count as part of its text.

    `split` caches each document's sections by snapshot id (a snapshot never changes), so an index over a
    crawl that grew by a few pages parses only the new ones.
    """

    def __init__(
        self,
        docs: list[Document],
        k1: float = 1.2,
        b: float = 0.75,
        split: dict[str, list[Section]] | None = None,
    ) -> None:
        split = split if split is not None else {}
        boiler = boilerplate_lines(docs)
        self.sections: list[Section] = []
        for doc in docs:
            if doc.snapshot_id not in split:
                split[doc.snapshot_id] = sections_of(doc, set())
            for raw in split[doc.snapshot_id]:
                lines = [ln for ln in raw.lines if ln not in boiler and not code_like(ln)]
                if lines:
                    self.sections.append(Section(raw.doc, raw.headings, lines, raw.list_lines))
        df: Counter[str] = Counter()
        for s in self.sections:
            tf = Counter(tokens(s.text))
            for t in tokens(s.context):
                tf[t] += 2  # what a section is about weighs more than a passing mention
            s.tf, s.length = tf, sum(tf.values())
            df.update(tf.keys())
        n = max(1, len(self.sections))
        self.avg = sum(s.length for s in self.sections) / n if self.sections else 1.0
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.k1, self.b = k1, b
        self._postings: dict[str, list[int]] = {}
        # A line's label is a heading of its own ("Users: Pigment, Frontify, …"), however long the section
        # around it: a section with a line labelled by a query term scores that term once more, in full.
        self._labelled: dict[str, set[int]] = {}
        for i, s in enumerate(self.sections):
            for t in s.tf:
                self._postings.setdefault(t, []).append(i)
            for line in s.lines:
                for t in tokens(line_label(line)):
                    self._labelled.setdefault(t, set()).add(i)

    def score(self, weights: dict[str, float]) -> list[tuple[float, Section]]:
        """Sections that share a term with the weighted query, best first."""
        scores: dict[int, float] = {}
        for term, w in weights.items():
            idf = self.idf.get(term)
            if idf is None:
                continue
            for i in self._postings[term]:
                s = self.sections[i]
                f = s.tf[term]
                norm = f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * s.length / self.avg))
                scores[i] = scores.get(i, 0.0) + w * idf * norm
            for i in self._labelled.get(term, ()):
                scores[i] += w * idf * LABEL_WEIGHT
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        return [(sc, self.sections[i]) for i, sc in ranked]
