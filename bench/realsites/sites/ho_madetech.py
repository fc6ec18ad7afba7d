"""Made Tech — UK public-sector technology consultancy; its public company handbook (plain Markdown on GitHub)."""

from __future__ import annotations

import re
from urllib.parse import unquote

from bench.realsites.render import GitTree, Site, Source, page_path, relative_md_resolver

SOURCE = Source(
    host="madetech.com",
    repo="madetech/handbook",
    commit="feab1851a74e3ea1f7665e095fc98337609f0619",
    kind="consultancy handbook (plain Markdown)",
    notes="every .md file of the repo as a page at its repository path (README.md is the folder's index page; "
    "spaces in names become hyphens); the root README is the home page and table of contents",
)


def _to_url(src: str) -> str:
    src = unquote(src).strip("/")
    if src.lower().endswith("readme.md"):
        src = src[: -len("readme.md")]
    elif src.lower().endswith(".md"):
        src = src[: -len(".md")]
    src = re.sub(r"[()]", "", src).replace(" ", "-")
    return page_path(src) if src else "/"


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Made Tech Handbook", lang="en-GB")
    files = [p for p in tree.files("", (".md",)) if not p.startswith((".github/", "node_modules/"))]
    dirs = {p.rsplit("/", 1)[0] for p in files if "/" in p}

    def to_url(target: str) -> str:
        # Links point at files (x.md), folders (team-norms) or GitHub blob URLs of this repo.
        t = unquote(target)
        if t in dirs or t.rstrip("/") in dirs:
            return (
                _to_url(t.rstrip("/") + "/README.md")
                if f"{t.rstrip('/')}/README.md" in files
                else _to_url(t.rstrip("/") + "/x")[:-2]
            )
        return _to_url(t)

    def resolver(src: str):
        rel = relative_md_resolver(src, to_url)

        def resolve(href: str) -> str:
            m = re.match(r"^https?://github\.com/madetech/handbook/(?:blob|tree)/(?:main|master)/([^#]*)(#.*)?$", href)
            if m:
                return to_url(m.group(1)) + (m.group(2) or "")
            return rel(href)

        return resolve

    for path in files:
        site.add_markdown(_to_url(path), tree.read(path), resolve=resolver(path))
    # Folders without a README still get an index page (GitHub shows the folder listing).
    for d in sorted(dirs):
        url = _to_url(d + "/x")[:-2]
        parts = url.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            u = "/" + "/".join(parts[:i]) + "/"
            if u not in site.pages:
                site.add(u, parts[i - 1].replace("-", " ").replace("_", " ").title(), "")
    site.nav = [
        ("About Made Tech", "/company/about/"),
        ("Welcome Pack", "/company/welcome_pack/"),
        ("Roles", "/roles/"),
        ("Benefits", "/benefits/"),
        ("Guides", "/guides/"),
        ("Team Norms", "/team-norms/"),
        ("Communities of Practice", "/communities-of-practice/"),
    ]
    site.footer = [
        ("GitHub", "https://github.com/madetech/handbook"),
        ("Contributing", "/guides/contributing_to_the_handbook/"),
    ]
    site.link_children()
    return site
