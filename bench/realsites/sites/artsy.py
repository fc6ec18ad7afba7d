"""Artsy — online art marketplace; its public engineering handbook (artsy/README, plain Markdown).

Laid out the way artsy/readme-site (readme.artsy.net) serves it: the root README at `/`, each section's README at
`/docs/<section>/` and each document at `/docs/<section>/<doc>/` (nested folders keep their path). Section titles
and descriptions come from each folder's `summary.json`; documents' titles/descriptions from their front matter.
Links written GitHub-style between files (`/playbooks/x.md#readme`, `../y.md`) are resolved to those URLs. The
technology-radar CSV files are shown as tables, as GitHub shows them.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re

from bench.realsites.render import GitTree, Site, Source, esc, markdown_to_html, rewrite_links, split_front_matter

SOURCE = Source(
    host="readme.artsy.net",
    repo="artsy/README",
    commit="61095adde845f0a48715f2be1b086cd436a99651",
    kind="marketplace company, engineering handbook (plain Markdown)",
)

GITHUB = "https://github.com/artsy/README/blob/main/"


def _url(path: str) -> str:
    """URL of a repository file or folder."""
    path = path.strip("/")
    if path in ("", "README.md"):
        return "/"
    if path.endswith("/README.md"):
        return "/docs/" + path.removesuffix("/README.md") + "/"
    if path.endswith(".md"):
        return "/docs/" + path.removesuffix(".md") + "/"
    if path.endswith(".csv"):
        return "/docs/" + path.removesuffix(".csv") + "/"
    return "/docs/" + path + "/"


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Artsy Engineering")
    files = tree.files()
    dirs = {posixpath.dirname(p) for p in files}
    dirs |= {d2 for d in list(dirs) for d2 in [posixpath.dirname(d)]}
    md_files = [
        p
        for p in tree.files("", (".md",))
        if not p.startswith((".github/", "scripts/")) and p not in ("LICENSE.md", "CONTRIBUTING.md")
    ]
    csv_files = tree.files("playbooks/technology_radar/", (".csv",))
    renderable = set(md_files) | set(csv_files)

    def resolver(source: str):
        def resolve(href: str) -> str:
            if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("#"):
                return href
            target, _, frag = href.partition("#")
            frag = "" if frag == "readme" else frag
            if not target:
                return f"#{frag}" if frag else href
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
            )
            path = path.strip("/")
            if path in renderable:
                url = _url(path)
            elif path in dirs or path == "":
                url = _url(path)
            elif path + ".md" in renderable:
                url = _url(path + ".md")
            else:
                return GITHUB + path + (f"#{frag}" if frag else "")
            return url + (f"#{frag}" if frag else "")

        return resolve

    summaries: dict[str, dict[str, str]] = {}
    for p in tree.files("", (".json",)):
        if p.endswith("/summary.json"):
            try:
                summaries[posixpath.dirname(p)] = json.loads(tree.read(p))
            except json.JSONDecodeError:
                pass

    for path in md_files:
        meta, body = split_front_matter(tree.read(path))
        folder = posixpath.dirname(path)
        if path.endswith("README.md") and folder in summaries:
            title = summaries[folder].get("title") or folder
            description = summaries[folder].get("description", "")
        else:
            title = str(meta.get("title") or "")
            description = str(meta.get("description") or "")
        if not title:
            m = re.search(r"^#{1,3}\s+(.+)$", body, re.M)
            title = re.sub(r"\[!\[.*", "", m.group(1)).strip() if m else posixpath.basename(path).removesuffix(".md")
        body_html = rewrite_links(markdown_to_html(body), resolver(path))
        head = f"<h1>{esc(title)}</h1>" + (f"<h3>{esc(description)}</h3>" if description else "")
        if path == "README.md":
            head = ""
        site.add(_url(path), title, head + body_html, description)

    for path in csv_files:
        rows = list(csv.reader(io.StringIO(tree.read(path))))
        if not rows:
            continue
        head = "".join(f"<th>{esc(c)}</th>" for c in rows[0])
        body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
        name = posixpath.basename(path)
        site.add(
            _url(path),
            name,
            f'<h1>{esc(name)}</h1><p><a href="{_url(posixpath.dirname(path) + "/README.md")}">Technology radar</a></p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
        )

    # Folders without a README (e.g. playbooks/technology_radar has one; onboarding/sessions has one) still get
    # an index when they hold documents, as GitHub's folder view does.
    for folder in sorted({posixpath.dirname(p) for p in md_files}):
        if folder and _url(folder) not in site.pages:
            site.add(_url(folder), folder, f"<h1>{esc(folder)}</h1>")
    sections = sorted(d for d in summaries if d and "/" not in d)
    site.add(
        "/docs/",
        "Sections",
        "<h1>Sections</h1><ul>"
        + "".join(
            f'<li><a href="/docs/{esc(d)}/">{esc(summaries[d].get("title", d))}</a> — {esc(summaries[d].get("description", ""))}</li>'
            for d in sections
        )
        + "</ul>",
    )
    site.nav = [(summaries[d].get("title", d), f"/docs/{d}/") for d in sections]
    site.footer = [
        ("Artsy", "https://www.artsy.net/"),
        ("Blog", "https://artsy.github.io/"),
        ("API", "https://developers.artsy.net/"),
        ("Jobs", "https://www.artsy.net/jobs"),
        ("GitHub", "https://github.com/artsy/README"),
    ]
    site.link_children()
    return site
