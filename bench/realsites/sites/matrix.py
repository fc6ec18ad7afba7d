"""The Matrix.org Foundation — UK non-profit (CIC) behind the Matrix protocol; matrix.org is a Zola site (matrix-org/matrix.org).

Markdown under `content/` is rendered at its Zola URLs (`_index.md`/`index.md` → its folder, a front-matter `path`
replaces the derived URL, date prefixes of file names are dropped). Blog posts are capped at the 150 most recent.
Pages that use a template of their own (`template = "membership.html"`, `support.html`, the homepage's
`templates/index.html`) get that template's static HTML (Tera tags removed) around their Markdown; shortcodes that
read TOML data (`staff()`, `guardians()`, `support_us()`) are rendered from that data, and TOML data files next to a
page (ecosystem bridges/servers/SDKs/hosting providers/integrations, election nominees, security findings, sponsors)
are rendered on the page as lists of their entries. The homepage adds the front-page partials
(`partials/frontpage/*.md`). Header and footer links come from `navigation.toml`.

The upstream snapshot is too large to bring in; the snapshot comes from a fork (seolhw/matrix-org) whose history
holds upstream commit b2d0b4f6 (2024-06-14, merge of matrix-org/matrix.org PR #2399), the one rendered.
"""

from __future__ import annotations

import posixpath
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
    host="matrix.org",
    repo="seolhw/matrix-org",
    commit="b2d0b4f62ab40fc0e1b45c07cd7f9f4943e54157",
    kind="foundation / non-profit (Zola Markdown + TOML data)",
    notes="Upstream matrix-org/matrix.org commit b2d0b4f6 (2024-06-14), read from a fork's snapshot.",
)

BLOG_CAP = 150
SKIP_KEYS = {"picture", "logo", "image", "icon", "screenshot", "screenshots", "avatar", "thumbnail"}


def tera_static(src: str) -> str:
    """Static HTML of a Tera template: blocks/tags/expressions and scripts removed."""
    src = re.sub(r"<(script|style)\b.*?</\1>", "", src, flags=re.S | re.I)
    src = re.sub(r"\{#.*?#\}", "", src, flags=re.S)
    src = re.sub(r"\{%.*?%\}", "", src, flags=re.S)
    src = re.sub(r"\{\{.*?\}\}", "", src, flags=re.S)
    src = re.sub(r'\s(class|id|style)="[^"]*"', "", src)
    src = re.sub(r"<img\b[^>]*>", "", src)
    src = re.sub(r"<div>\s*</div>", "", src)
    src = re.sub(r"\n\s*\n+", "\n", src)
    return src


def _entry_html(e: dict[str, Any]) -> str:
    name = e.get("name") or e.get("title") or ""
    parts = (
        [f"<h4>{esc(str(name))}{', ' + esc(str(e['title'])) if e.get('title') and e.get('name') else ''}</h4>"]
        if name
        else []
    )
    for k, v in e.items():
        if k in ("name", "title") or k in SKIP_KEYS:
            continue
        if isinstance(v, str):
            if re.match(r"^https?://|^mailto:", v):
                parts.append(f'<p>{esc(k.replace("_", " ").capitalize())}: <a href="{esc(v)}">{esc(v)}</a></p>')
            elif k in ("bio", "description", "summary", "text", "details"):
                parts.append(markdown_to_html(v))
            else:
                parts.append(f"<p>{esc(k.replace('_', ' ').capitalize())}: {esc(v)}</p>")
        elif isinstance(v, (int, float, bool)):
            parts.append(f"<p>{esc(k.replace('_', ' ').capitalize())}: {esc(str(v))}</p>")
        elif isinstance(v, list) and all(isinstance(x, str) for x in v):
            parts.append(f"<p>{esc(k.replace('_', ' ').capitalize())}: {esc(', '.join(v))}</p>")
        elif isinstance(v, dict):
            parts.append(_entry_html(v))
    return "<div>" + "".join(parts) + "</div>"


def toml_html(data: dict[str, Any]) -> str:
    out = []
    for key, val in data.items():
        if isinstance(val, list) and val and all(isinstance(x, dict) for x in val):
            out.append(
                f"<section><h3>{esc(key.replace('_', ' ').capitalize())}</h3>"
                + "".join(_entry_html(x) for x in val)
                + "</section>"
            )
        elif isinstance(val, dict):
            out.append(
                f"<section><h3>{esc(key.replace('_', ' ').capitalize())}</h3>{toml_html(val) or _entry_html(val)}</section>"
            )
    return "\n".join(out)


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Matrix.org", lang="en")

    def load_toml(path: str) -> dict[str, Any]:
        try:
            return tomllib.loads(tree.read(path))
        except Exception:
            return {}

    sources = tree.files("content/", (".md",))
    metas: dict[str, tuple[dict[str, Any], str]] = {}
    url_of: dict[str, str] = {}
    blog = []
    for path in sources:
        meta, body = split_front_matter(tree.read(path))
        metas[path] = (meta, body)
        rel = path[len("content/") :]
        folder, name = rel.rsplit("/", 1) if "/" in rel else ("", rel)
        if meta.get("path"):
            url = page_path(str(meta["path"]))
        elif name in ("_index.md", "index.md"):
            url = page_path(folder)
        else:
            url = page_path(f"{folder}/" + re.sub(r"^\d{4}-\d{2}-\d{2}[-_]", "", name[:-3]))
        url_of[path] = url
        if rel.startswith("blog/") and name != "_index.md":
            blog.append((str(meta.get("date", "")), path))
    blog.sort(reverse=True)
    aliases = {
        page_path(str(a)): url_of[p]
        for p, (m, _b) in metas.items()
        for a in (m.get("aliases") or [])
        if isinstance(a, str)
    }
    keep_blog = {p for _d, p in blog[:BLOG_CAP]}

    def resolver(source: str):
        def resolve(href: str) -> str:
            h = re.sub(r"^https?://(www\.)?matrix\.org(?=/|$)", "", href) or "/"
            if re.match(r"^[a-z][a-z0-9+.-]*:", h, re.I) or h.startswith("#"):
                return h
            target, _, frag = h.partition("#")
            if target.startswith("@/"):
                target = url_of.get("content/" + target[2:], page_path(target[2:]))
            elif target.startswith("/"):
                if not re.search(r"\.(png|jpe?g|gif|svg|webp|pdf|xml|json|toml)$", target, re.I):
                    target = page_path(target)
                    target = aliases.get(target, target)
            elif target:
                joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), target.rstrip("/")))
                for cand in (joined, joined + ".md", joined + "/_index.md", joined + "/index.md"):
                    if cand in url_of:
                        target = url_of[cand]
                        break
                else:
                    if not re.search(r"\.\w{2,4}$", target):
                        base = url_of.get(source, "/")
                        base = (
                            base
                            if source.endswith(("/index.md", "/_index.md"))
                            else posixpath.dirname(base.rstrip("/")) + "/"
                        )
                        target = page_path(posixpath.normpath(posixpath.join(base, target)))
            return target + (f"#{frag}" if frag else "")

        return resolve

    staff = load_toml("content/about/staff.toml").get("staff", [])
    guardians = load_toml("content/about/guardians.toml").get("guardians", [])
    supporters = load_toml("content/support/supporters.toml")
    shortcodes = {
        "staff": "<div>" + "".join(_entry_html(s) for s in staff) + "</div>",
        "guardians": "<div>" + "".join(_entry_html(g) for g in guardians) + "</div>",
        "support_us": tera_static(tree.read("templates/shortcodes/support_us.html")) + toml_html(supporters),
    }

    for path in sources:
        if path.startswith("content/blog/") and path not in keep_blog and not path.endswith("_index.md"):
            continue
        meta, body = metas[path]
        if path.startswith("content/blog/") and path.endswith("/_index.md") and path != "content/blog/_index.md":
            continue  # transparent year/month sections
        if meta.get("render") is False and not body.strip() and not path.endswith("_index.md"):
            continue
        url = url_of[path]

        def shortcode(m: re.Match[str]) -> str:
            html_ = shortcodes.get(m.group(1))
            return f"\n\n{html_}\n\n" if html_ else ""

        body = re.sub(r"\{\{\s*(\w+)\(\s*\)\s*\}\}", shortcode, body, flags=re.S)
        body_html = rewrite_links(markdown_to_html(body), resolver(path))
        template = str(meta.get("template") or "")
        if template in ("membership.html", "support.html", "docs/index.html") and tree.exists(f"templates/{template}"):
            body_html = body_html + tera_static(tree.read(f"templates/{template}"))
        extra = meta.get("extra") or {}
        if isinstance(extra, dict) and extra.get("summary"):
            body_html = markdown_to_html(str(extra["summary"])) + body_html
        if path == "content/docs/_index.md" and tree.exists("templates/docs/index.html"):
            body_html += tera_static(tree.read("templates/docs/index.html"))
        folder = path.rsplit("/", 1)[0]
        if path.endswith(("/index.md", "/_index.md")):
            for data_file in tree.files(folder + "/", (".toml",)):
                if data_file.count("/") == folder.count("/") + 1 and data_file not in (
                    "content/about/staff.toml",
                    "content/about/guardians.toml",
                    "content/support/supporters.toml",
                ):
                    body_html += toml_html(load_toml(data_file))
        title = str(meta.get("title") or url)
        date = str(meta.get("date", ""))[:10]
        tax = meta.get("taxonomies") or {}
        if path.startswith("content/blog/") and date:
            authors = ", ".join(tax.get("author", [])) if isinstance(tax, dict) else ""
            body_html = f"<p>{esc(date)}{' — ' + esc(authors) if authors else ''}</p>\n" + body_html
        desc = str(extra.get("meta_description") or "").strip() if isinstance(extra, dict) else ""
        site.add(url, title, body_html, desc)

    # blog index: the posts, newest first (the live index paginates them)
    posts = "".join(
        f'<li><a href="{url_of[p]}">{esc(str(metas[p][0].get("title", "")))}</a> ({esc(d[:10])})</li>'
        for d, p in blog[:BLOG_CAP]
    )
    if "/blog/" in site.pages:
        site.pages["/blog/"].body_html += f"<ul>{posts}</ul>"

    # homepage: template text, front-page partials, sponsors
    home = tera_static(tree.read("templates/index.html"))
    partials = []
    for p in sorted(tree.files("partials/frontpage/", (".md",))):
        meta, body = split_front_matter(tree.read(p))
        partials.append(markdown_to_html(body))
    sponsors = load_toml("content/sponsors.toml")
    home_html = home + "\n".join(partials) + toml_html(sponsors)
    site.pages.pop("/", None)
    site.add(
        "/",
        "Matrix.org",
        rewrite_links(home_html, resolver("content/_index.md")),
        "The homepage of the matrix.org website. Chat securely with your family, friends, community, or build great apps with Matrix!",
    )

    nav = load_toml("navigation.toml")
    site.nav = [(n["title"], n.get("href") or f"/{n.get('section', '')}/") for n in nav.get("header", [])]
    site.nav = [(t, page_path(h) if h.startswith("/") else h) for t, h in site.nav]
    site.footer = [
        (n["title"], page_path(n["href"]) if n["href"].startswith("/") else n["href"])
        for n in nav.get("footer_internal", [])
    ]
    site.link_children()
    return site
