"""CivicActions — US government digital-services consultancy; its public guidebook (MkDocs Material on Read the Docs)."""

from __future__ import annotations

import re

import yaml

from bench.realsites.render import GitTree, Site, Source, esc, page_path, relative_md_resolver

SOURCE = Source(
    host="guidebook.civicactions.com",
    repo="CivicActions/guidebook",
    commit="cf959508c8c4d3a039a5cc320013713fec7a415c",
    kind="consultancy handbook (MkDocs Material)",
    notes="pages at Read the Docs paths /en/latest/<file>/ (README.md is the folder index); header tabs from the "
    "mkdocs.yml nav; / links to /en/latest/ as the live site redirects there",
)

PREFIX = "/en/latest"
EXCLUDE = {"CODE-OF-CONDUCT.md", "CONTRIBUTING.md", "SECURITY.md"}


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _to_url(src: str) -> str:
    if src.endswith("README.md"):
        src = src[: -len("README.md")]
    return page_path(PREFIX + "/" + src) if src else PREFIX + "/"


def _first_page(entry) -> str | None:
    if isinstance(entry, str):
        return entry if entry.endswith(".md") else None
    if isinstance(entry, dict):
        for v in entry.values():
            return _first_page(v)
    if isinstance(entry, list):
        for e in entry:
            p = _first_page(e)
            if p:
                return p
    return None


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="CivicActions Guidebook")
    files = [
        p
        for p in tree.files("", (".md",))
        if not p.startswith((".", "admin/")) and "/." not in p and p not in EXCLUDE and "node_modules" not in p
    ]
    conf = yaml.load(tree.read(".config/mkdocs.yml"), Loader=_Loader) or {}

    def to_url(target: str) -> str:
        if target.endswith(".md"):
            return _to_url(target)
        return _to_url(target.rstrip("/") + "/README.md") if f"{target.rstrip('/')}/README.md" in files else target

    for path in files:
        text = tree.read(path)
        # MkDocs attribute lists ({: .class }) are not shown.
        text = re.sub(r"\{:[^}]*\}", "", text)
        site.add_markdown(_to_url(path), text, resolve=relative_md_resolver(path, to_url))

    nav = []
    for entry in conf.get("nav", []):
        if isinstance(entry, dict):
            ((label, val),) = entry.items()
            first = _first_page(val)
            if first and first in files:
                nav.append((str(label), _to_url(first)))
    site.nav = nav
    site.footer = [
        ("GitHub", "https://github.com/CivicActions/guidebook/"),
        ("CivicActions", "https://civicactions.com/"),
    ]
    # Folders without a README get a listing page so the crawler can reach their pages.
    for path in files:
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            u = page_path(PREFIX + "/" + "/".join(parts[:i]))
            if u not in site.pages:
                site.add(u, parts[i - 1].replace("-", " ").capitalize(), "")
    site.link_children()
    home = site.pages.get(PREFIX + "/")
    site.add(
        "/",
        home.title if home else "CivicActions Guidebook",
        f'<p><a href="{PREFIX}/">{esc(home.title if home else "CivicActions Guidebook")}</a></p>',
    )
    return site
