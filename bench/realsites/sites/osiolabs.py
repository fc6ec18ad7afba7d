"""Osio Labs (formerly Lullabot Education, maker of Drupalize.Me) — small distributed open-source training company;
its public employee handbook (plain Markdown on GitHub, CC0).

Every .md file of the repository is a page at its repository path (a folder's README.md is the folder's index page,
`01who_we_are/03history.md` → `/01who_we_are/03history/`); the root README (introduction and table of contents) is
the home page. Links between files (`../README.md#table-of-contents`, `04structure.md`, `../02welcome`, GitHub blob
URLs of this repository) are rewritten to those URLs. The handbook lives in GitHub's file view, so the header
navigation is the README's top-level sections. Three links stay broken as in the repository (`03complaints.md`,
`05whistleblower.md`, and the osiolabs.com blog, which is not in it).
"""

from __future__ import annotations

import posixpath

from bench.realsites.render import GitTree, Site, Source, page_path, relative_md_resolver

SOURCE = Source(
    host="osiolabs.com",
    repo="OsioLabs/emphandbook",
    commit="ad9e31d7a9cce4f6dc679b04a3c8b952014fff58",
    kind="small distributed training company (Drupalize.Me), employee handbook (plain Markdown)",
    notes="every .md file at its repository path; README.md is the folder index; the root README is the home page",
)

_SECTIONS = [
    ("Who We Are", "01who_we_are"),
    ("Welcome", "02welcome"),
    ("Employee Benefits", "03benefits"),
    ("Employee Conduct", "04emp_conduct"),
    ("Employment Status", "05emp_status"),
    ("Acknowledgement Form", "acknowledgement.md"),
]


def _to_url(src: str) -> str:
    src = posixpath.normpath(src).strip("/")
    if src in (".", "", "README.md"):
        return "/"
    if src.endswith("/README.md"):
        src = src[: -len("/README.md")]
    return page_path(src)


_BLOBS = (  # the repository's GitHub file URLs, under its current and its former owner
    "https://github.com/OsioLabs/emphandbook/blob/master/",
    "https://github.com/LullabotEducation/emphandbook/blob/master/",
)


def _resolver(path: str):
    relative = relative_md_resolver(path, _to_url)

    def resolve(href: str) -> str:
        for blob in _BLOBS:
            if href.startswith(blob):  # a link to this repository's own file on GitHub
                target, _, frag = href[len(blob) :].partition("#")
                return _to_url(target) + (f"#{frag}" if frag else "")
        return relative(href)

    return resolve


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Osio Labs Handbook")
    for path in tree.files("", (".md",)):
        if path.startswith(".github/"):
            continue
        site.add_markdown(_to_url(path), tree.read(path), resolve=_resolver(path))
    site.nav = [(label, _to_url(p)) for label, p in _SECTIONS]
    site.footer = [
        ("Osio Labs", "https://osiolabs.com/"),
        ("Drupalize.Me", "https://drupalize.me/"),
        ("GitHub", "https://github.com/OsioLabs/emphandbook"),
        ("License (CC0)", "https://creativecommons.org/publicdomain/zero/1.0/"),
    ]
    site.link_children()
    return site
