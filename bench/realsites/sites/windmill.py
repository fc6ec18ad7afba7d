"""Windmill — open-source developer platform for scripts, workflows and internal apps (Windmill Labs).

windmill.dev is a Docusaurus site (windmill-labs/windmilldocs). Its full repository (marketing React pages such as
about/careers/pricing, plus docs and blog) is too large to bring in, so this renders the public content mirror that
Windmill's docs bot syncs from it (windmill-labs/windmilldocs-public, here read from a fork's snapshot,
codenio/windmilldocs-public, whose HEAD is the bot's sync of private commit 4c1bafd1, 2026-06-30): the docs
(/docs/..., Docusaurus URL rules: number prefixes like "7_" dropped, `index.mdx` → its folder, front-matter `slug`
relative to /docs or absolute), the blog (/blog/<slug>, with authors from `blog/authors.yml`) and the changelog
(/changelog/<slug>). The marketing pages (/, /pricing, /about, /careers) are not in that mirror; the homepage here is
the docs' introduction followed by links to the sections. `<DocCard title description href>` components are
rendered as links with their title and description, other JSX components are dropped with their children kept.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

import yaml

from bench.realsites.render import (
    GitTree,
    Site,
    Source,
    esc,
    markdown_to_html,
    page_path,
    rewrite_links,
    split_front_matter,
)

SOURCE = Source(
    host="windmill.dev",
    repo="codenio/windmilldocs-public",
    commit="46ea3d0a0eaaef7289609cd3963ac0fe293a83d7",
    kind="OSS dev-tool company (Docusaurus MD/MDX docs, blog, changelog)",
    notes="windmill-labs/windmilldocs-public (docs bot sync of windmilldocs @ 4c1bafd1, 2026-06-30) via a fork's "
    "snapshot; marketing pages are not in the public mirror.",
)

BLOG_CAP = 150
_NUM = re.compile(r"^\d+[-_. ]+")
_DOCCARD = re.compile(r"<DocCard\b(.*?)/>", re.S)


def _attr(attrs: str, name: str) -> str:
    m = re.search(rf'\b{name}=(?:"([^"]*)"|\'([^\']*)\'|\{{\s*["\'`]([^"\'`]*)["\'`]\s*\}})', attrs)
    return (m.group(1) or m.group(2) or m.group(3) or "") if m else ""


def _doccards(body: str) -> str:
    def sub(m: re.Match[str]) -> str:
        a = m.group(1)
        title, desc, href = _attr(a, "title"), _attr(a, "description"), _attr(a, "href")
        if not title:
            return ""
        return f"\n\n- [{title}]({href or '#'}){': ' + desc if desc else ''}\n\n"

    return _DOCCARD.sub(sub, body)


def _doc_url(rel: str, meta: dict[str, Any]) -> str:
    """Docusaurus URL of docs/<rel>."""
    parts = rel.split("/")
    name = re.sub(r"\.(md|mdx)$", "", parts[-1])
    folders = [_NUM.sub("", p) for p in parts[:-1]]
    slug = meta.get("slug")
    if isinstance(slug, str) and slug:
        if slug.startswith("/"):
            return page_path("/docs" + slug)
        return page_path("/docs/" + "/".join([*folders, slug]))
    if name in ("index", "README") or (folders and _NUM.sub("", name) == folders[-1]):
        return page_path("/docs/" + "/".join(folders))
    return page_path("/docs/" + "/".join([*folders, str(meta.get("id") or _NUM.sub("", name))]))


def _post_url(base: str, rel: str, meta: dict[str, Any]) -> str:
    slug = meta.get("slug")
    if isinstance(slug, str) and slug:
        return page_path(f"{base}/{slug.lstrip('/')}")  # blog slugs are relative to the blog's base path
    folder = rel.split("/")[0]
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$", folder)
    if m:
        return page_path(f"{base}/{m.group(1)}/{m.group(2)}/{m.group(3)}/{m.group(4)}")
    return page_path(f"{base}/{folder}")


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Windmill")
    try:
        authors = yaml.safe_load(tree.read("blog/authors.yml")) or {}
    except Exception:
        authors = {}

    entries: list[tuple[str, str, dict[str, Any], str, str]] = []  # (path, url, meta, body, kind)
    url_of: dict[str, str] = {}
    for path in tree.files("docs/", (".md", ".mdx")):
        if "/." in path or path.rsplit("/", 1)[-1].startswith("_"):
            continue
        meta, body = split_front_matter(tree.read(path))
        url = _doc_url(path[len("docs/") :], meta)
        if path == "docs/intro.mdx" and not meta.get("slug"):
            url = "/docs/"
        url_of[path] = url
        entries.append((path, url, meta, body, "docs"))
    posts = []
    for kind in ("blog", "changelog"):
        for path in tree.files(f"{kind}/", (".md", ".mdx")):
            meta, body = split_front_matter(tree.read(path))
            rel = path[len(kind) + 1 :]
            url = _post_url(f"/{kind}", rel, meta)
            url_of[path] = url
            date = rel.split("/")[0][:10]
            posts.append((kind, date, path, url, meta, body))
    for kind in ("blog", "changelog"):
        mine = sorted((p for p in posts if p[0] == kind), key=lambda p: p[1], reverse=True)[:BLOG_CAP]
        for _k, date, path, url, meta, body in mine:
            entries.append((path, url, meta | {"_date": date}, body, kind))
        items = "".join(
            f'<li><a href="{u}">{esc(str(m.get("title") or u))}</a> ({esc(d)})</li>' for _k, d, _p, u, m, _b in mine
        )
        title = "Blog" if kind == "blog" else "Changelog"
        site.add(f"/{kind}/", title, f"<h1>{title}</h1><ul>{items}</ul>")

    def resolver(source: str):
        def resolve(href: str) -> str:
            h = re.sub(r"^https?://(www\.)?windmill\.dev(?=/|$)", "", href) or "/"
            h = h.replace("pathname://", "")
            if re.match(r"^[a-z][a-z0-9+.-]*:", h, re.I) or h.startswith("#"):
                return h
            target, _, frag = h.partition("#")
            if target.startswith("/"):
                if not re.search(r"\.(png|jpe?g|gif|svg|webp|pdf|mp4|json|ya?ml)$", target, re.I):
                    target = page_path(target)
            elif target:
                joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
                for cand in (joined, joined + "/index.mdx", joined + "/index.md", joined + ".mdx", joined + ".md"):
                    if cand in url_of:
                        target = url_of[cand]
                        break
            return target + (f"#{frag}" if frag else "")

        return resolve

    for path, url, meta, body, kind in entries:
        body = _doccards(body)
        body = re.sub(r"\{/\*.*?\*/\}", "", body, flags=re.S)
        body_html = rewrite_links(markdown_to_html(body), resolver(path))
        if kind != "docs":
            names = meta.get("authors") or []
            names = [names] if isinstance(names, str) else names
            who = []
            for a in names:
                info = authors.get(a) if isinstance(a, str) else None
                if isinstance(info, dict):
                    who.append(f"{info.get('name', a)}{', ' + info['title'] if info.get('title') else ''}")
            line = esc(meta.get("_date", "")) + (" — " + esc("; ".join(who)) if who else "")
            body_html = f"<p>{line}</p>\n" + body_html
        title = meta.get("title")
        if not title:
            m = re.search(r"^#\s+(.+)$", body, re.M)
            title = m.group(1).strip() if m else url
        site.add(url, str(title), body_html, str(meta.get("description") or ""))

    # homepage: the docs introduction and the sections
    intro = site.pages.get("/docs/")
    sections = [("Documentation", "/docs/"), ("Blog", "/blog/"), ("Changelog", "/changelog/")]
    links = "".join(f'<li><a href="{p}">{esc(t)}</a></li>' for t, p in sections)
    site.add(
        "/", "Windmill", (intro.body_html if intro else "") + f"<ul>{links}</ul>", intro.description if intro else ""
    )

    top = sorted({"/docs/" + u.split("/")[2] + "/" for u in site.pages if u.startswith("/docs/") and u.count("/") > 2})
    for sec in top:
        if sec not in site.pages:
            site.add(sec, sec.strip("/").split("/")[-1].replace("_", " ").capitalize(), "")
    site.nav = [
        ("Docs", "/docs/"),
        ("Blog", "/blog/"),
        ("Changelog", "/changelog/"),
        ("Plans & How to upgrade", url_of.get("docs/misc/7_plans_details/index.mdx", "/docs/misc/plans_details/")),
    ]
    site.footer = [(site.pages[s].title, s) for s in top] + [("GitHub", "https://github.com/windmill-labs/windmill")]
    site.link_children()
    return site
