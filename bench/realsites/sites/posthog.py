"""PostHog — open-source product analytics (YC W20); the PostHog handbook as published on posthog.com.

Only the handbook is rendered (`contents/handbook/**.md|mdx` at /handbook/<path>, `index.md` at /handbook/): the
rest of posthog.com (pricing, careers, team pages) is built from APIs at build time. Each handbook page carries
the handbook sidebar of `src/sidebars/sidebars.json` (its sections and page titles), so every page is reachable
from /handbook/. The site's root (/) shows the handbook's start page (`contents/handbook/index.md`) with the
same sidebar. The header links are the top-level items of `src/navs/index.json`; pages outside the handbook are
not rendered, so those links lead nowhere in this copy, as do links into /docs, /blog and /product.

The upstream snapshot is over the size limit; the snapshot comes from a fork (pxpeterxu/posthog.com) whose HEAD is
upstream commit 965845c9 (2022-02-16, "Adding grace (#2987)") — the handbook as of February 2022.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any

from bench.realsites.render import GitTree, Site, Source, esc, page_path, split_front_matter

SOURCE = Source(
    host="posthog.com",
    repo="pxpeterxu/posthog.com",
    commit="965845c934c43bdceb26487750b3014c93fd03b0",
    kind="OSS product-analytics SaaS (company handbook, Markdown/MDX)",
    notes="Upstream PostHog/posthog.com commit 965845c9 (2022-02-16), read from a fork's snapshot; handbook only.",
)

H = "contents/handbook/"


def _url(src: str) -> str:
    rel = src[len("contents/") :]
    return page_path(rel)


def _prep(text: str) -> str:
    """MDX/Markdown with HTML comments and `markdown="1"` attributes taken out (they are Gatsby-remark hints)."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r'\s+markdown="1"', "", text)
    text = text.replace("{' '}", " ")
    return text


def _resolver(source: str) -> Any:
    def resolve(href: str) -> str:
        h = href
        for prefix in ("https://posthog.com", "https://www.posthog.com", "http://posthog.com"):
            if h.startswith(prefix):
                h = h[len(prefix) :] or "/"
        if re.match(r"^[a-z][a-z0-9+.-]*:", h, re.I) or h.startswith("#") or h.startswith("//"):
            return h
        target, _, frag = h.partition("#")
        target = target.split("?")[0]
        if not h.startswith("/"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname("/" + source[len("contents/") :]), target))
        if re.search(r"\.(png|jpe?g|gif|svg|pdf|mp4|webm)$", target, re.I):
            return target
        return page_path(target) + (f"#{frag}" if frag else "")

    return resolve


def _sidebar(tree: GitTree) -> str:
    data = json.loads(tree.read("src/sidebars/sidebars.json")).get("handbook", [])

    def items(nodes: list[dict[str, Any]]) -> str:
        out = []
        for n in nodes:
            name = esc(str(n.get("name") or ""))
            link = f'<a href="{esc(page_path(n["url"]))}">{name}</a>' if n.get("url") else name
            kids = f"<ul>{items(n['children'])}</ul>" if n.get("children") else ""
            out.append(f"<li>{link}{kids}</li>")
        return "".join(out)

    return f'<nav class="handbook-sidebar"><ul>{items(data)}</ul></nav>'


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="PostHog")
    sidebar = _sidebar(tree)
    for p in sorted(tree.files(H, (".md", ".mdx"))):
        name = p.rsplit("/", 1)[-1]
        if name.startswith("_"):
            continue
        text = tree.read(p)
        meta, _ = split_front_matter(text)
        site.add_markdown(_url(p), _prep(text), resolve=_resolver(p))
        page = site.pages[_url(p)]
        if meta.get("showTitle") and not re.search(r"<h1[\s>]", page.body_html):
            page.body_html = f"<h1>{esc(page.title)}</h1>" + page.body_html
        page.body_html += sidebar
    start = site.pages.get("/handbook/")
    if start:
        site.add("/", "PostHog Handbook", start.body_html, start.description)

    nav = json.loads(tree.read("src/navs/index.json")).get("main", [])
    site.nav = [
        (n["title"], n["url"] if n["url"].startswith("http") else page_path(n["url"]))
        for n in nav
        if n.get("title") and n.get("url")
    ]
    site.nav.append(("Handbook", "/handbook/"))
    site.footer = [
        ("Handbook", "/handbook/"),
        ("Story", "/handbook/company/story/"),
        ("Team", "/handbook/company/team/"),
        ("Investors", "/handbook/strategy/investors/"),
    ]
    site.link_children()
    # handbook pages outside the sidebar and without a parent page: listed on the handbook's start page
    linked = {m for page in site.pages.values() for m in re.findall(r'href="([^"]+)"', page.body_html)}
    orphans = sorted(p for p in site.pages if p.startswith("/handbook/") and p != "/handbook/" and p not in linked)
    if orphans and "/handbook/" in site.pages:
        site.pages["/handbook/"].body_html += (
            '<nav class="section-pages"><ul>'
            + "".join(f'<li><a href="{esc(p)}">{esc(site.pages[p].title)}</a></li>' for p in orphans)
            + "</ul></nav>"
        )
    return site
