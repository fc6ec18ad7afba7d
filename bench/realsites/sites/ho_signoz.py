"""SigNoz — open-source observability startup; signoz.io as it stood in January 2024 (Docusaurus site).

Held-out company. The upstream repository (SigNoz/signoz.io) is over the snapshot size limit, so the site is read
from a fork whose `main` is an upstream commit (PR #1464, 2024-01-22), when signoz.io was still a Docusaurus
site: `src/pages/` (React pages: about-us, pricing, teams, enterprise, careers, case studies, comparisons; Markdown
pages: job ads, privacy, terms, MSA, funding news), `docs/` and `blog/` (capped to the 150 most recent posts).
React pages are turned into HTML by a small JSX reader: the elements' text and links, imported components inlined,
and the strings of the data objects the page maps over (titles, descriptions, FAQ questions and answers).
"""

from __future__ import annotations

import posixpath
import re

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
    host="signoz.io",
    repo="akshay-bharadva/signoz.io",
    commit="60f4294bf41a8c295d6f5a076f080fe3de65de3a",
    kind="OSS observability startup (Docusaurus, React pages + MDX)",
    notes="fork snapshot of SigNoz/signoz.io at upstream commit 60f4294 (2024-01-22); upstream repo too large to fetch",
)

BLOG_CAP = 150
JS_EXTS = (".tsx", ".ts", ".jsx", ".js")
HTML_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "strong",
    "b",
    "em",
    "i",
    "br",
    "code",
    "pre",
    "section",
    "div",
    "span",
    "small",
    "blockquote",
    "a",
    "dl",
    "dt",
    "dd",
    "label",
    "sup",
    "sub",
    "u",
    "hr",
    "main",
    "article",
    "header",
    "footer",
    "nav",
    "summary",
    "details",
}
DROP_TAGS = {
    "img",
    "svg",
    "path",
    "script",
    "style",
    "iframe",
    "video",
    "source",
    "input",
    "button-icon",
    "circle",
    "head",
    "link",
    "meta",
    "Head",
    "Helmet",
    "g",
    "defs",
    "rect",
    "clipPath",
    "lineargradient",
    "stop",
}
DATA_KEYS = (
    "title",
    "desc",
    "description",
    "heading",
    "subheading",
    "subtitle",
    "question",
    "answer",
    "name",
    "role",
    "feature",
    "text",
    "label",
    "content",
    "quote",
    "company",
    "designation",
    "TITLE",
    "DESC",
    "SUBTITLE",
    "HEADING",
    "SUB_HEADING",
    "position",
    "details",
    "section",
    "price",
    "body",
)


# ---------------------------------------------------------------------------------------------------- JSX reader
class _Jsx:
    def __init__(self, tree: GitTree) -> None:
        self.tree = tree
        self.files = set(tree.files("src/"))
        self.cache: dict[str, str] = {}

    def _resolve(self, importer: str, spec: str) -> str | None:
        if spec.startswith("@site/"):
            base = spec[len("@site/") :]
        elif spec.startswith("."):
            base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
        else:
            return None
        for cand in [base] + [base + e for e in JS_EXTS] + [base + "/index" + e for e in JS_EXTS]:
            if cand in self.files and cand.endswith(JS_EXTS):
                return cand
        return None

    def imports(self, path: str, src: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for m in re.finditer(r'import\s+(.+?)\s+from\s+["\']([^"\']+)["\']', src, re.S):
            target = self._resolve(path, m.group(2))
            if not target:
                continue
            names = re.findall(r"[A-Za-z_]\w*", m.group(1).replace(" as ", " "))
            for n in names:
                out[n] = target
        return out

    def render_file(self, path: str, depth: int = 0, seen: frozenset[str] = frozenset()) -> str:
        if path in seen or depth > 4:
            return ""
        src = _strip_comments(self.tree.read(path))
        if path == "src/pages/pricing/index.tsx":
            src = _pricing_defaults(src)
        ctx = {"imports": self.imports(path, src), "depth": depth, "seen": seen | {path}}
        parts: list[str] = []
        pos = 0
        root = re.compile(r"(?:return|=>|\(|\?|:|&&|\|\|)\s*(<[A-Za-z>])")
        while True:
            m = root.search(src, pos)
            if not m:
                break
            start = m.start(1)
            try:
                html_, end = self._element(src, start, ctx)
            except _ParseError:
                pos = start + 1
                continue
            parts.append(html_)
            pos = end
        body = "\n".join(p for p in parts if p.strip())
        data = _data_strings(src, body)
        return body + ("\n" + data if data else "")

    # -- elements -------------------------------------------------------------------------------------------------
    def _element(self, s: str, i: int, ctx: dict) -> tuple[str, int]:
        assert s[i] == "<"
        m = re.compile(r"<([A-Za-z][\w.:-]*)?").match(s, i)
        if not m:
            raise _ParseError
        name = m.group(1) or ""
        j = m.end()
        attrs: dict[str, str] = {}
        # attributes
        while True:
            while j < len(s) and s[j].isspace():
                j += 1
            if j >= len(s):
                raise _ParseError
            if s.startswith("/>", j):
                return self._emit(name, attrs, "", ctx), j + 2
            if s[j] == ">":
                j += 1
                break
            if s[j] == "{":
                j = _skip_braces(s, j)
                continue
            am = re.compile(r"([\w:.-]+)\s*(=\s*)?").match(s, j)
            if not am:
                raise _ParseError
            key = am.group(1)
            j = am.end()
            if am.group(2):
                if s[j] in "\"'":
                    q = s[j]
                    k = s.index(q, j + 1)
                    attrs[key] = s[j + 1 : k]
                    j = k + 1
                elif s[j] == "{":
                    k = _skip_braces(s, j)
                    lit = re.fullmatch(r"\{\s*([\"'`])(.*?)\1\s*\}", s[j:k], re.S)
                    if lit and "${" not in lit.group(2):
                        attrs[key] = lit.group(2)
                    j = k
                else:
                    raise _ParseError
        # children
        children: list[str] = []
        while True:
            if j >= len(s):
                raise _ParseError
            if s.startswith("</", j):
                k = s.index(">", j)
                return self._emit(name, attrs, "".join(children), ctx), k + 1
            if s[j] == "<":
                if re.match(r"<[A-Za-z>]", s[j : j + 2]):
                    html_, j = self._element(s, j, ctx)
                    children.append(html_)
                    continue
                children.append("&lt;")
                j += 1
                continue
            if s[j] == "{":
                k = _skip_braces(s, j)
                children.append(self._expression(s[j + 1 : k - 1], ctx))
                j = k
                continue
            k = j
            while k < len(s) and s[k] not in "<{":
                k += 1
            text = s[j:k]
            children.append(re.sub(r"\s+", " ", text))
            j = k

    def _expression(self, expr: str, ctx: dict) -> str:
        e = expr.strip()
        lit = re.fullmatch(r"([\"'`])(.*)\1", e, re.S)
        if lit and "${" not in lit.group(2):
            return esc(lit.group(2))
        tern = re.fullmatch(r"[\w.\s=!\"']+\?\s*\"([^\"]*)\"\s*:\s*\"([^\"]*)\"", e)
        if tern:  # `tab === "cloud" ? "Cloud" : "Self Managed"`: the first (default) branch
            return esc(tern.group(1))
        out = []
        pos = 0
        root = re.compile(r"(?:^|return|=>|\(|\?|:|&&|\|\|)\s*(<[A-Za-z>])")
        while True:
            m = root.search(e, pos)
            if not m:
                break
            try:
                html_, end = self._element(e, m.start(1), ctx)
            except _ParseError:
                pos = m.start(1) + 1
                continue
            out.append(html_)
            pos = end
        return " ".join(out)

    def _emit(self, name: str, attrs: dict[str, str], inner: str, ctx: dict) -> str:
        low = name.lower()
        if name in DROP_TAGS or (name == low and low in DROP_TAGS):
            return ""
        if name in ("Link", "a"):
            href = attrs.get("href") or attrs.get("to") or ""
            return f'<a href="{esc(href)}">{inner}</a>' if href else inner
        if name == "Heading":
            return f"<h2>{inner}</h2>"
        if name in ("SubHeading",):
            return f"<p>{inner}</p>"
        if name in ctx["imports"]:
            target = ctx["imports"][name]
            rendered = self.render_file(target, ctx["depth"] + 1, ctx["seen"])
            return f"<div>{rendered}{inner}</div>"
        if low in HTML_TAGS:
            return f"<{low}>{inner}</{low}>" if low not in ("br", "hr") else f"<{low}>"
        if name == "option":
            return f"<option>{inner}</option>"
        if name == "select":
            return f"<select>{inner}</select>"
        if name in ("button", "Layout", "") or name[:1].isupper():
            return f"<div>{inner}</div>" if inner.strip() else ""
        return inner


class _ParseError(Exception):
    pass


def _skip_braces(s: str, i: int) -> int:
    """Index just after the `}` matching the `{` at i (strings and template literals skipped)."""
    depth = 0
    j = i
    while j < len(s):
        c = s[j]
        if c in "\"'`":
            k = j + 1
            while k < len(s) and s[k] != c:
                k += 2 if s[k] == "\\" else 1
            j = k + 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise _ParseError


def _pricing_defaults(src: str) -> str:
    """The usage-price widgets as first rendered: the default (first) retention's price, every retention option,
    and the per-retention prices of `RETENTION_PERIOD` as a table."""
    tl = re.findall(r"\{\s*days:\s*(\d+),\s*price:\s*([\d.]+)\s*\}", src)
    mt = re.findall(r"\{\s*months:\s*(\d+),\s*price:\s*([\d.]+)\s*\}", src)
    if not tl or not mt:
        return src
    src = re.sub(r"\$\{TRACES_AND_LOGS_PRICES\[\w+\]\}", "$" + tl[0][1], src)
    src = re.sub(r"\$\{METRICS_PRICES\[\w+\]\}", "$" + mt[0][1], src)
    tl_opts = "".join(f"<option>{d} days</option>" for d, _ in tl)
    mt_opts = "".join(f"<option>{m} {'month' if m == '1' else 'months'}</option>" for m, _ in mt)
    src = re.sub(r"\{RETENTION_PERIOD\.TRACES_AND_LOGS\.map\(.*?</option>\s*\)\s*\)\s*\}", tl_opts, src, flags=re.S)
    src = re.sub(r"\{RETENTION_PERIOD\.METRICS\.map\(.*?</option>\s*\)\s*\)\s*\}", mt_opts, src, flags=re.S)
    table = (
        "<table><tr><th>Logs</th><th>Traces</th></tr>"
        + "".join(
            f"<tr><td>${p} per GB ingested &mdash;&nbsp;{d} days</td><td>${p} per GB ingested &mdash;&nbsp;{d} days</td></tr>"
            for d, p in tl
        )
        + "</table><table><tr><th>Metrics</th></tr>"
        + "".join(
            f"<tr><td>${p} per mn samples &mdash;&nbsp;{m} {'month' if m == '1' else 'months'}</td></tr>" for m, p in mt
        )
        + "</table>"
    )
    i = src.find("per mn samples")
    j = src.find("<br />", i) if i >= 0 else -1
    if j >= 0:
        src = src[:j] + table + src[j:]
    return src


def _strip_comments(src: str) -> str:
    src = re.sub(r"\{\s*/\*.*?\*/\s*\}", "", src, flags=re.S)
    src = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
    src = re.sub(r"^\s*//.*$", "", src, flags=re.M)
    return src


def _data_strings(src: str, already: str) -> str:
    """Strings of data objects a component maps over (`title: "…"`, `desc: "…"`), those not already shown."""
    text_already = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", already))
    out = []
    pat = re.compile(r"\b(" + "|".join(DATA_KEYS) + r")\s*:\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|`[^`$]*`)")
    for m in pat.finditer(src):
        key, val = m.group(1), m.group(2)[1:-1].replace('\\"', '"').replace("\\'", "'")
        val = re.sub(r"\s+", " ", val).strip()
        if len(val) < 2 or val.startswith(("/", "http", "#", "GTM", "UA-")) or re.fullmatch(r"[\w-]{20,}", val):
            continue
        if esc(val) in text_already or val in text_already:
            continue
        tag = "h3" if key.lower() in ("title", "heading", "question", "name", "section", "feature") else "p"
        out.append(f"<{tag}>{esc(val)}</{tag}>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------- site
def _md_clean(body: str) -> str:
    body = re.sub(r"<head>.*?</head>", "", body, flags=re.S)
    body = re.sub(r"^:::\w*.*$", "", body, flags=re.M)  # admonition fences
    body = re.sub(r"<!--\s*truncate\s*-->", "", body)
    return body


def _internal(href: str) -> str:
    if href.startswith("https://signoz.io/"):
        href = href[len("https://signoz.io") :]
    if not href.startswith("/") or href.startswith("//"):
        return href
    path, sep, frag = href.partition("#")
    path = path.split("?")[0]
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if "." in last and not last.endswith((".md", ".mdx", ".html")):
        return href
    return page_path(path) + (sep + frag if sep else "")


def _md_resolver(src_path: str, to_url):
    def resolve(href: str) -> str:
        if href.startswith("/") or href.startswith("https://signoz.io/"):
            return _internal(href)
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("#"):
            return href
        target, _, frag = href.partition("#")
        if target.endswith((".md", ".mdx")):
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(src_path), target))
            return to_url.get(joined, page_path(joined)) + (f"#{frag}" if frag else "")
        return href

    return resolve


def _doc_url(path: str, meta: dict) -> str:
    rel = path.removeprefix("docs/")
    folder = posixpath.dirname(rel)
    slug = meta.get("slug")
    if slug:
        slug = str(slug)
        return page_path("/docs/" + (slug.lstrip("/") if slug.startswith("/") else posixpath.join(folder, slug)))
    stem = posixpath.basename(rel).rsplit(".", 1)[0]
    stem = str(meta.get("id") or stem)
    return page_path("/docs/" + posixpath.join(folder, stem))


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="SigNoz")
    jsx = _Jsx(tree)

    # React pages
    for path in sorted(tree.files("src/pages/", JS_EXTS)):
        rel = path.removeprefix("src/pages/")
        if "/_" in "/" + rel or rel.startswith(("verify-email", "cloud-zoom")):
            continue
        stem = rel.rsplit(".", 1)[0]
        url = "/" if stem == "index" else page_path(re.sub(r"/index$", "", stem))
        body = jsx.render_file(path)
        body = rewrite_links(body, _internal)
        title_m = re.search(r'<Layout[^>]*title=\{?\s*["\']([^"\']+)["\']', tree.read(path))
        title = title_m.group(1) if title_m else url.strip("/")
        if url == "/":
            tagline = re.search(r'tagline:\s*"([^"]+)"', tree.read("docusaurus.config.js"))
            title = tagline.group(1) if tagline else "SigNoz"
        site.add(url, title, body)

    # Markdown pages, docs and blog
    md_urls: dict[str, str] = {}
    docs = [p for p in tree.files("docs/", (".md", ".mdx")) if not p.startswith("docs/shared/")]
    pages_md = tree.files("src/pages/", (".md", ".mdx"))
    blog = sorted((p for p in tree.files("blog/", (".md", ".mdx"))), reverse=True)
    metas: dict[str, tuple[dict, str]] = {}
    for path in pages_md + docs + blog:
        metas[path] = split_front_matter(tree.read(path))
    for path in pages_md:
        md_urls[path] = page_path(path.removeprefix("src/pages/"))
    for path in docs:
        md_urls[path] = _doc_url(path, metas[path][0])
    posts = []
    for path in blog:
        meta = metas[path][0]
        name = posixpath.basename(path).rsplit(".", 1)[0]
        slug = str(meta.get("slug") or re.sub(r"^\d{4}-\d{2}-\d{2}-", "", name))
        date = str(meta.get("date") or name[:10])[:10]
        posts.append((date, path, slug))
    posts.sort(reverse=True)
    posts = posts[:BLOG_CAP]
    for _date, path, slug in posts:
        md_urls[path] = page_path("/blog/" + slug.lstrip("/"))

    for path, url in md_urls.items():
        meta, body = metas[path]
        html_ = markdown_to_html(_md_clean(body))
        html_ = rewrite_links(html_, _md_resolver(path, md_urls))
        if path.startswith("blog/"):
            authors = meta.get("authors")
            date = str(meta.get("date") or "")[:10]
            html_ = f"<p>{esc(date)}{' · ' + esc(str(authors)) if authors else ''}</p>\n" + html_
        title = str(meta.get("title") or meta.get("sidebar_label") or url.strip("/"))
        site.add(url, title, html_, str(meta.get("description") or ""))

    items = "".join(
        f'<li><a href="{md_urls[p]}">{esc(site.pages[md_urls[p]].title)}</a> — {esc(d)}</li>' for d, p, _ in posts
    )
    site.add("/blog/", "SigNoz Blog", f"<h1>Blog</h1><ul>{items}</ul>")

    site.nav = [
        ("Docs", "/docs/"),
        ("Blog", "/blog/"),
        ("Pricing", "/pricing/"),
        ("Customer Stories", "/case-study/"),
    ]
    site.footer = [
        ("Introduction", "/docs/"),
        ("Contributing", "/docs/contributing/"),
        ("Knowledge Base", "https://knowledgebase.signoz.io/kb"),
        ("Slack", "https://signoz.io/slack"),
        ("Twitter", "https://twitter.com/SigNozHQ"),
        ("Support", "/support/"),
        ("Technical Writer Program", "/technical-writer-program/"),
        ("SigNoz vs Datadog", "/comparisons/signoz-vs-datadog/"),
        ("SigNoz vs New Relic", "/comparisons/signoz-vs-newrelic/"),
        ("SigNoz vs Grafana", "/comparisons/signoz-vs-grafana/"),
        ("SigNoz vs Dynatrace", "/comparisons/signoz-vs-dynatrace/"),
        ("Careers", "/careers/"),
        ("About", "/about-us/"),
        ("Terms", "/terms-of-service/"),
        ("Privacy", "/privacy/"),
    ]
    site.link_children()
    # The careers page lists only the open roles; older job-ad pages stay reachable by URL and sitemap only.
    careers = site.pages["/careers/"]
    careers.body_html = re.sub(r'\n<nav class="section-pages">.*?</nav>', "", careers.body_html, flags=re.S)
    return site
