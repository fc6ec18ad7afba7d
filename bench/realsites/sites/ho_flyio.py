"""Fly.io docs — developer PaaS; its documentation site (Middleman: .html.markerb / .html.md / .html.md.erb / .html.erb).

Held-out company. The docs live under https://fly.io/docs/ (the repo root is the /docs/ folder). Rendered:
about/ (pricing, billing, support, healthcare/SOC 2, free trial, open source), security/, hiring/ (job pages),
getting started, apps, machines, Managed Postgres, networking, volumes, monitoring, reference, blueprints and a
few more sections, about 300 pages; the per-language framework guides and the flyctl command reference are left
out. ERB is reduced to what a reader sees: `partial` calls are inlined from the repo, other Ruby is dropped (the
CPU/RAM price matrix comes from a partial of the main fly.io site that is not in this repo, so it is absent).
"""

from __future__ import annotations

import json
import posixpath
import re
from datetime import UTC, datetime

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
    host="fly.io",
    repo="superfly/docs",
    commit="5c22c8cece71e1cf83fab3189c9f7301573f4d6e",
    kind="dev-tool PaaS documentation (Middleman markerb/md/erb)",
    notes="repo root is served under /docs/; / redirects to /docs/",
)

SECTIONS = (
    "about/",
    "security/",
    "hiring/",
    "getting-started/",
    "apps/",
    "launch/",
    "machines/",
    "mpg/",
    "postgres/",
    "networking/",
    "volumes/",
    "monitoring/",
    "reference/",
    "blueprints/",
    "deep-dive/",
    "tigris/",
    "upstash/",
    "supabase/",
    "mcp/",
    "kubernetes/",
    "app-guides/",
    "languages-and-frameworks/",
)
TOP_FILES = (
    "index.html.md",
    "database-storage-guides.html.md",
    "guides.html.markerb",
    "containers.html.md",
    "flyctl/index.html.md",
    "flyctl/install.html.markerb",
    "flyctl/integrating.html.md",
)
EXTS = (".html.markerb", ".html.md", ".html.md.erb", ".html.erb", ".html.mdx", ".md")
BUILD_TIME = datetime(2026, 8, 7, tzinfo=UTC)  # the pinned commit's date, for `Time.now` conditions


def _url(path: str) -> str:
    stem = path
    for ext in EXTS:
        if stem.endswith(ext):
            stem = stem[: -len(ext)]
            break
    if stem == "index":
        return "/docs/"
    return page_path("/docs/" + re.sub(r"/index$", "", stem))


class _Erb:
    def __init__(self, tree: GitTree) -> None:
        self.tree = tree
        self.files = set(tree.files())

    def _partial(self, name: str, depth: int) -> str:
        name = name.strip("/").removeprefix("docs/")
        folder, base = posixpath.split(name)
        for cand_folder in (folder, posixpath.join("partials", folder) if folder else "partials"):
            for ext in (".html.erb", ".html.md.erb", ".html.markerb", ".html.md", ".erb", ".md"):
                cand = posixpath.join(cand_folder, "_" + base + ext).lstrip("/")
                if cand in self.files:
                    return self.render(self.tree.read(cand), depth + 1)
        return ""

    def render(self, text: str, depth: int = 0) -> str:
        if depth > 4:
            return ""

        def dated(m: re.Match[str]) -> str:
            when = datetime.fromisoformat(m.group(2).replace("Z", "+00:00"))
            shown = BUILD_TIME < when if m.group(1) == "<" else BUILD_TIME > when
            return m.group(3) if shown else ""

        text = re.sub(r"<%\s*if Time\.now\.utc\s*([<>])\s*'([^']+)'\s*%>(.*?)<%\s*end\s*%>", dated, text, flags=re.S)
        text = re.sub(r"<%[^=].*?\.each do.*?%>.*?<%\s*end\s*%>", "", text, flags=re.S)
        text = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)
        text = re.sub(r"<select\b.*?</select>", "", text, flags=re.S)

        def output(m: re.Match[str]) -> str:
            expr = m.group(1).strip()
            pm = re.match(r'partial\s*\(?\s*"([^"]+)"', expr)
            if pm:
                return self._partial(pm.group(1), depth)
            ym = re.match(r'youtube\s+"([^"]+)"', expr)
            if ym:
                return f'<a href="{esc(ym.group(1))}">{esc(ym.group(1))}</a>'
            return ""

        text = re.sub(r"<%=(.*?)-?%>", output, text, flags=re.S)
        text = re.sub(r"<%.*?%>", "", text, flags=re.S)
        return text


def _resolver(url: str):
    def resolve(href: str) -> str:
        href = href.replace("/+external", "/").replace("+external", "")
        if href.startswith("https://fly.io/docs"):
            href = href[len("https://fly.io") :]
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("#"):
            return href
        path, sep, frag = href.partition("#")
        if not path.startswith("/"):
            path = posixpath.normpath(posixpath.join(url, path))
        last = path.rstrip("/").rsplit("/", 1)[-1]
        if "." in last and not last.endswith((".html", ".md")):
            return path + sep + frag
        return page_path(path) + sep + frag

    return resolve


def _nav_from_erb(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for m in re.finditer(r'title:\s*"([^"]+)",\s*path:\s*"([^"]+)"', text):
        out.append((m.group(1), page_path(m.group(2))))
    return out


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Fly Docs")
    erb = _Erb(tree)
    paths = [p for p in tree.files("", EXTS) if p in TOP_FILES or p.startswith(SECTIONS)]
    for path in sorted(paths):
        base = path.rsplit("/", 1)[-1]
        if base.startswith("_") or "/partials/" in "/" + path or base.lower() == "readme.md":
            continue
        raw = tree.read(path)
        if "ApiInfoComponent" in raw or "CodeToggleComponent" in raw:
            continue  # Machines API reference built from view components
        meta, body = split_front_matter(raw)
        if meta.get("redirect_to") or meta.get("layout") == "redirect":
            continue
        url = _url(path)
        body = erb.render(body)
        body_html = markdown_to_html(body)
        body_html = re.sub(r"<img\b[^>]*>", "", body_html)
        body_html = rewrite_links(body_html, _resolver(url))
        site.add(url, str(meta.get("title") or url), body_html, str(meta.get("description") or ""))

    nav = _nav_from_erb(tree.read("partials/_firecracker_nav.html.erb"))
    site.nav = [(t, p) for t, p in nav] + [
        ("About Fly.io", "/docs/about/"),
        ("Pricing", "/docs/about/pricing/"),
        ("Support", "/docs/about/support/"),
        ("Security", "/docs/security/"),
    ]
    jobs = [
        (m.group(1), page_path(m.group(2)))
        for m in re.finditer(r'nav_link "([^"]+)", "([^"]+)"', tree.read("partials/_devjobs_nav.html.erb"))
    ]
    site.footer = [
        *jobs,
        ("Billing", "/docs/about/billing/"),
        ("Healthcare", "/docs/about/healthcare/"),
        ("Open Source", "/docs/about/open-source/"),
        ("Status", "https://status.flyio.net/"),
        ("Community", "https://community.fly.io"),
    ]
    site.extra_files["_site.json"] = json.dumps({"redirects": {"/": "/docs/"}}, indent=1).encode()
    site.link_children()
    return site
