"""Shared pieces for rendering a real company's website from its public source repository.

A site module (``bench/realsites/sites/<name>.py``) reads content files from a local git snapshot at a
pinned commit (`GitTree`), turns them into pages (`markdown_to_html` for Markdown/MDX, or its own HTML),
and adds them to a `Site`. `Site.write` lays the pages out the way the fixture proxy serves them
(``<out>/<host>/<path>/index.html``) with a shared header and footer of links, like the live site's
navigation, plus ``sitemap.xml`` and ``robots.txt`` where the live site has them.

Nothing rendered here is committed: only the builders, the repository list and the questions are.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from markdown_it import MarkdownIt

MIRROR_ROOT = Path("/work/.mirror")


class GitTree:
    """Read-only view of one commit of a bare git repository (as `fetch` lays it out)."""

    def __init__(self, git_dir: Path | str, commit: str) -> None:
        self.git_dir = str(git_dir)
        self.commit = commit
        self._files: list[str] | None = None

    @classmethod
    def for_repo(cls, repo: str, commit: str, mirror_root: Path = MIRROR_ROOT) -> GitTree:
        git_dir = mirror_root / repo.replace("/", "+") / "repo"
        if not git_dir.exists():
            raise FileNotFoundError(f"{repo}: no snapshot at {git_dir} (bring it in with the search tool's fetch)")
        return cls(git_dir, commit)

    def _git(self, *args: str) -> bytes:
        return subprocess.run(["git", "--git-dir", self.git_dir, *args], check=True, capture_output=True).stdout

    def files(self, prefix: str = "", exts: tuple[str, ...] | None = None) -> list[str]:
        if self._files is None:
            out = self._git("ls-tree", "-r", "--name-only", "-z", self.commit)
            self._files = [p for p in out.decode().split("\0") if p]
        return [
            p
            for p in self._files
            if p.startswith(prefix) and (exts is None or p.lower().endswith(tuple(e.lower() for e in exts)))
        ]

    def exists(self, path: str) -> bool:
        return path in set(self.files())

    def read(self, path: str) -> str:
        return self._git("show", f"{self.commit}:{path}").decode("utf-8", errors="replace")


_YAML_FM = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.S)
_TOML_FM = re.compile(r"\A\+\+\+\s*\n(.*?)\n\+\+\+\s*(?:\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter, body) of a Markdown file with YAML (---) or TOML (+++) front matter."""
    text = text.lstrip("\ufeff")
    for pattern, loader in ((_YAML_FM, yaml.safe_load), (_TOML_FM, tomllib.loads)):
        m = pattern.match(text)
        if m:
            try:
                data = loader(m.group(1)) or {}
            except Exception:
                data = {}
            return (data if isinstance(data, dict) else {}), text[m.end() :]
    return {}, text


_MDX_IMPORT = re.compile(r"^(import|export)\s.*?(?:;\s*$|$)", re.M)
_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}", re.S)
_LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_JSX_SELF_CLOSING = re.compile(r"<([A-Z][\w.]*)\b[^<>]*?/>", re.S)
_JSX_TAG = re.compile(r"</?([A-Z][\w.]*)\b[^<>]*>", re.S)
_JSX_EXPR = re.compile(r"^\s*\{/\*.*?\*/\}\s*$", re.M | re.S)

_md = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(["table", "strikethrough"])


def clean_markup(body: str) -> str:
    """Markdown with MDX imports/exports, JSX components, Hugo shortcodes and Liquid tags taken out.

    Components are dropped but their children kept: a `<Callout>` around a paragraph leaves the paragraph,
    as the rendered page shows it.
    """
    body = _MDX_IMPORT.sub("", body)
    body = _JSX_EXPR.sub("", body)
    body = _SHORTCODE.sub("", body)
    body = _LIQUID.sub("", body)
    body = _JSX_SELF_CLOSING.sub("", body)
    body = _JSX_TAG.sub("", body)
    return body


def markdown_to_html(body: str) -> str:
    return _md.render(clean_markup(body))


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def page_path(path: str) -> str:
    """A URL path in canonical form: leading slash, trailing slash for pages, no index/extension."""
    path = "/" + path.strip("/")
    path = re.sub(r"(/index)?\.(md|mdx|markdown|html?|markdoc)$", "", path)
    path = re.sub(r"/_index$", "", path)
    return path.rstrip("/") + "/" if path != "/" else "/"


def rewrite_links(body_html: str, resolve: Any) -> str:
    """Apply `resolve(href) -> href` to every <a href> in rendered HTML (e.g. `../foo.md` → `/foo/`)."""

    def sub(m: re.Match[str]) -> str:
        return f'{m.group(1)}"{esc(resolve(html.unescape(m.group(2))))}"'

    return re.sub(r'(<a\s[^>]*?href=)"([^"]*)"', sub, body_html)


ASSET_LINK = re.compile(r"\.(png|jpe?g|gif|svg|pdf|webp|mp4)$", re.I)


def own_link(href: str, host: str, assets: re.Pattern[str] = ASSET_LINK) -> tuple[str, str | None, str]:
    """(href, path, fragment) of a link on a page of the site on `host`: the href with the site's own absolute
    URLs made relative; the page path it links to, query dropped, or None when a resolver passes the href on as
    it is (other schemes, anchors, files)."""
    h = href
    for prefix in (f"https://{host}", f"http://{host}"):
        if h.startswith(prefix):
            h = h[len(prefix) :] or "/"
    if re.match(r"^[a-z][a-z0-9+.-]*:", h, re.I) or h.startswith("#") or not h:
        return h, None, ""
    target, _, frag = h.partition("#")
    target = target.partition("?")[0]
    if assets.search(target):
        return h, None, ""
    return h, target, frag


def relative_md_resolver(source_path: str, to_url: Any) -> Any:
    """A resolver for links written between Markdown source files (`../team.md#x` → the page's URL)."""

    def resolve(href: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith(("#", "/")):
            return href
        target, _, frag = href.partition("#")
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source_path), target)) if target else source_path
        url = to_url(joined)
        return url + (f"#{frag}" if frag else "")

    return resolve


@dataclass
class Page:
    path: str
    title: str
    body_html: str
    description: str = ""


@dataclass
class Site:
    """The pages of one host, with the navigation every page shares."""

    host: str
    name: str
    nav: list[tuple[str, str]] = field(default_factory=list)  # (label, path) in the header
    footer: list[tuple[str, str]] = field(default_factory=list)  # (label, path or absolute URL)
    sitemap: bool = True
    robots: str | None = "User-agent: *\nAllow: /\n"
    lang: str = "en"
    pages: dict[str, Page] = field(default_factory=dict)
    extra_files: dict[str, bytes] = field(default_factory=dict)  # path -> raw bytes (e.g. a PDF or JSON)

    def add(self, path: str, title: str, body_html: str, description: str = "") -> None:
        path = page_path(path)
        if path in self.pages:
            return
        self.pages[path] = Page(path, title, body_html, description)

    def add_markdown(self, path: str, text: str, *, title: str | None = None, resolve: Any = None) -> dict[str, Any]:
        """Render a Markdown/MDX source file as a page; returns its front matter."""
        meta, body = split_front_matter(text)
        body_html = markdown_to_html(body)
        if resolve is not None:
            body_html = rewrite_links(body_html, resolve)
        page_title = title or str(meta.get("title") or meta.get("linkTitle") or _first_heading(body) or path)
        self.add(path, page_title, body_html, str(meta.get("description") or ""))
        return meta

    def link_children(self) -> None:
        """Give every section page a list of the pages directly under it, as handbook sidebars do."""
        for path, page in list(self.pages.items()):
            children = sorted(
                p for p in self.pages if p != path and p.startswith(path) and p[len(path) :].count("/") == 1
            )
            missing = [p for p in children if f'href="{p}"' not in page.body_html]
            if missing:
                items = "".join(f'<li><a href="{esc(p)}">{esc(self.pages[p].title)}</a></li>' for p in missing)
                page.body_html += f'\n<nav class="section-pages"><ul>{items}</ul></nav>'

    def _layout(self, page: Page) -> str:
        nav = "".join(f'<li><a href="{esc(p)}">{esc(label)}</a></li>' for label, p in self.nav)
        foot = "".join(f'<li><a href="{esc(p)}">{esc(label)}</a></li>' for label, p in self.footer)
        heading = "" if re.search(r"<h1[\s>]", page.body_html) else f"<h1>{esc(page.title)}</h1>"
        desc = f'<meta name="description" content="{esc(page.description)}">' if page.description else ""
        return (
            f'<!doctype html>\n<html lang="{self.lang}"><head><meta charset="utf-8">'
            f"<title>{esc(page.title)} | {esc(self.name)}</title>{desc}</head>\n<body>\n"
            f'<header><a href="/">{esc(self.name)}</a><nav><ul>{nav}</ul></nav></header>\n'
            f"<main>{heading}\n{page.body_html}\n</main>\n"
            f"<footer><ul>{foot}</ul></footer>\n</body></html>\n"
        )

    def write(self, out_root: Path) -> int:
        root = out_root / self.host
        for page in self.pages.values():
            target = root / page.path.strip("/") / "index.html" if page.path != "/" else root / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self._layout(page), encoding="utf-8")
        for rel, data in self.extra_files.items():
            target = root / rel.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if self.sitemap:
            urls = "".join(f"<url><loc>https://{self.host}{quote(p)}</loc></url>" for p in sorted(self.pages))
            (root / "sitemap.xml").write_text(
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
            )
        if self.robots is not None:
            robots = self.robots + (f"Sitemap: https://{self.host}/sitemap.xml\n" if self.sitemap else "")
            (root / "robots.txt").write_text(robots)
        return len(self.pages)


def _first_heading(body: str) -> str | None:
    m = re.search(r"^#\s+(.+)$", body, re.M)
    return m.group(1).strip() if m else None


@dataclass(frozen=True)
class Source:
    """Where a site comes from: the repository and the commit it is rendered at."""

    host: str
    repo: str
    commit: str
    kind: str  # e.g. "OSS dev-tool SaaS", "consultancy handbook", "nonprofit"
    notes: str = ""


def manifest_entry(source: Source, site: Site) -> dict[str, Any]:
    return {
        "host": source.host,
        "repo": source.repo,
        "commit": source.commit,
        "kind": source.kind,
        "pages": len(site.pages),
    }


def dump_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n")
