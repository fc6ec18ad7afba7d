"""Sentry — application-monitoring SaaS; docs.sentry.io is a Next.js MDX site (getsentry/sentry-docs).

Rendered: the product-documentation sections of `docs/` the site's product sidebar lists
(`src/components/sidebar/sidebarLinks.tsx`): account, organization, product, pricing, cli, api,
security-legal-pii and concepts — about 330 pages. The per-SDK platform guides (`docs/platforms/`, ~1,500 pages)
and the contributor docs are left out to keep the docs to a few hundred pages.
Links follow the redirects of `src/middleware.ts` and `redirects.js` (user docs). Pages are served at their docs routes (`docs/pricing/quotas/index.mdx` → /pricing/quotas/). MDX components are
rendered the way they show on the page: `<Include name=...>` inlines `includes/<name>.mdx`, `<PageGrid>` lists the
section's child pages with their titles and descriptions (ordered by `sidebar_order`, then title), `<Expandable
title=...>` keeps its title; other components keep their children. The homepage is built from the text of
`src/components/home.tsx` (headings, intro and the cards' titles, descriptions and links); the header holds the
product sidebar's sections and the header links of `src/components/header.tsx`, the footer the homepage's footer
links.

The upstream snapshot is too large to bring in; the snapshot comes from a fork (zaidhaan/sentry-docs) whose HEAD
is upstream commit eebc508d (2024-12-11, "dotnet: clarify it runs on mobile (#12094)").
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import Any

from bench.realsites.render import (
    GitTree,
    Site,
    Source,
    esc,
    own_link,
    page_path,
    rewrite_links,
    split_front_matter,
)
from bench.realsites.render import markdown_to_html as _md_to_html

SOURCE = Source(
    host="docs.sentry.io",
    repo="zaidhaan/sentry-docs",
    commit="eebc508d56a3b060756d9a35c6190f5d247fd727",
    kind="dev-tool SaaS docs (Next.js MDX)",
    notes="Upstream getsentry/sentry-docs commit eebc508d (2024-12-11), read from a fork's snapshot.",
)

SECTIONS = ("account", "organization", "product", "pricing", "cli", "api", "security-legal-pii", "concepts")

_INCLUDE = re.compile(r"<Include\s+name=[\"']([^\"']+)[\"']\s*/>")
_PAGEGRID = re.compile(r"<PageGrid\b([^<>]*?)/>", re.S)
_EXPANDABLE = re.compile(r"<Expandable\b[^<>]*?title=(?:\"([^\"]*)\"|'([^']*)')[^<>]*>", re.S)
_ARCADE = re.compile(r"<Arcade\b[^<>]*?/>", re.S)


def _url(src: str) -> str:
    return page_path(src.removeprefix("docs/"))


def _order(meta: dict[str, Any], title: str) -> tuple[float, str]:
    try:
        order = float(meta.get("sidebar_order", 99999))
    except (TypeError, ValueError):
        order = 99999.0
    return (order, title.lower())


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Sentry Documentation")

    sources: dict[str, str] = {}  # url -> source path
    metas: dict[str, dict[str, Any]] = {}
    bodies: dict[str, str] = {}
    for section in SECTIONS:
        for path in tree.files(f"docs/{section}/", (".md", ".mdx")):
            meta, body = split_front_matter(tree.read(path))
            if meta.get("draft"):
                continue
            url = _url(path)
            sources[url], metas[url], bodies[url] = path, meta, body

    def include(name: str, depth: int = 0) -> str:
        name = name.removesuffix(".mdx").removesuffix(".md")
        for cand in (f"includes/{name}.mdx", f"includes/{name}.md", f"includes/{name}/index.mdx"):
            if tree.exists(cand):
                _meta, body = split_front_matter(tree.read(cand))
                if depth < 3:
                    body = _INCLUDE.sub(lambda m: include(m.group(1), depth + 1), body)
                return "\n\n" + body + "\n\n"
        return ""

    def children(url: str) -> list[str]:
        kids = [u for u in sources if u != url and u.startswith(url) and u[len(url) :].count("/") == 1]
        kids = [u for u in kids if metas[u].get("title") and not metas[u].get("sidebar_hidden")]
        return sorted(kids, key=lambda u: _order(metas[u], str(metas[u]["title"])))

    def page_grid(url: str, attrs: str) -> str:
        ex = re.search(r"exclude=\{\[(.*?)\]\}", attrs, re.S)
        exclude = re.findall(r"[\"']([\w-]+)[\"']", ex.group(1)) if ex else []
        header = re.search(r"header=[\"']([^\"']+)[\"']", attrs)
        items = []
        for kid in children(url):
            if kid.rstrip("/").rsplit("/", 1)[-1] in exclude:
                continue
            desc = metas[kid].get("description")
            items.append(
                f'<li><h4><a href="{esc(kid)}">{esc(str(metas[kid]["title"]))}</a></h4>'
                + (f"<p>{esc(str(desc))}</p>" if desc else "")
                + "</li>"
            )
        head = f"<h2>{esc(header.group(1))}</h2>" if header else ""
        return f"\n\n<nav>{head}<ul>{''.join(items)}</ul></nav>\n\n" if items else ""

    redirects = dict(re.findall(r"from:\s*'([^']+)',\s*to:\s*'([^']+)'", tree.read("src/middleware.ts")))

    user_redirects = tree.read("redirects.js").split("const userDocsRedirects", 1)[1].split("const redirects", 1)[0]
    prefix_redirects = []
    for src, dst in re.findall(r"source:\s*'([^']+)',\s*destination:\s*'([^']+)'", user_redirects):
        if src.endswith(":path*") and dst.endswith(":path*"):
            prefix_redirects.append((src[: -len(":path*")], dst[: -len(":path*")]))
        elif ":" not in src:
            redirects.setdefault(src, dst)

    def follow(target: str) -> str:
        for _ in range(5):
            for src, dst in prefix_redirects:
                if target.startswith(src) and target not in sources:
                    target = dst + target[len(src) :]
                    break
            nxt = redirects.get(target) or redirects.get(target.rstrip("/")) or redirects.get(target.rstrip("/") + "/")
            if not nxt or nxt == target:
                break
            target = nxt
        return target

    def resolver(url: str) -> Any:
        def resolve(href: str) -> str:
            h, target, frag = own_link(href, "docs.sentry.io")
            if target is None:
                return h
            if not target.startswith("/"):
                target = posixpath.normpath(posixpath.join(url, target))
            target = follow(page_path(target))
            if target.startswith("http"):
                return target + (f"#{frag}" if frag else "")
            return page_path(target) + (f"#{frag}" if frag else "")

        return resolve

    for url, body in bodies.items():
        body = _INCLUDE.sub(lambda m: include(m.group(1)), body)
        body = _PAGEGRID.sub(lambda m, u=url: page_grid(u, m.group(1)), body)
        body = _EXPANDABLE.sub(lambda m: f"\n\n**{m.group(1) or m.group(2)}**\n\n", body)
        body = _ARCADE.sub("", body)
        body_html = rewrite_links(_md_to_html(body), resolver(url))
        meta = metas[url]
        title = str(meta.get("title") or url)
        site.add(url, title, f"<h1>{esc(title)}</h1>\n{body_html}", str(meta.get("description") or ""))

    home = tree.read("src/components/home.tsx")
    site.add("/", "Sentry Documentation", _home_html(home), "Product documentation for Sentry.")

    sidebar = tree.read("src/components/sidebar/sidebarLinks.tsx")
    items = re.findall(r"title:\s*'([^']+)',\s*root:\s*'([^']+)'", sidebar)
    site.nav = [(title, f"/{root}/") for title, root in items if f"/{root}/" in site.pages]
    header = tree.read("src/components/header.tsx")
    for href, label in re.findall(r'<NavLink href="([^"]+)">([^<]+)</NavLink>', header):
        site.nav.append((label.strip(), href))
    site.footer = [
        (html.unescape(label.strip()), href if href.startswith("http") else page_path(href))
        for href, label in re.findall(r'<FooterLink href="([^"]+)"[^>]*>\s*([^<{]+?)\s*[<{]', home)
    ]
    site.footer = [(label, href) for label, href in site.footer if href.startswith("http") or href in site.pages]
    site.link_children()
    return site


def _home_html(src: str) -> str:
    body = src.split("export function Home", 1)[1].split("<footer", 1)[0]
    parts: list[str] = []
    for m in re.finditer(r"<h1[^>]*>(.*?)</h1>|<p[^>]*>(.*?)</p>|<h2[^>]*>(.*?)</h2>|<Card\b(.*?)/>", body, re.S):
        h1, p, h2, card = m.groups()
        if h1:
            parts.append(f"<h1>{esc(_text(h1))}</h1>")
        elif p:
            parts.append(f"<p>{esc(_text(p))}</p>")
        elif h2:
            parts.append(f"<h2>{esc(_text(h2))}</h2>")
        elif card:
            props = dict(re.findall(r'(\w+)="([^"]*)"', card))
            href = props.get("href", "")
            href = href if href.startswith("http") else page_path(href)
            parts.append(
                f'<section><h3><a href="{esc(href)}">{esc(props.get("title", ""))}</a></h3>'
                f"<p>{esc(props.get('description', ''))}</p></section>"
            )
    foot = src.split("<footer", 1)[1]
    copy = re.search(r"<p[^>]*>(.*?)</p>", foot, re.S)
    if copy:
        text = re.sub(r"\{[^}]*\}", "", copy.group(1))
        parts.append(f"<p>{esc(_text(text))}</p>")
    return "\n".join(parts)


def _text(s: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", s))).strip()
