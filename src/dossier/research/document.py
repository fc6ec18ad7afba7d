"""What the analyzers see of a stored snapshot: visible text, links, meta, JSON-LD, scripts, headers."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser

_SKIP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "head")
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n+")


@dataclass
class Document:
    url: str
    snapshot_id: str
    kind: str
    title: str = ""
    text: str = ""
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    links: list[tuple[str, str]] = field(default_factory=list)  # (absolute url, anchor text)
    meta: dict[str, str] = field(default_factory=dict)
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    script_srcs: list[str] = field(default_factory=list)
    link_hrefs: list[str] = field(default_factory=list)
    inline_scripts: str = ""
    cookies: list[str] = field(default_factory=list)
    fetched_at: str | None = None
    data: Any = None  # parsed JSON for job-board snapshots

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"

    def headers_text(self) -> str:
        """Headers as `name: value` lines: the form header evidence is quoted and verified in."""
        return "\n".join(f"{k}: {v}" for k, v in sorted(self.headers.items()))


_BLOCKS = (
    "p, div, li, ul, ol, dl, dt, dd, h1, h2, h3, h4, h5, h6, tr, table, thead, tbody, tfoot, section, article, "
    "header, footer, nav, main, aside, blockquote, pre, br, hr, form, fieldset, figure, figcaption, details, "
    "summary, address, caption, label, option, button"
)
_BREAK = "\u2029"  # paragraph separator: where a block starts or ends
_CELL = "\u241f"  # unit separator: where a table cell ends
_CELLS = re.compile(r"\s*\u241f\s*")
_ANY_WS = re.compile(r"[\s\u00a0]+")


def visible_text(html: str) -> tuple[str, str]:
    """(title, text) of an HTML page as a reader sees it: one line per block, inline markup joined.

    A sentence with a link or bold words in it stays one line ("We run on Postgres and Redis."), and a
    table row is one line with its cells joined by " | ", so a quote can span what the eye reads as one
    unit. Source line breaks inside a paragraph are only whitespace.
    """
    tree = HTMLParser(html)
    title_node = tree.css_first("title")
    title = _WS.sub(" ", title_node.text()).strip() if title_node else ""
    root = tree.body or tree.root
    if root is None:
        return title, ""
    for tag in _SKIP_TAGS:
        for node in root.css(tag):
            node.decompose()
    for node in root.css("td, th"):
        node.insert_after(_CELL)
    for node in root.css(_BLOCKS):
        node.insert_before(_BREAK)
        node.insert_after(_BREAK)
    raw = root.text(separator="", strip=False)
    lines = []
    for chunk in raw.split(_BREAK):
        line = _ANY_WS.sub(" ", _CELLS.sub(" | ", chunk)).strip().removesuffix(" |").strip()
        if line and line != "|":
            lines.append(line)
    return title, "\n".join(lines)


def parse_html(url: str, html: str) -> dict[str, Any]:
    """Structure of a page that is not visible text (kept out of `visible_text` on purpose)."""
    tree = HTMLParser(html)
    links: list[tuple[str, str]] = []
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        links.append((urljoin(url, href), _WS.sub(" ", a.text(separator=" ")).strip()))
    meta: dict[str, str] = {}
    for m in tree.css("meta"):
        key = (m.attributes.get("name") or m.attributes.get("property") or "").strip().lower()
        content = m.attributes.get("content")
        if key and content is not None and key not in meta:
            meta[key] = content.strip()
    jsonld: list[dict[str, Any]] = []
    inline: list[str] = []
    scripts: list[str] = []
    for s in tree.css("script"):
        src = s.attributes.get("src")
        if src:
            scripts.append(urljoin(url, src.strip()))
            continue
        body = s.text() or ""
        if (s.attributes.get("type") or "").lower() == "application/ld+json":
            jsonld.extend(_jsonld_objects(body))
        else:
            inline.append(body)
    hrefs = [urljoin(url, (n.attributes.get("href") or "").strip()) for n in tree.css("link[href]")]
    hrefs += [urljoin(url, (n.attributes.get("src") or "").strip()) for n in tree.css("iframe[src], img[src]")]
    return {
        "links": links,
        "meta": meta,
        "jsonld": jsonld,
        "script_srcs": scripts,
        "inline_scripts": "\n".join(inline),
        "link_hrefs": hrefs,
    }


def _jsonld_objects(text: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    out: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "@graph" in item:
                stack.append(item["@graph"])
            out.append(item)
    return out


def cookie_names(set_cookie: str) -> list[str]:
    names = []
    for line in set_cookie.split("\n"):
        name = line.split("=", 1)[0].strip()
        if name:
            names.append(name)
    return names


def build_document(
    *,
    url: str,
    snapshot_id: str,
    kind: str,
    body: str,
    text: str,
    title: str | None,
    headers: dict[str, str] | None,
    fetched_at: str | None = None,
) -> Document:
    headers = headers or {}
    doc = Document(
        url=url,
        snapshot_id=snapshot_id,
        kind=kind,
        title=title or "",
        text=text,
        body=body,
        headers=headers,
        fetched_at=fetched_at,
    )
    if kind == "page":
        parsed = parse_html(url, body)
        doc.links = parsed["links"]
        doc.meta = parsed["meta"]
        doc.jsonld = parsed["jsonld"]
        doc.script_srcs = parsed["script_srcs"]
        doc.inline_scripts = parsed["inline_scripts"]
        doc.link_hrefs = parsed["link_hrefs"]
        doc.cookies = cookie_names(headers.get("set-cookie", ""))
    elif kind == "jobboard":
        try:
            doc.data = json.loads(body)
        except ValueError:
            doc.data = None
    return doc
