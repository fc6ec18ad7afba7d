"""Tuqulore (株式会社ツクロア) — small Japanese software company; its public employee handbook (work rules), in Japanese.

Held-out company. The handbook is plain Markdown at the repo root (01_就業規則.md … 99_補足資料.md) plus issue
templates for the procedures it defines. The company does not serve it on tuqulore.com, so it is laid out on that
host under /employee-handbook/, one page per file, keyed by the file's number (ASCII paths), with the README as the
section index.
"""

from __future__ import annotations

import posixpath
import re

from bench.realsites.render import GitTree, Site, Source, page_path, relative_md_resolver, split_front_matter

SOURCE = Source(
    host="tuqulore.com",
    repo="tuqulore/employee-handbook",
    commit="4938ad49bba48cc33ff9ef5406b9f1e5ee181c55",
    kind="small company employee handbook (Japanese Markdown work rules)",
)

BASE = "/employee-handbook/"


def _url(src: str) -> str:
    src = src.lstrip("./")
    if src in ("README.md", ""):
        return BASE
    if src == "UPDATE_WORKFLOW.md":
        return BASE + "update-workflow/"
    name = posixpath.basename(src)
    m = re.match(r"(\d+)_", name)
    if src.startswith("ISSUE_TEMPLATE/") and m:
        return f"{BASE}templates/{m.group(1)}/"
    if m:
        return f"{BASE}{m.group(1)}/"
    return page_path(BASE + src)


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="株式会社ツクロア 就業規則", lang="ja")
    files = [p for p in tree.files("", (".md",)) if not p.startswith(".github/")]
    for path in sorted(files):
        text = tree.read(path)
        meta, _ = split_front_matter(text)
        title = str(meta.get("title") or meta.get("name") or "") or None  # issue templates: title or name
        site.add_markdown(_url(path), text, title=title, resolve=relative_md_resolver(path, _url))
    site.pages["/"] = site.pages[BASE].__class__("/", site.pages[BASE].title, site.pages[BASE].body_html)
    rules = sorted(p for p in site.pages if re.fullmatch(r"/employee-handbook/\d+/", p))
    site.nav = [(site.pages[BASE].title, BASE)] + [(site.pages[p].title, p) for p in rules]
    site.footer = [
        ("改正施行手順", BASE + "update-workflow/"),
        ("申請テンプレート", BASE + "templates/"),
        ("GitHub", "https://github.com/tuqulore/employee-handbook"),
    ]
    templates = sorted(p for p in site.pages if p.startswith(BASE + "templates/") and p != BASE + "templates/")
    if templates:
        items = "".join(f'<li><a href="{p}">{site.pages[p].title}</a></li>' for p in templates)
        site.add(BASE + "templates/", "ISSUE_TEMPLATE", f"<ul>{items}</ul>")
    site.link_children()
    return site
