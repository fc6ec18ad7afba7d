"""Named items laid out as repeated cards or list entries (customers, integrations, services, brands).

A listing page shows its items in a repeated structure: a grid of cards that each start with a heading,
a list whose entries start with a bold name, a wall of logos. Section headings ("Featured customers"),
calls to action ("Read the case study") and the company's own name are not items. Every item is quoted
verbatim from its page (its visible line, or the `alt="..."` attribute of a logo).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dossier.research.analyze.text import tokens
from dossier.research.document import Document
from dossier.research.evidence import Finding

_WS = re.compile(r"\s+")
_CONNECTORS = frozenset("and & of the de del da di van von der für for by + y et und la le los las".split())
CTA = re.compile(
    r"^(learn more|read more|read the (case )?stud(y|ies)|read the story|read story|view all|see all|see more|"
    r"contact( us)?|get started|book a demo|book a call|start free|start for free|sign up|log in|request a demo|"
    r"talk to (sales|us|our team)|case stud(y|ies)|customer stor(y|ies)|join (them|us)|try it free|explore|"
    r"get in touch|schedule a demo|watch (the )?video|download|subscribe|view case study|more stories)\b",
    re.I,
)
_CLUTTER = ("script", "style", "noscript", "template", "svg", "iframe", "header", "nav", "footer", "form", "aside")
_SECTION_TAGS = ("h1", "h2", "h3", "h4", "h5")


@dataclass
class Item:
    name: str
    quote: str
    section: str  # nearest heading above the item that is not itself an item
    signature: tuple[str, ...]
    order: int
    from_logo: bool = False


def own_names(domain: str) -> set[str]:
    """Normalised forms of the company's own name as derived from its domain (``acme-labs.com`` → ``acmelabs``)."""
    label = domain.lower().removeprefix("www.").split(".")[0]
    return {_norm(label), _norm(label.replace("and", ""))}


def _norm(text: str) -> str:
    text = text.lower().replace("&", "and")
    text = re.sub(r"\b(inc|llc|ltd|gmbh|corp|co|hq|the)\b\.?", "", text)
    return re.sub(r"[^a-z0-9]", "", text)


def is_own_name(name: str, domain: str) -> bool:
    n = _norm(name)
    own = own_names(domain)
    return bool(n) and (n in own or n.replace("and", "") in own)


def name_like(text: str) -> bool:
    """A product, company or service name rather than a sentence or a heading of a section."""
    if not 2 <= len(text) <= 60 or text.endswith(("?", "!", ":", ",", ";")) or CTA.match(text):
        return False
    words = text.split()
    if not 1 <= len(words) <= 6:
        return False
    if text.endswith(".") and not re.search(r"\b(co|inc|ltd|corp|bros|jr|st)\.$", text, re.I):
        return False
    lower = [w for w in words if w[:1].islower() and w.lower() not in _CONNECTORS]
    if len(words) == 1:
        return True
    return (len(lower) <= 1 and words[0][:1].isupper()) or len(lower) == 0


def _text(node: Any) -> str:
    return _WS.sub(" ", node.text(separator=" ") or "").strip()


def _sig(node: Any) -> tuple[str, str]:
    if node is None:
        return ("", "")
    return (str(node.tag), str((node.attributes or {}).get("class") or ""))


def _next_element(node: Any) -> Any:
    nxt = node.next
    while nxt is not None and nxt.tag in ("-text", "-comment"):
        nxt = nxt.next
    return nxt


def _lead_name(li: Any) -> str | None:
    """The name an entry of a list starts with: its bold/linked/heading lead, or the whole entry when short."""
    first = li.child
    while first is not None and (
        first.tag == "-comment" or (first.tag == "-text" and not (first.text() or "").strip())
    ):
        first = first.next
    if first is not None and first.tag in ("strong", "b", "a", "h3", "h4", "h5", "span", "em"):
        lead = _text(first)
        if lead:
            return lead
    whole = _text(li)
    return whole if len(whole.split()) <= 6 else None


def _introduces_list(heading: Any) -> bool:
    """Whether the elements after a heading, up to the next heading, hold a list, a table or headed cards."""
    nxt = _next_element(heading)
    while nxt is not None and str(nxt.tag) not in _SECTION_TAGS:
        if str(nxt.tag) in ("ul", "ol", "dl", "table") or nxt.css_first("ul, ol, dl, table, h2, h3, h4, h5"):
            return True
        nxt = _next_element(nxt)
    return False


def page_items(doc: Document) -> list[Item]:
    """Candidate items on one page, grouped by the structure that repeats them (a group of one is dropped)."""
    tree = HTMLParser(doc.body)
    root = tree.css_first("main") or tree.css_first("[role=main]") or tree.body
    if root is None:
        return []
    for tag in _CLUTTER:
        for node in root.css(tag):
            node.decompose()
    lines = doc.text.splitlines()

    def line_with(name: str) -> str | None:
        return next((line for line in lines if line == name), None) or next(
            (line for line in lines if line.startswith(name)), None
        )
    raw: list[Item] = []
    section = ""
    order = 0
    for node in root.traverse():
        order += 1
        tag = str(node.tag)
        if tag in _SECTION_TAGS:
            text = _text(node)
            nxt = _next_element(node)
            is_section = tag == "h1" or nxt is None or nxt.tag in ("ul", "ol", "dl", "table") or _introduces_list(node)
            if text and is_section:
                section = text
                continue
            if text:
                raw.append(Item(text, text, section, ("h", tag, *_sig(node.parent)), order))
        elif tag == "li":
            name = _lead_name(node)
            quote = line_with(name) if name else None
            if name and quote:
                parent = node.parent
                signature = ("li", *_sig(parent), *_sig(parent.parent if parent else None))
                raw.append(Item(name, quote, section, signature, order))
        elif tag == "img":
            alt = html.unescape((node.attributes or {}).get("alt") or "").strip()
            name = re.sub(r"\s+(logo|logotype|icon)$", "", alt, flags=re.I).strip()
            raw_alt = (node.attributes or {}).get("alt") or ""
            quote = f'alt="{raw_alt}"'
            if name and quote in doc.body:
                raw.append(Item(name, quote, section, ("img", *_sig(node.parent)), order, from_logo=True))
    groups: dict[tuple[str, ...], list[Item]] = {}
    for item in raw:
        groups.setdefault(item.signature, []).append(item)
    out: list[Item] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        names = [m for m in members if name_like(m.name)]
        # A repeated structure whose entries are mostly sentences (story titles) is not a list of names.
        if len(names) * 2 < len(members):
            continue
        out += names
    out.sort(key=lambda i: i.order)
    return out


def _listing_pages(docs: list[Document], page_pattern: str) -> tuple[list[Document], list[Document]]:
    listing, detail = [], []
    for doc in docs:
        if doc.kind != "page":
            continue
        segments = [s for s in doc.path.split("/") if s]
        if not segments:
            continue
        if re.search(page_pattern, "/" + segments[-1], re.I):
            listing.append(doc)
        elif re.search(page_pattern, doc.path, re.I):
            detail.append(doc)
    return listing, detail


def listed_items(docs: list[Document], page_pattern: str, domain: str, question: str = "") -> list[Finding]:
    """Items on the listing pages whose path matches `page_pattern`, narrowed to the sections the question names."""
    listing, detail = _listing_pages(docs, page_pattern)
    items: list[tuple[Item, Document]] = []
    for doc in listing or detail:
        items += [(i, doc) for i in page_items(doc)]
    items = [(i, d) for i, d in items if not is_own_name(i.name, domain)]
    items = _narrow_to_sections(items, question, domain)
    out: list[Finding] = []
    seen: list[str] = []
    for item, doc in items:
        if item.quote not in doc.text and item.quote not in doc.body:
            continue
        key = _norm(item.name)
        if not key or any(key == s or (len(s) > 3 and (key in s or s in key)) for s in seen):
            continue
        seen.append(key)
        out.append(Finding("item", item.name, item.quote, doc, 0.7 if item.from_logo else 0.75, item.section))
    return out


_KIND_WORDS = re.compile(
    r"^(integrat\w*|customers?|clients?|partners?|tools?|systems?|apps?|platforms?|software|compan\w*|brands?|"
    r"work\w*|services?|products?|offer\w*|listed|named|featured|website|site|use|used|support\w*|connect\w*)$"
)


def _narrow_to_sections(items: list[tuple[Item, Document]], question: str, domain: str) -> list[tuple[Item, Document]]:
    sections = {i.section for i, _ in items}
    if len(sections) < 2 or not question:
        return items
    own = own_names(domain)
    asked = {_stem(t) for t in tokens(question) if not _KIND_WORDS.match(t) and _norm(t) not in own}
    if not asked:
        return items
    overlap = {s: len(asked & {_stem(t) for t in tokens(s)}) for s in sections}
    most = max(overlap.values())
    if not most:
        return items
    matching = {s for s, n in overlap.items() if n == most}
    return [(i, d) for i, d in items if i.section in matching]


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word
