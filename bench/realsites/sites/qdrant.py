"""Qdrant — vector-database company (Berlin); qdrant.tech is a Hugo site (qdrant/landing_page, `qdrant-landing/`).

Markdown content under `qdrant-landing/content/` is rendered at its Hugo URLs (`_index.md` → section page, a
front-matter `slug` replaces the file name): articles, blog, benchmarks, case studies, documentation, features,
legal (impressum, privacy policy, terms), solutions, use cases, demos. Pages whose text lives in the theme's
layouts are rendered from those templates: the pricing page from `layouts/pricing/list.html` (static HTML, site
params filled in, popover texts kept) and the homepage from `layouts/index.html` (its hero, then the sections the
template fills from the `stack` (customer names), `features`, `solutions` and `articles` pages). Navigation is the
`[[menu.main]]` of `config.toml` (header groups and the footer's Company group).

The upstream snapshot is too large to bring in; the snapshot comes from a fork (Anush008/landing_page) whose
history holds upstream commit 299a8e92 (2023-11-22, merge of qdrant/landing_page PR #420), the one rendered (the
site as of November 2023, before its about-us/leadership pages existed).
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

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
    host="qdrant.tech",
    repo="Anush008/landing_page",
    commit="299a8e924f52cfac1449018599201e7cef58dff9",
    kind="vector-database company (Hugo Markdown + theme templates)",
    notes="Upstream qdrant/landing_page commit 299a8e92 (2023-11-22), read from a fork's snapshot.",
)

ROOT = "qdrant-landing/"
CONTENT = ROOT + "content/"
LAYOUTS = ROOT + "themes/qdrant/layouts/"
SKIP_SECTIONS = ("surveys/",)


def _template_html(src: str, params: dict[str, Any]) -> str:
    """Static HTML of a Hugo template: styles/scripts dropped, site params filled in, other template actions removed."""
    src = re.sub(r"<(style|script)\b.*?</\1>", "", src, flags=re.S | re.I)
    src = re.sub(r"<!--.*?-->", "", src, flags=re.S)
    src = re.sub(r"\{\{\s*\.Site\.Params\.(\w+)\s*\}\}", lambda m: esc(str(params.get(m.group(1), ""))), src)
    src = re.sub(r"\{\{.*?\}\}", "", src, flags=re.S)
    # popover notes ship with the page: keep their title and text visible
    src = re.sub(
        r'<a class="a"[^>]*?title="([^"]*)"\s*data-content="([^"]*)">.*?</a>',
        lambda m: f" <small>({m.group(1)}: {m.group(2)})</small>",
        src,
        flags=re.S,
    )
    src = re.sub(r'\s(class|style|role|tabindex|data-[\w-]+)="[^"]*"', "", src)
    src = re.sub(r"<form\b.*?</form>", "", src, flags=re.S)
    src = re.sub(r"\n\s*\n+", "\n", src)
    return src


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Qdrant")
    config = tomllib.loads(tree.read(ROOT + "config.toml"))
    params = config.get("params", {})

    sources = [p for p in tree.files(CONTENT, (".md", ".html")) if not p[len(CONTENT) :].startswith(SKIP_SECTIONS)]
    metas: dict[str, tuple[dict[str, Any], str]] = {}
    url_of: dict[str, str] = {}
    for path in sources:
        meta, body = split_front_matter(tree.read(path))
        metas[path] = (meta, body)
        rel = path[len(CONTENT) :]
        folder, name = rel.rsplit("/", 1) if "/" in rel else ("", rel)
        if name.startswith("_index."):
            url = page_path(folder)
        elif meta.get("url"):
            url = page_path(str(meta["url"]))
        else:
            stem = str(meta.get("slug") or re.sub(r"\.(md|html)$", "", name))
            url = page_path(f"{folder}/{stem}")
        url_of[path] = url

    by_file = {p[len(CONTENT) :]: u for p, u in url_of.items()}

    def resolve(href: str) -> str:
        h = re.sub(r"^https?://(www\.)?qdrant\.tech", "", href) or "/"
        if re.match(r"^[a-z][a-z0-9+.-]*:", h, re.I) or h.startswith("#"):
            return h
        target, _, frag = h.partition("#")
        if target.startswith("/") and not re.search(r"\.(png|jpe?g|svg|gif|webp|pdf|json|zip)$", target, re.I):
            target = page_path(target)
        elif target.endswith(".md"):
            target = by_file.get(target.lstrip("./"), page_path(target))
        return target + (f"#{frag}" if frag else "")

    def sorted_section(section: str) -> list[str]:
        pages = [
            p
            for p in sources
            if p.startswith(CONTENT + section + "/") and not p.rsplit("/", 1)[-1].startswith("_index")
        ]
        return sorted(
            pages,
            key=lambda p: (metas[p][0].get("weight", 999) if isinstance(metas[p][0].get("weight"), int) else 999, p),
        )

    # --- pricing (template page)
    pricing_meta, pricing_body = metas.get(CONTENT + "pricing/_index.md", ({}, ""))
    pricing_html = _template_html(tree.read(LAYOUTS + "pricing/list.html"), params)
    site.add(
        "/pricing/",
        str(pricing_meta.get("title") or "Pricing"),
        pricing_html + markdown_to_html(pricing_body),
        str(pricing_meta.get("description") or ""),
    )

    # --- homepage
    index_src = tree.read(LAYOUTS + "index.html")
    hero = index_src.split("<!-- End Banner Section -->")[0]
    parts = [_template_html(hero, params)]
    stack_meta = metas.get(CONTENT + "stack/_index.md", ({}, ""))[0]
    customers = [str(metas[p][0].get("name")) for p in sorted_section("stack") if metas[p][0].get("name")]
    parts.append(
        f"<section><h2>{esc(str(stack_meta.get('title', '')))}</h2><p>{esc(str(stack_meta.get('subtitle', '')))}</p>"
        "<ul>" + "".join(f"<li>{esc(c)}</li>" for c in customers) + "</ul></section>"
    )
    feat_meta, feat_body = metas.get(CONTENT + "features/_index.md", ({}, ""))
    feats = "".join(
        f"<div><h5>{esc(str(metas[p][0].get('title', '')))}</h5>{markdown_to_html(metas[p][1])}</div>"
        for p in sorted_section("features")
    )
    parts.append(f"<section><h2>{feat_meta.get('title', '')}</h2>{markdown_to_html(feat_body)}{feats}</section>")
    sol_meta = metas.get(CONTENT + "solutions/_index.md", ({}, ""))[0]
    sols = "".join(
        f"<div><h5>{esc(str(metas[p][0].get('title', '')))}</h5>{markdown_to_html(metas[p][1])}</div>"
        for p in sorted_section("solutions")[:3]
    )
    parts.append(
        f"<section><h2>{sol_meta.get('section_title', '')}</h2><p>{esc(str(sol_meta.get('subtitle', '')))}</p>{sols}"
        f'<p><a href="/solutions/">Solutions</a></p></section>'
    )
    art_meta = metas.get(CONTENT + "articles/_index.md", ({}, ""))[0]
    arts = sorted(sorted_section("articles"), key=lambda p: str(metas[p][0].get("date", "")), reverse=True)[:3]
    parts.append(
        f"<section><h2>{art_meta.get('title', '')}</h2><p>{art_meta.get('subtitle', '')}</p><ul>"
        + "".join(f'<li><a href="{url_of[p]}">{esc(str(metas[p][0].get("title", "")))}</a></li>' for p in arts)
        + "</ul></section>"
    )
    site.add(
        "/",
        str(config.get("title", "Qdrant")),
        rewrite_links("\n".join(parts), resolve),
        str(params.get("description", "")),
    )

    # --- Markdown / HTML content pages
    for path in sources:
        url = url_of[path]
        if url in site.pages:
            continue
        meta, body = metas[path]
        if path.startswith(CONTENT + "stack/") and not path.endswith("_index.md"):
            continue  # logo entries of the homepage's customer strip, not pages
        body_html = body if path.endswith(".html") else markdown_to_html(body)
        body_html = rewrite_links(body_html, resolve)
        title = str(meta.get("title") or meta.get("name") or url)
        if path.endswith("_index.md") and meta.get("subtitle"):
            body_html = f"<p>{esc(str(meta['subtitle']))}</p>" + body_html
        site.add(url, title, body_html, str(meta.get("description") or ""))

    if "/stack/" in site.pages:
        site.pages["/stack/"].body_html += "<ul>" + "".join(f"<li>{esc(c)}</li>" for c in customers) + "</ul>"

    menu = config.get("menu", {}).get("main", [])
    children = lambda parent: sorted((m for m in menu if m.get("parent") == parent), key=lambda m: m.get("weight", 0))  # noqa: E731
    site.nav = [
        (m["name"], m["url"])
        for g in ("product", "resources", "community")
        for m in children(g)
        if not m.get("url", "").startswith("https://qdrant.to/")
    ]
    site.nav = [(label, "/blog/" if url == "https://blog.qdrant.tech/" else url) for label, url in site.nav]
    site.footer = [(m["name"], m["url"]) for m in children("company")] + [
        ("Contact us", params.get("mailchimp_contact_form", ""))
    ]
    site.link_children()
    return site
