"""GitLab — public DevSecOps-platform company (Nasdaq: GTLB); handbook.gitlab.com is a Hugo/Docsy site.

The handbook's own repository lives on gitlab.com (gitlab-com/content-sites/handbook), and the GitHub copies listed
for it (zalyoung/gitlab-handbook, moliver28/research-handbook, secretstartups/handbook) have no usable snapshot
here. The snapshot comes from impactorbitco/handbook-main, whose first commit 19c6a7ed (2025-12-09, "handbook")
imported GitLab's handbook repository as it stood; only its site config and the homepage template were re-branded
in that commit (none of `content/handbook/` mentions the importer), and later commits replaced the content, so that
first commit is the one rendered, and the homepage is built from GitLab's own `homepage-data-toc` shortcode.

Rendered (capped to ~500 pages, the company-facing sections first): company/ (about, mission, culture, all-remote,
inclusion), values, CEO, leadership, about (the handbook), communication, hiring, people policies, people group,
total rewards (benefits, leave, compensation), finance, entity pages (not company/working-groups/, ~120 internal
working-group pages), and security (top-level pages, security
assurance/compliance, policies and standards). Engineering, product, marketing, sales, support and legal are left
out. Pages are served at their Hugo paths (`content/handbook/x/_index.md` → /handbook/x/). Shortcodes are rendered
the way the pages show them: `include` inlines `assets/includes/...`, `details`/`alert`/`panel`/`card` keep their
summary, title or header above their text, `ref`/`relref` become links and links follow front-matter `aliases`; shortcodes that read GitLab's team,
tech-stack and KPI databases (not in the repository) and videos are left out. The homepage is the
`homepage-data-toc` shortcode over `data/toc.yaml`; the header holds toc.yaml's sections, and section pages list
their sub-pages as Docsy's sidebar does.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

import yaml

from bench.realsites.render import (
    GitTree,
    Site,
    Source,
    esc,
    own_link,
    page_path,
    rewrite_links,
    split_front_matter,
)
from bench.realsites.render import markdown_to_html as _md_to_html

_FILE_LINK = re.compile(r"\.(png|jpe?g|gif|svg|pdf|webp|mp4|csv|sh)$", re.I)  # files the handbook links to

SOURCE = Source(
    host="handbook.gitlab.com",
    repo="impactorbitco/handbook-main",
    commit="19c6a7ed25e3a9dfdec8501c34bff464b175c095",
    kind="public company handbook (Hugo Markdown, Docsy)",
    notes="GitLab's handbook repository (gitlab-com/content-sites/handbook) as imported in one commit on 2025-12-09.",
)

SECTIONS = (
    "company",
    "values",
    "ceo",
    "leadership",
    "about",
    "communication",
    "hiring",
    "people-policies",
    "people-group",
    "total-rewards",
    "finance",
    "entity",
    "labor-and-employment-notices",
)
SECURITY_SUBDIRS = (
    "security-assurance",
    "policies_and_standards",
    "security-and-technology-policies",
    "standards",
)

_WRAP_TITLE = re.compile(
    r"\{\{%\s*(details|alert|panel|card|note|pageinfo)\b([^%]*?)%\}\}",
    re.S,
)
_ATTR = re.compile(r'(\w+)=(?:"([^"]*)"|\'([^\']*)\')')
_INCLUDE = re.compile(r"\{\{[%<]\s*include(?:-remote)?\s+\"([^\"]+)\"\s*[%>]\}\}")
_REF = re.compile(r"\{\{<\s*(?:ref|relref)\s+\"([^\"]+)\"\s*>\}\}")
_HEADING_ATTR = re.compile(r"^(#{1,6}\s.*?)\s*\{[#.][^}]*\}\s*$", re.M)


def _wanted(path: str) -> bool:
    rest = path.removeprefix("content/handbook/")
    if rest == "_index.md":
        return True
    top = rest.split("/", 1)[0]
    if rest.startswith("company/working-groups/"):
        return False
    if top in SECTIONS:
        return True
    if top == "security":
        parts = rest.split("/")
        return len(parts) == 2 or parts[1] in SECURITY_SUBDIRS
    return False


def _url(src: str) -> str:
    return page_path(src.removeprefix("content/"))


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="The GitLab Handbook")
    files = [p for p in tree.files("content/handbook/", (".md",)) if _wanted(p)]
    urls = {_url(p): p for p in files}
    parsed = {url: split_front_matter(tree.read(src)) for url, src in urls.items()}
    aliases: dict[str, str] = {}
    for url, (meta, _body) in parsed.items():
        for alias in meta.get("aliases") or []:
            aliases.setdefault(page_path(str(alias)), url)

    def include(name: str) -> str:
        for cand in (f"assets/{name}", f"content/{name}", name):
            if tree.exists(cand):
                return "\n\n" + split_front_matter(tree.read(cand))[1] + "\n\n"
        return ""

    def ref(target: str, src: str) -> str:
        t = target.split("#")[0]
        if t.startswith("/"):
            return page_path(t.removesuffix(".md").removesuffix("_index"))
        return page_path(posixpath.normpath(posixpath.join(posixpath.dirname(_url(src)), t)).removesuffix(".md"))

    def resolver(src: str) -> Any:
        here = _url(src)

        def resolve(href: str) -> str:
            h, target, frag = own_link(href, "handbook.gitlab.com", _FILE_LINK)
            if target is None:
                return h
            if not target.startswith("/"):
                base = posixpath.dirname(src) if src.endswith(".md") and target.endswith(".md") else here
                joined = posixpath.normpath(posixpath.join(base, target))
                target = joined.removeprefix("content")
            target = page_path(re.sub(r"(/_index|/index)?\.md$", "", target))
            target = aliases.get(target, target)
            return target + (f"#{frag}" if frag else "")

        return resolve

    def render(src: str, body: str) -> str:
        body = _INCLUDE.sub(lambda m: include(m.group(1)), body)
        body = _REF.sub(lambda m: ref(m.group(1), src), body)

        def wrap(m: re.Match[str]) -> str:
            attrs = {
                a.group(1): a.group(2) if a.group(2) is not None else a.group(3) for a in _ATTR.finditer(m.group(2))
            }
            label = attrs.get("summary") or attrs.get("title") or attrs.get("header")
            return f"\n\n**{label}**\n\n" if label else "\n\n"

        body = _WRAP_TITLE.sub(wrap, body)
        body = _HEADING_ATTR.sub(r"\1", body)
        body = re.sub(r"\{(?:style=|class=|\.[\w-]+|#[\w-]+\s*\}|:)[^{}\n]*\}\}?", "", body)
        body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
        return rewrite_links(_md_to_html(body), resolver(src))

    for url, src in urls.items():
        meta, body = parsed[url]
        meta = {str(k).lower(): v for k, v in meta.items()}
        title = str(meta.get("title") or meta.get("linktitle") or url.rstrip("/").rsplit("/", 1)[-1])
        desc = str(meta.get("description") or "")
        head = f"<h1>{esc(title)}</h1>" + (f'<p class="lead">{esc(desc)}</p>' if desc else "")
        site.add(url, title, head + "\n" + render(src, body), desc)

    toc = yaml.safe_load(tree.read("data/toc.yaml")) or []
    shortcode = tree.read("layouts/_shortcodes/homepage-data-toc.html")
    h1 = re.search(r"<h1>(.*?)</h1>", shortcode)
    lead = re.search(r'<p class="lead">(.*?)</p>', shortcode, re.S)
    parts = [f"<h1>{esc(h1.group(1))}</h1>" if h1 else "", f"<p>{esc(lead.group(1))}</p>" if lead else ""]
    for card in toc:
        links = "".join(
            f'<li><a href="{esc(link["url"])}">{esc(link["name"])}</a></li>' for link in card.get("links") or []
        )
        parts.append(f"<section><h2>{esc(card['name'])}</h2><ul>{links}</ul></section>")
    parts.append(f'<p><a href="/handbook/">{esc(site.pages["/handbook/"].title)}</a></p>')
    site.add("/", "The GitLab Handbook", "\n".join(parts), "")

    site.nav = [("Handbook", "/handbook/")] + [
        (str(card["name"]), str(card["url"])) for card in toc if page_path(str(card["url"])) in site.pages
    ]
    site.link_children()
    return site
