"""Technology fingerprints from Dossier's own data file (data/fingerprints/technologies.json)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from dossier.research.document import Document
from dossier.research.evidence import Finding

DATA = Path(__file__).resolve().parent.parent / "data" / "fingerprints" / "technologies.json"

# How directly each kind of trace shows the product is in use.
_STRENGTH = {
    "scriptSrc": 0.95, "meta": 0.95, "mx": 0.95, "spf": 0.85, "dnsTxt": 0.8, "headers": 0.9, "html": 0.85,
    "cookies": 0.8, "linkHref": 0.6,
}  # fmt: skip


@dataclass
class Technology:
    name: str
    category: str
    categories: frozenset[str]
    aliases: tuple[str, ...]
    patterns: dict[str, list[re.Pattern[str]]] = field(default_factory=dict)
    headers: dict[str, re.Pattern[str]] = field(default_factory=dict)
    meta: dict[str, re.Pattern[str]] = field(default_factory=dict)


@cache
def technologies() -> tuple[Technology, ...]:
    raw = json.loads(DATA.read_text())
    out = []
    for t in raw["technologies"]:
        p = t.get("patterns", {})
        tech = Technology(
            name=t["name"],
            category=t["category"],
            categories=frozenset([t["category"], *t.get("also", [])]),
            aliases=tuple(a.lower() for a in t.get("aliases", [])),
        )
        for key in ("scriptSrc", "html", "cookies", "linkHref", "dnsTxt", "spf", "mx"):
            tech.patterns[key] = [re.compile(x, re.I) for x in p.get(key, [])]
        tech.headers = {k.lower(): re.compile(v, re.I) for k, v in p.get("headers", {}).items()}
        tech.meta = {k.lower(): re.compile(v, re.I) for k, v in p.get("meta", {}).items()}
        out.append(tech)
    return tuple(out)


def by_name() -> dict[str, Technology]:
    return {t.name.lower(): t for t in technologies()}


def _first(patterns: list[re.Pattern[str]], values: list[str]) -> tuple[str, str] | None:
    for value in values:
        for pattern in patterns:
            m = pattern.search(value)
            if m:
                return value, m.group(0)
    return None


def detect(doc: Document) -> list[Finding]:
    """Every technology this document shows, each with its strongest trace."""
    if doc.kind == "dns":
        return _detect_dns(doc)
    if doc.kind != "page":
        return []
    found: list[Finding] = []
    headers_text = doc.headers_text()
    for tech in technologies():
        best: Finding | None = None

        def offer(quote: str, how: str, tech: Technology = tech) -> None:
            nonlocal best
            strength = _STRENGTH[how]
            if best is None or strength > best.strength:
                best = Finding("technology", tech.name, quote, doc, strength, tech.category)

        hit = _first(tech.patterns["scriptSrc"], doc.script_srcs)
        if hit:
            src, _ = hit
            raw = src if src in doc.body else _relative(src, doc.body)
            offer(raw or hit[1], "scriptSrc")
        for pattern in tech.patterns["html"]:
            m = pattern.search(doc.body)
            if m and len(m.group(0)) >= 4:
                offer(m.group(0), "html")
                break
        for name, pattern in tech.headers.items():
            value = doc.headers.get(name)
            if value is not None and pattern.search(value):
                line = f"{name}: {value}"
                if line in headers_text:
                    offer(line, "headers")
        for cookie in doc.cookies:
            if any(p.search(cookie) for p in tech.patterns["cookies"]):
                offer(f"{cookie}=", "cookies")
                break
        for name, pattern in tech.meta.items():
            content = doc.meta.get(name)
            if content is not None and pattern.search(content) and content in doc.body:
                offer(content, "meta")
        hit = _first(tech.patterns["linkHref"], doc.link_hrefs)
        if hit and hit[1] in doc.body:
            offer(hit[1], "linkHref")
        if best is not None:
            found.append(best)
    return found


def _relative(src: str, body: str) -> str | None:
    from urllib.parse import urlsplit

    parts = urlsplit(src)
    query = f"?{parts.query}" if parts.query else ""
    candidates = (
        "//" + parts.netloc + parts.path + query,
        "//" + parts.netloc + parts.path,
        parts.path + query,
        parts.path,
    )
    return next((c for c in candidates if c and c in body), None)


def _detect_dns(doc: Document) -> list[Finding]:
    """DNS documents hold lines like `MX 10 aspmx.l.google.com` and `TXT v=spf1 include:... ~all`."""
    mx_hosts, txts, spf_includes = [], [], []
    for line in doc.text.splitlines():
        kind, _, value = line.partition(" ")
        if kind == "MX":
            mx_hosts.append((value.split(" ", 1)[-1], line))
        elif kind == "TXT":
            txts.append((value, line))
            if value.lower().startswith("v=spf1"):
                spf_includes += [(part[8:], line) for part in value.split() if part.lower().startswith("include:")]
    found = []
    for tech in technologies():
        for key, values, strength in (("mx", mx_hosts, 0.95), ("spf", spf_includes, 0.85), ("dnsTxt", txts, 0.8)):
            hit = next(((v, line) for v, line in values for p in tech.patterns[key] if p.search(v)), None)
            if hit:
                found.append(Finding("technology", tech.name, hit[1], doc, strength, tech.category))
                break
    return found
