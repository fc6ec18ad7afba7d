"""Meltano — open-source data-integration (ELT) startup spun out of GitLab; its public company handbook
handbook.meltano.com (Jekyll, one collection per department).

Rendered from the Jekyll collections under `src/_<label>/` (`_config.yml`: company, data-team, engineering,
marketing, peopleops, product, resources, support): each document at its collection URL (`/:collection/:path`, an
`index.md` at its folder's URL) or at its `permalink:`; files and folders whose names start with `_` and empty files
are left out, as Jekyll leaves them out. Top-level pages: the home page (`index.html`: its intro and quick links, and
the collection cards its Liquid loop renders), `timeline.html` (company history) and `meta.md` (`about.md` is the
Jekyll theme's placeholder text and is left out). Links are
written as the site serves them (`/company/values`, `https://handbook.meltano.com/...`, or relative to the page's
URL); they are rewritten to the rendered pages. Header: Home and the collections (the layout's navbar); each
collection's index page lists the collection's pages in weight order, as the navbar dropdown and sidebar do; footer
from `_includes/footer.html`. The Algolia search page and the unpublished `_posts` are left out.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urljoin, urlsplit

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
    host="handbook.meltano.com",
    repo="meltano/handbook",
    commit="f0d2df0dc2509cf1214500239fe10d90757526af",
    kind="open-source data (ELT) startup, company handbook (Jekyll)",
)

HOST = SOURCE.host
_LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_IAL = re.compile(r"^\s*\{:[^}]*\}\s*$", re.M)  # kramdown attribute lists on their own line
_EXT = re.compile(r"\.(png|jpe?g|gif|svg|pdf|webp)$", re.I)


def _normalize(path: str) -> str:
    """A site path as the rendered pages are laid out (`/company/values.html` → `/company/values/`)."""
    if _EXT.search(path):
        return path
    return page_path(path)


def _resolver(page_url: str):
    """Resolve hrefs the way a browser would on the live page at `page_url` (Jekyll's output URL)."""

    def resolve(href: str) -> str:
        if href.startswith("#") or not href:
            return href
        parts = urlsplit(href)
        if parts.scheme in ("http", "https") and parts.netloc == HOST:
            path = parts.path or "/"
        elif parts.scheme or parts.netloc:
            return href
        else:
            path = urlsplit(urljoin(f"https://{HOST}{page_url}", href)).path
        return _normalize(path) + (f"#{parts.fragment}" if parts.fragment else "")

    return resolve


def _rewrite(body_html: str, resolve) -> str:
    return rewrite_links(body_html, resolve)


def _md(body: str) -> str:
    body = _LIQUID.sub("", body)
    body = _IAL.sub("", body)
    return markdown_to_html(body)


def build(tree: GitTree) -> Site:
    site = Site(host=HOST, name="Meltano Handbook")
    config = yaml.safe_load(tree.read("_config.yml"))
    collections = [(label, c) for label, c in config["collections"].items() if label != "posts"]
    members: dict[str, list[tuple[float, str, str]]] = {}  # collection -> (weight, title, url)

    for label, _conf in collections:
        prefix = f"src/_{label}/"
        for path in tree.files(prefix, (".md", ".markdown", ".html")):
            rel = path[len(prefix) :]
            if any(part.startswith("_") for part in rel.split("/")):
                continue
            text = tree.read(path)
            if not text.strip():
                continue
            meta, body = split_front_matter(text)
            stem = re.sub(r"\.(md|markdown|html)$", "", rel)
            if meta.get("permalink"):
                live_url = str(meta["permalink"])
            elif stem == "index" or stem.endswith("/index"):
                live_url = f"/{label}/" + stem[: -len("index")]
            else:
                live_url = f"/{label}/{stem}.html"
            url = _normalize(live_url)
            title = str(meta.get("title") or posixpath.basename(stem))
            body_html = _rewrite(_md(body), _resolver(live_url))
            site.add(url, title, body_html, str(meta.get("description") or ""))
            weight = meta.get("weight")
            members.setdefault(label, []).append(
                (float(weight) if isinstance(weight, (int, float)) else 1e9, title, url)
            )

    # Collection index pages list their collection's pages, as the navbar dropdown does.
    for label, _conf in collections:
        index = site.pages.get(f"/{label}/")
        if index is None:
            continue
        items = [m for m in sorted(members.get(label, [])) if m[2] != index.path]
        lis = "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for _, t, u in items)
        index.body_html += f'\n<nav class="collection-pages"><ul>{lis}</ul></nav>'

    # Home page: index.html's static sections, plus the collection cards its Liquid loop renders.
    _meta, home = split_front_matter(tree.read("index.html"))
    cards = "".join(f'<li><a href="/{label}/">{esc(conf["name"])}</a></li>' for label, conf in collections)
    home = home[: home.rindex('<section class="section">')]  # the cards section, a Liquid loop over collections
    home = _LIQUID.sub("", home) + f'<section class="section"><ul class="collections">{cards}</ul></section>\n'
    site.add("/", "Meltano Handbook", _rewrite(home, _resolver("/")))

    # Company timeline (HTML page) and the two top-level Markdown pages.
    _meta, timeline = split_front_matter(tree.read("timeline.html"))
    timeline = re.sub(r"<img\b[^>]*>|<i\b[^>]*></i>|<!--.*?-->", "", _LIQUID.sub("", timeline), flags=re.S)
    site.add("/timeline/", "Meltano Timeline", _rewrite(timeline, _resolver("/timeline")))
    for src, live in (("meta.md", "/meta.html"),):
        meta, body = split_front_matter(tree.read(src))
        site.add(_normalize(live), str(meta.get("title") or src), _rewrite(_md(body), _resolver(live)))

    site.nav = [("Home", "/")] + [(str(conf["name"]), f"/{label}/") for label, conf in collections]
    site.footer = [
        ("Our Mission", "/company/#mission"),
        ("Our Vision", "/company/#vision"),
        ("Roadmap", "/product/roadmap/"),
        ("Strategy", "/company/#strategy"),
        ("Company Handbook", "/"),
        ("Our Values", "/company/values/"),
        ("History", "/timeline/"),
        ("Slack", "https://meltano.com/slack"),
        ("MeltanoLabs", "https://github.com/MeltanoLabs"),
        ("Meltano Hub", "https://hub.meltano.com"),
        ("Contact", "https://meltano.com/slack"),
        ("StackOverflow", "https://stackoverflow.com/questions/tagged/meltano"),
    ]
    return site
