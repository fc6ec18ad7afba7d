"""Labelled values laid out as structure rather than prose: table cells, definition lists, "Label: value" entries.

A pricing table puts a plan in each column and a property in each row ("Price per seat, per month" /
"$20"); a spec sheet or a definition list pairs a label with its value ("Maximum file size" / "2 GB").
Each entry keeps its row label, its column label (if any) and the section heading above it, and quotes the
visible lines it rests on (the row's cells are consecutive lines of the page text), so it can be verified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dossier.research.analyze import quantities
from dossier.research.analyze.text import money_values
from dossier.research.document import Document
from dossier.research.evidence import Finding

_WS = re.compile(r"\s+")
_CLUTTER = ("script", "style", "noscript", "template", "svg", "header", "nav", "footer", "form")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass
class Entry:
    label: str  # the row's label (first cell, <dt>, bold lead)
    column: str  # the column's header ("" when the structure has no columns)
    value: str  # the cell's visible text
    section: str  # nearest heading above the structure
    quote: str  # verbatim lines of the page text that hold label and value
    doc: Document
    header_quote: str = ""  # the column headers' lines, when there are columns


def _text(node: Any) -> str:
    return _WS.sub(" ", node.text(separator=" ") or "").strip()


def _quote(parts: list[str], doc: Document) -> str:
    """The parts as consecutive lines of the page text, or the longest part that is a line of it."""
    for sep in (" | ", "\n"):
        joined = sep.join(p for p in parts if p)
        if joined and joined in doc.text:
            return joined
    for p in sorted(parts, key=len, reverse=True):
        if p and p in doc.text:
            return p
    return ""


def _section_of(node: Any) -> str:
    """The text of the nearest heading before `node` in document order (siblings, then ancestors' siblings)."""
    cur = node
    while cur is not None:
        prev = cur.prev
        while prev is not None:
            if prev.tag in _HEADINGS:
                return _text(prev)
            if prev.tag not in ("-text", "-comment"):
                inner = prev.css("h1, h2, h3, h4, h5, h6")
                if inner:
                    return _text(inner[-1])
            prev = prev.prev
        cur = cur.parent
    return ""


def entries(doc: Document) -> list[Entry]:
    if doc.kind != "page" or not doc.body:
        return []
    tree = HTMLParser(doc.body)
    root = tree.body
    if root is None:
        return []
    for tag in _CLUTTER:
        for node in root.css(tag):
            node.decompose()
    out: list[Entry] = []
    for table in root.css("table"):
        out += _table_entries(table, doc)
    for dl in root.css("dl"):
        section = _section_of(dl)
        for dt in dl.css("dt"):
            dd = dt.next
            while dd is not None and dd.tag in ("-text", "-comment"):
                dd = dd.next
            if dd is None or dd.tag != "dd":
                continue
            label, value = _text(dt), _text(dd)
            quote = _quote([label, value], doc)
            if label and value and quote:
                out.append(Entry(label, "", value, section, quote, doc))
    for li in root.css("li"):
        first = li.child
        while first is not None and first.tag == "-text" and not (first.text() or "").strip():
            first = first.next
        whole = _text(li)
        if first is not None and first.tag in ("strong", "b"):
            label = _text(first)
            value = whole[len(label) :].lstrip(" :\u2014\u2013-").strip()
        else:
            m = re.match(r"^([^:\u2014]{2,60})(?::|\s\u2014)\s+(.+)$", whole)
            if not m:
                continue
            label, value = m.group(1).strip(), m.group(2).strip()
        if label and value and whole in doc.text:
            out.append(Entry(label, "", value, _section_of(li.parent) if li.parent else "", whole, doc))
    return out


def _table_entries(table: Any, doc: Document) -> list[Entry]:
    rows = [[_text(c) for c in tr.css("th, td")] for tr in table.css("tr")]
    rows = [r for r in rows if any(r)]
    if len(rows) < 2:
        return []
    head_nodes = table.css("thead tr")
    first_tr = table.css_first("tr")
    header: list[str] = []
    if head_nodes or (first_tr is not None and not first_tr.css("td")):
        header = rows[0]
        body = rows[1:]
    else:
        body = rows
    header_quote = _quote(header, doc) if header else ""
    caption = table.css_first("caption")
    section = _text(caption) if caption is not None else _section_of(table)
    out: list[Entry] = []
    for row in body:
        if len(row) < 2:
            continue
        quote = _quote(row, doc)
        if not quote:
            continue
        for j, value in enumerate(row[1:], start=1):
            column = header[j] if j < len(header) else ""
            out.append(Entry(row[0], column, value, section, quote, doc, header_quote))
    return out


def all_entries(docs: list[Document]) -> list[Entry]:
    out: list[Entry] = []
    for doc in docs:
        out += entries(doc)
    return out


def columns_named(question: str, found: list[Entry]) -> set[str]:
    """Column headers (plans, products) the question names."""
    named = set()
    for e in found:
        col = e.column
        if col and len(col) >= 3 and re.search(r"(?<!\w)" + re.escape(col) + r"(?!\w)", question, re.I):
            named.add(col)
    # "Team" inside "Team plus" is not asked when the longer one is.
    return {c for c in named if not any(c != o and c.lower() in o.lower() for o in named)}


_MAX_ASKED = re.compile(r"\b(max\w*|largest|most|up to|upper|highest|limit|biggest)\b", re.I)
_MIN_ASKED = re.compile(r"\b(min\w*|smallest|least|lowest|at least|fewest)\b", re.I)
_RANGE = re.compile(r"(\d[\d,.]*)\s?[\u2013\u2014-]\s?(\d[\d,.]*)")
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d])")


def value_of(entry: Entry, unit: str, question: str) -> tuple[float, str] | None:
    """The entry's value as (number, unit): unit "money" gives the currency, "%" a percentage, "" a count."""
    text = entry.value
    if unit == "money":
        money = money_values(text)
        if len(money) != 1 and not (money and text.startswith(money[0][2])):
            return None
        return money[0][0], money[0][1]
    if money_values(text):
        return None
    if unit == "%":
        m = re.match(r"^\s*(\d+(?:\.\d+)?)\s?%", text)
        return (float(m.group(1)), "%") if m else None
    if "%" in text:
        return None
    rng = _RANGE.search(text)
    if rng:
        lo, hi = (quantities_float(rng.group(1)), quantities_float(rng.group(2)))
        if lo is None or hi is None:
            return None
        if _MIN_ASKED.search(question) and not _MAX_ASKED.search(question):
            return lo, ""
        return hi, ""
    nums = _NUMBER.findall(text)
    if not nums or len(nums) > 2:
        return None
    n = quantities_float(nums[0])
    return (n, "") if n is not None else None


def quantities_float(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def lookup(
    question: str, found: list[Entry], unit: str, own: set[str] | None = None, named: set[str] | None = None
) -> tuple[Entry, float, str, float] | None:
    """(entry, value, unit, confidence) of the entry whose labels best name what `question` asks.

    When the question names a column (a plan), only that column's cells (and entries without columns)
    compete. The row label must share a term with the question; the cell's own words count less.
    """
    wanted = [t for t in quantities.terms(question, own) if not t.startswith("~")]
    if not wanted:
        return None
    named = columns_named(question, found) if named is None else named
    scored: list[tuple[float, int, Entry, float, str]] = []
    for n, e in enumerate(found):
        if e.column and named and e.column not in named:
            continue
        if e.column and not named:
            continue  # a cell of a table whose column the question does not name is ambiguous
        parsed = value_of(e, unit, question)
        if parsed is None:
            continue
        label_words = quantities._stems(e.label)
        label_hits = [t for t in wanted if quantities._match(t, label_words)]
        col_words = quantities._stems(e.column + " " + e.section)
        cell_hits = [t for t in wanted if t not in label_hits and quantities._match(t, quantities._stems(e.value))]
        if not label_hits and (not cell_hits or not e.column):
            continue  # words only in the value count for a cell of a named column, not for a free-standing entry
        score = (
            len(label_hits) + 0.5 * len(cell_hits) + 0.1 * len([t for t in wanted if quantities._match(t, col_words)])
        )
        if e.column:
            score += 0.75  # a cell of the column the question names
        score -= 0.05 * len([w for w in label_words if not any(quantities._match(t, [w]) for t in wanted)])
        scored.append((score, -n, e, parsed[0], parsed[1]))
    if not scored:
        return None
    scored.sort(key=lambda x: (x[0], x[1]), reverse=True)
    top = scored[0]
    conf = 0.85 if top[2].column else 0.8
    if len(scored) > 1 and scored[1][0] >= top[0] - 0.2 and scored[1][3] != top[3]:
        conf -= 0.15
    return top[2], top[3], top[4], conf


def findings(entry: Entry, value: Any, conf: float) -> list[Finding]:
    out = [Finding("entry", value, entry.quote, entry.doc, conf, entry.label)]
    if entry.column and entry.header_quote and entry.header_quote != entry.quote:
        out.append(Finding("entry_header", entry.column, entry.header_quote, entry.doc, conf, entry.column))
    return out
