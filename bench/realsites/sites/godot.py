"""Godot Engine — free and open-source game engine (a not-for-profit project); godotengine.org as of October 2020.

Until 2023 godotengine.org was an OctoberCMS site whose pages are the theme's `themes/godotengine/pages/*.htm` files:
an INI header (title, url, description), then Twig markup. Each page is rendered at its `url` from its markup with
Twig tags/expressions, forms and scripts removed (`{% put title %}` blocks keep their text). News articles, the
showcase and the events list were stored in the CMS database, not in the repository, so they are not rendered here
(their pages keep only their static text). Header and footer links come from `partials/header.htm` and
`partials/footer.htm`; the "More" section's sub-navigation from `layouts/more.htm`.

The current site (Jekyll, godotengine/godot-website since 2023) lives in a repository whose snapshots (upstream and
every fork tried) are over the 500 MB limit; the snapshot used is akien-mga/godot-website, a fork by the project's
lead maintainer whose HEAD is commit 643815b1 (2020-10-29, "Add new sponsors"), the OctoberCMS theme of that time.
"""

from __future__ import annotations

import configparser
import re

from bench.realsites.render import GitTree, Site, Source, page_path

SOURCE = Source(
    host="godotengine.org",
    repo="akien-mga/godot-website",
    commit="643815b13e39cba3e4090088a6c30764e4e2a138",
    kind="open-source project / foundation site (OctoberCMS Twig pages, 2020)",
    notes="OctoberCMS-era godotengine.org theme (2020-10-29); the 2023+ Jekyll repository is too large to bring in.",
)

THEME = "themes/godotengine/"
SKIP = {"error.htm", "maintenance.htm", "article.htm"}


def _links(src: str) -> list[tuple[str, str]]:
    out = []
    for m in re.finditer(r'<a\b[^>]*href="([^"]+)"[^>]*>([^<]+)</a>', src):
        label = re.sub(r"\s+", " ", m.group(2)).strip()
        if label:
            out.append((label, m.group(1)))
    return out


def twig_static(src: str) -> str:
    src = re.sub(r"<(script|style)\b.*?</\1>", "", src, flags=re.S | re.I)
    src = re.sub(r"<form\b.*?</form>", "", src, flags=re.S | re.I)
    src = re.sub(r"\{#.*?#\}", "", src, flags=re.S)
    src = re.sub(r"\{%\s*put\s+title\s*%\}(.*?)\{%\s*endput\s*%\}", r"<h1>\1</h1>", src, flags=re.S)
    src = re.sub(r"\{%.*?%\}", "", src, flags=re.S)
    src = re.sub(r"\{\{.*?\}\}", "", src, flags=re.S)
    src = re.sub(r"<img\b[^>]*>", "", src)
    src = re.sub(r'\s(class|id|style)="[^"]*"', "", src)
    src = re.sub(r"\n\s*\n+", "\n", src)
    return src


def _parse(text: str) -> tuple[dict[str, str], str]:
    parts = re.split(r"^==\s*$", text, flags=re.M)
    header = parts[0] if len(parts) > 1 else ""
    markup = parts[-1]
    cp = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        cp.read_string("[page]\n" + header.split("\n[")[0])
        meta = {k: v.strip().strip('"') for k, v in cp["page"].items()}
    except Exception:
        meta = {}
    return meta, markup


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Godot Engine")
    for path in tree.files(THEME + "pages/", (".htm",)):
        if path.rsplit("/", 1)[-1] in SKIP:
            continue
        meta, markup = _parse(tree.read(path))
        url = meta.get("url") or "/" + path[len(THEME + "pages/") : -4]
        url = re.sub(r"/:[^/]+", "", url)  # optional route parameters (e.g. /news/:page?) → the base page
        if ":" in url:
            continue
        body = twig_static(markup)
        title = meta.get("title") or url
        if path.endswith("/home.htm"):
            url = "/"
        site.add(page_path(url), title, body, meta.get("description", ""))

    header = tree.read(THEME + "partials/header.htm")
    footer = tree.read(THEME + "partials/footer.htm")
    site.nav = [(label, page_path(h) if h.startswith("/") else h) for label, h in _links(header)]
    seen = set()
    site.footer = []
    for label, h in _links(footer):
        h = page_path(h) if h.startswith("/") and not h.endswith(".xml") else h
        if (label, h) not in seen:
            seen.add((label, h))
            site.footer.append((label, h))
    more = _links(tree.read(THEME + "layouts/more.htm")) if tree.exists(THEME + "layouts/more.htm") else []
    if "/contact/" in site.pages and more:
        site.pages["/contact/"].body_html += (
            "<nav><ul>"
            + "".join(f'<li><a href="{page_path(h) if h.startswith("/") else h}">{label}</a></li>' for label, h in more)
            + "</ul></nav>"
        )
    site.link_children()
    return site
