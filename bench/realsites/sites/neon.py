"""Neon — serverless-Postgres company; the docs of neon.com are Markdown in neondatabase/website (`content/docs/`).

Only the documentation is rendered: the marketing pages (home, pricing, about, careers, legal) come from WordPress
at build time and are not in the repository. Every published page of `content/docs/` (drafts, `unused/`, the
README, the guide template and the empty changelog stub left out) is served at /docs/<path>/, and `/` shows the docs
home (`content/docs/introduction.md`), as /docs does on the live site. Front-matter `redirectFrom` paths and the
`/docs` root are followed when links are rewritten, and links written as https://neon.tech/docs/... stay on the
site. Components are rendered the way the docs show them:
- shared snippets (`content/docs/shared-content/index.js`: `<NeedHelp/>`, `<LRNotice/>`, ...) are inlined;
- `<CTA>` shows its title, description and button, with the defaults of `src/components/shared/doc-cta`;
- `<Admonition>` shows its title (or its type) above its text;
- `<DetailIconCards>` links show their title and description, and `<TechnologyNavigation>` logos their title;
- other components keep their children.
The header holds the docs sidebar's top-level sections (`content/docs/sidebar.yaml`) and the footer the links of
`src/constants/menus.js` that lead to docs pages or off the site.

The upstream snapshot is too large to bring in; the snapshot comes from a fork (Boby900/website) whose HEAD is
upstream commit 273f0d59 (2024-06-04, "Merge pull request #1781 from neondatabase/dprice-minor-updates-get-started").
At that time the site was served on neon.tech; the host here is neon.com, where the same docs live today.
"""

from __future__ import annotations

import html
import re
from typing import Any

import yaml

from bench.realsites.render import GitTree, Site, Source, esc, page_path, rewrite_links, split_front_matter
from bench.realsites.render import markdown_to_html as _md_to_html

SOURCE = Source(
    host="neon.com",
    repo="Boby900/website",
    commit="273f0d59fcdd0acb5bbe65db7f6f89c4ba1c1b62",
    kind="serverless-Postgres company docs (Markdown with MDX components)",
    notes="Upstream neondatabase/website commit 273f0d59 (2024-06-04), read from a fork's snapshot; content/docs only.",
)

SKIP = ("content/docs/README.md", "content/docs/guides/GUIDE_TEMPLATE.md", "content/docs/changelog.md")

_ATTR = re.compile(r'(\w+)=(?:"([^"]*)"|\'([^\']*)\')')


def _attrs(s: str) -> dict[str, str]:
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR.finditer(s)}


def _cta_defaults(tree: GitTree) -> dict[str, str]:
    src = tree.read("src/components/shared/doc-cta/doc-cta.jsx")
    block = src.split("DEFAULT_DATA = {", 1)[1].split("};", 1)[0]
    out = {k: v for k, v in re.findall(r"(\w+):\s*'([^']*)'", block)}
    links = tree.read("src/constants/links.js")
    m = re.search(r"buttonUrl:\s*LINKS\.(\w+)", block)
    if m:
        link = re.search(rf"\b{m.group(1)}:\s*'([^']+)'", links)
        if link:
            out["buttonUrl"] = link.group(1)
    return out


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Neon Docs")
    shared_map = dict(re.findall(r"(\w+):\s*'([^']+)'", tree.read("content/docs/shared-content/index.js")))
    shared = {
        name: split_front_matter(tree.read(f"content/docs/{path}.md"))[1]
        for name, path in shared_map.items()
        if tree.exists(f"content/docs/{path}.md")
    }
    cta_default = _cta_defaults(tree)

    pages: dict[str, tuple[dict[str, Any], str]] = {}
    redirects: dict[str, str] = {"/docs/": "/docs/introduction/"}
    for path in tree.files("content/docs/", (".md",)):
        if path in SKIP or path.startswith(("content/docs/unused/", "content/docs/shared-content/")):
            continue
        meta, body = split_front_matter(tree.read(path))
        if meta.get("isDraft"):
            continue
        url = page_path("docs/" + path.removeprefix("content/docs/"))
        pages[url] = (meta, body)
        for old in meta.get("redirectFrom") or []:
            old = str(old).split("#", 1)[0]
            redirects.setdefault(page_path(old), url)

    def resolve(href: str) -> str:
        h = href
        for prefix in ("https://neon.tech", "http://neon.tech", "https://neon.com", "https://www.neon.tech"):
            if h.startswith(prefix + "/docs"):
                h = h[len(prefix) :]
        if not h.startswith("/docs"):
            return h
        target, _, frag = h.partition("#")
        target = page_path(target.partition("?")[0])
        target = redirects.get(target, target)
        return target + (f"#{frag}" if frag else "")

    def render_body(body: str) -> str:
        for name, text in shared.items():
            body = re.sub(rf"<{name}\s*/>", lambda _m, t=text: f"\n\n{t}\n\n", body)

        def cta(m: re.Match[str]) -> str:
            a = {**cta_default, **_attrs(m.group(1))}
            return (
                f"\n\n<figure><h2>{esc(a.get('title', ''))}</h2><p>{esc(a.get('description', ''))}</p>"
                f'<p><a href="{esc(a.get("buttonUrl", ""))}">{esc(a.get("buttonText", ""))}</a></p></figure>\n\n'
            )

        body = re.sub(r"<CTA\b([^<>]*?)/>", cta, body)

        def admonition(m: re.Match[str]) -> str:
            a = _attrs(m.group(1))
            kind = a.get("type", "note")
            title = a.get("title") or ("Coming soon" if kind == "comingSoon" else kind)
            return f"\n\n**{title}**\n\n"

        body = re.sub(r"<Admonition\b([^<>]*)>", admonition, body)

        def cards(m: re.Match[str]) -> str:
            items = []
            for link in re.finditer(r"<a\b([^<>]*)>(.*?)</a>", m.group(1), re.S):
                a = _attrs(link.group(1))
                title = re.sub(r"<[^>]+>", "", link.group(2)).strip()
                desc = a.get("description", "")
                items.append(f'<li><a href="{esc(a.get("href", ""))}">{esc(html.unescape(title))}</a> {esc(desc)}</li>')
            return "\n\n<ul>" + "".join(items) + "</ul>\n\n"

        body = re.sub(r"<DetailIconCards\b[^<>]*>(.*?)</DetailIconCards>", cards, body, flags=re.S)

        def tech(m: re.Match[str]) -> str:
            items = []
            for img in re.finditer(r"<img\b([^<>]*?)/?>", m.group(1), re.S):
                a = _attrs(img.group(1))
                if a.get("href"):
                    items.append(f'<li><a href="{esc(a["href"])}">{esc(a.get("title") or a.get("alt", ""))}</a></li>')
            return "\n\n<ul>" + "".join(items) + "</ul>\n\n"

        body = re.sub(r"<TechnologyNavigation\b[^<>]*>(.*?)</TechnologyNavigation>", tech, body, flags=re.S)
        body = re.sub(r"<YoutubeIframe\b[^<>]*?/>", "", body)
        return rewrite_links(_md_to_html(body), resolve)

    for url, (meta, body) in pages.items():
        title = str(meta.get("title") or url)
        sub = meta.get("subtitle")
        head = f"<h1>{esc(title)}</h1>" + (f"<p>{esc(str(sub))}</p>" if sub else "")
        site.add(url, title, head + "\n" + render_body(body), str(meta.get("subtitle") or ""))

    intro = pages.get("/docs/introduction/")
    if intro:
        site.add("/", "Neon documentation", site.pages["/docs/introduction/"].body_html)

    # Header: the docs sidebar's top-level sections, each linking to its first page
    sidebar = yaml.safe_load(tree.read("content/docs/sidebar.yaml")) or []

    def first_slug(item: dict[str, Any]) -> str | None:
        if item.get("slug"):
            return str(item["slug"])
        for child in item.get("items") or []:
            s = first_slug(child)
            if s:
                return s
        return None

    for item in sidebar:
        slug = first_slug(item)
        if slug and page_path(f"docs/{slug}") in site.pages:
            site.nav.append((str(item.get("title")), page_path(f"docs/{slug}")))

    # Sidebar page: every sidebar entry as a nested list (what the docs sidebar shows on each page)
    def tree_html(items: list[dict[str, Any]]) -> str:
        out = []
        for item in items:
            slug = item.get("slug")
            url = page_path(f"docs/{slug}") if slug else None
            label = esc(str(item.get("title", "")))
            link = f'<a href="{esc(url)}">{label}</a>' if url and url in site.pages else label
            kids = tree_html(item.get("items") or []) if item.get("items") else ""
            out.append(f"<li>{link}{kids}</li>")
        return "<ul>" + "".join(out) + "</ul>"

    site.pages["/"].body_html += '\n<nav class="docs-sidebar">' + tree_html(sidebar) + "</nav>"
    site.pages["/docs/introduction/"].body_html += '\n<nav class="docs-sidebar">' + tree_html(sidebar) + "</nav>"

    links = dict(re.findall(r"\b(\w+):\s*'([^']+)'", tree.read("src/constants/links.js")))
    menus = tree.read("src/constants/menus.js").split("footer:", 1)[1]
    for text, key in re.findall(r"text:\s*'([^']+)',\s*to:\s*LINKS\.(\w+)", menus):
        to = links.get(key, "")
        if to.startswith("http"):
            site.footer.append((text, to))
        elif to.startswith("/docs"):
            target = resolve(to)
            if target.split("#")[0] in site.pages:
                site.footer.append((text, target))
    site.link_children()
    return site
