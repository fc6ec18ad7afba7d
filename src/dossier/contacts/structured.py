"""People a page states in schema.org markup: JSON-LD `Person` objects (top level, in `@graph`, or nested
under an organisation's `founder`/`employee`/`member` or a post's `author`) and microdata
(`itemtype=".../Person"` with `itemprop="name"` / `"jobTitle"`).

Every value is kept as the page wrote it, and each person's quote is the page's own markup: for JSON-LD the
source text from the person's `"name"` to their `"jobTitle"` (or the name alone), for microdata the visible
text of the person's element. The relation comes from the key the person sits under."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from dossier.research.document import Document

# The key a Person sits under, and what it makes them to the organisation whose markup holds them.
_UNDER = {
    "founder": "founder", "founders": "founder", "author": "author", "creator": "author",
    "employee": "employee", "employees": "employee", "member": "employee", "members": "employee",
    "contactpoint": "employee", "funder": "investor", "sponsor": "investor",
}  # fmt: skip
_MAX_NAME = 80
_MAX_TITLE = 120
_MAX_SPAN = 600  # characters between a person's name and title in the source for one quote to hold both


@dataclass
class Stated:
    name: str
    title: str | None
    relation: str
    quote: str
    profiles: list[str] = field(default_factory=list)  # sameAs / url links


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    values = t if isinstance(t, list) else [t]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, dict):
        value = value.get("name")
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _name_parts(obj: dict[str, Any]) -> list[str]:
    """The name as the markup states it: `name`, else `givenName` and `familyName`; [] for a handle or one word
    (not enough to find a person by)."""
    name = _text(obj.get("name"))
    parts = [name] if name else [p for p in (_text(obj.get(k)) for k in ("givenName", "familyName")) if p]
    full = " ".join(parts)
    if len(full) > _MAX_NAME or len(full.split()) < 2 or any(c in full for c in "@/<>{}"):
        return []
    return parts


def _raw(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)[1:-1]


def _quote(body: str, parts: list[str]) -> str | None:
    """The source text spanning every part (the name or its given and family names, then the title, each as
    the JSON-LD wrote it), verbatim; None when the first part is not in the source."""
    first, rest = parts[0], parts[1:]
    for m in re.finditer(re.escape(_raw(first)), body):
        lo, hi = m.start(), m.end()
        base = max(0, m.start() - _MAX_SPAN)
        window = body[base : m.end() + _MAX_SPAN]
        for part in rest:
            at = window.find(_raw(part))
            if at < 0:
                break
            lo, hi = min(lo, base + at), max(hi, base + at + len(_raw(part)))
        else:
            return " ".join(body[lo:hi].split())
    return None


def jsonld_people(doc: Document) -> list[Stated]:
    out: list[Stated] = []
    seen: set[str] = set()

    def visit(obj: Any, under: str | None) -> None:
        if isinstance(obj, list):
            for item in obj:
                visit(item, under)
            return
        if not isinstance(obj, dict):
            return
        if "person" in _types(obj):
            parts = _name_parts(obj)
            name = " ".join(parts)
            if name and name not in seen:
                title = _text(obj.get("jobTitle")) or _text(obj.get("roleName"))
                if title and len(title) > _MAX_TITLE:
                    title = None
                quote = _quote(doc.body, [*parts, title] if title else parts)
                if quote is None and title:
                    title, quote = None, _quote(doc.body, parts)
                if quote is not None:
                    seen.add(name)
                    links = obj.get("sameAs")
                    profiles = [u for u in (links if isinstance(links, list) else [links]) if isinstance(u, str)]
                    if isinstance(obj.get("url"), str):
                        profiles.append(obj["url"])
                    out.append(Stated(name, title, _UNDER.get(under or "", "employee"), quote, profiles))
        for key, value in obj.items():
            if isinstance(value, (dict, list)) and key != "@context":
                visit(value, key.lower())

    for obj in doc.jsonld:
        if "@graph" in obj:
            continue  # its items are in doc.jsonld too
        visit(obj, None)
    return out


def microdata_people(doc: Document) -> list[Stated]:
    if not doc.body or "itemtype" not in doc.body:
        return []
    root = LexborHTMLParser(doc.body).body
    if root is None:
        return []
    out: list[Stated] = []
    for node in root.css("[itemtype]"):
        if not (node.attributes.get("itemtype") or "").rstrip("/").lower().endswith("schema.org/person"):
            continue
        name_node = node.css_first('[itemprop="name"]')
        title_node = node.css_first('[itemprop="jobTitle"]')
        name = " ".join(name_node.text().split()) if name_node else ""
        title = " ".join(title_node.text().split()) if title_node else None
        if not name or len(name.split()) < 2 or len(name) > _MAX_NAME:
            continue
        quote = " ".join(node.text(separator=" ").split())
        if len(quote) > _MAX_SPAN:
            quote = f"{name}, {title}" if title else name
        relation = "author" if (node.attributes.get("itemprop") or "").lower() == "author" else "employee"
        profiles = [a.attributes.get("href") or "" for a in node.css('a[itemprop="sameAs"], link[itemprop="sameAs"]')]
        out.append(Stated(name, title or None, relation, quote, [p for p in profiles if p]))
    return out


def people(doc: Document) -> list[Stated]:
    """Everyone a page's schema.org markup names, JSON-LD first, once per name."""
    seen: set[str] = set()
    out = []
    for s in [*jsonld_people(doc), *microdata_people(doc)]:
        if s.name not in seen:
            seen.add(s.name)
            out.append(s)
    return out
