"""LocalStack — Swiss-Austrian startup selling a local AWS cloud emulator (open core: free Community, paid Pro/Team/
Enterprise); its marketing website localstack.cloud (Hugo, pre-2024 version).

The site's own Hugo layouts are executed by a small Go-template interpreter (`_Template` below: if/else/with/range/
define, variables, pipes, `partial`, `dict`, `eq`, `printf`, `delimit`, …) over pages built from `content/` (front
matter, Markdown rendered with the shared renderer, shortcodes expanded: `jobs/about-localstack`, `jobs/apply-action`,
`alert`, `ref`, `include`; images and videos dropped). So the home page, pricing tiers, company timeline, careers and
FAQ lists, reviews and contact cards show the text the layouts print, with `.Site.Data` (customers, community,
footer) and `.Site.Menus` from the repository. Scripts, styles, SVG icons, images and HTML comments are left out
(forms are HubSpot embeds). Header: the `main` menu (with its dropdown children); footer: `data/footer.toml` and the
`footerend` menu. Hugo's automatic section lists (`/solutions/`, `/products/`, `/legal/`) use `_default/list.html`.
Left out: the one-question FAQ item pages, tag pages, and the content files without front matter (meta-refresh
redirects such as `/jobs/`).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import posixpath
import re
import tomllib
from typing import Any

import yaml

from bench.realsites.render import (
    GitTree,
    Site,
    Source,
    markdown_to_html,
    page_path,
    rewrite_links,
    split_front_matter,
)

SOURCE = Source(
    host="localstack.cloud",
    repo="localstack/localstack.github.io",
    commit="8beeb6202b32621caffa0211f64fb6ee39c7d2bc",
    kind="dev-tool SaaS (local AWS cloud emulator, Switzerland/Austria), Hugo marketing site",
)


# ---------------------------------------------------------------------------------------------------------------
# A small Go text/html template interpreter, enough for this site's layouts.


class Safe(str):
    """A string that is already HTML (Hugo's safeHTML / template.HTML)."""


class _Node:
    def __init__(self, kind: str, **kw: Any) -> None:
        self.kind = kind
        self.__dict__.update(kw)


_ACTION = re.compile(r"\{\{(-?)(.*?)(-?)\}\}", re.S)
_COMMENT = re.compile(r"\{\{-?\s*/\*.*?\*/\s*-?\}\}", re.S)


def _tokenize(src: str) -> list[tuple[str, str]]:
    src = _COMMENT.sub("", src)
    src = re.sub(r"<!--.*?-->", "", src, flags=re.S)
    out: list[tuple[str, str]] = []
    pos = 0
    trim_next = False
    for m in _ACTION.finditer(src):
        text = src[pos : m.start()]
        if trim_next:
            text = text.lstrip()
        if m.group(1):
            text = text.rstrip()
        out.append(("text", text))
        out.append(("action", m.group(2).strip()))
        trim_next = bool(m.group(3))
        pos = m.end()
    text = src[pos:]
    out.append(("text", text.lstrip() if trim_next else text))
    return out


def _parse(tokens: list[tuple[str, str]], i: int = 0) -> tuple[list[_Node], int, str]:
    nodes: list[_Node] = []
    while i < len(tokens):
        kind, val = tokens[i]
        i += 1
        if kind == "text":
            if val:
                nodes.append(_Node("text", text=val))
            continue
        word = val.split(None, 1)[0] if val else ""
        rest = val[len(word) :].strip()
        if word in ("end",) or word == "else":
            return nodes, i, val
        if word in ("if", "with", "range", "define", "block"):
            branches: list[tuple[str, list[_Node]]] = []
            cond = rest
            else_body: list[_Node] = []
            while True:
                body, i, stop = _parse(tokens, i)
                branches.append((cond, body))
                if stop == "end":
                    break
                if stop.startswith("else if ") or stop.startswith("else with "):
                    cond = stop.split(None, 2)[2]
                    continue
                # plain else
                else_body, i, stop = _parse(tokens, i)
                break
            nodes.append(_Node(word, branches=branches, else_body=else_body))
            continue
        nodes.append(_Node("action", expr=val))
    return nodes, i, ""


class _Method:
    def __init__(self, fn: Any) -> None:
        self.fn = fn


class Date:
    def __init__(self, value: Any) -> None:
        if isinstance(value, dt.datetime):
            self.value = value
        elif isinstance(value, dt.date):
            self.value = dt.datetime(value.year, value.month, value.day)
        else:
            try:
                self.value = dt.datetime.fromisoformat(str(value))
            except ValueError:
                self.value = dt.datetime(1970, 1, 1)
        self.Format = _Method(self._format)

    def _format(self, layout: str) -> str:
        if layout == "January 2, 2006":
            return f"{self.value:%B} {self.value.day}, {self.value.year}"
        return self.value.strftime("%Y-%m-%d")


_STR = re.compile(r'"((?:[^"\\]|\\.)*)"|`([^`]*)`', re.S)


class _Template:
    def __init__(self, tree: GitTree, partial_root: str = "layouts/partials/") -> None:
        self.tree = tree
        self.partial_root = partial_root
        self._cache: dict[str, list[_Node]] = {}

    def parse(self, src: str) -> list[_Node]:
        nodes, _, _ = _parse(_tokenize(src))
        return nodes

    def render_file(self, path: str, dot: Any) -> Safe:
        if path not in self._cache:
            self._cache[path] = self.parse(self.tree.read(path))
        return self.run(self._cache[path], dot, {"$": dot})

    def render(self, src: str, dot: Any) -> Safe:
        return self.run(self.parse(src), dot, {"$": dot})

    # -- execution
    def run(self, nodes: list[_Node], dot: Any, env: dict[str, Any]) -> Safe:
        out: list[str] = []
        for n in nodes:
            if n.kind == "text":
                out.append(n.text)
            elif n.kind == "action":
                expr = n.expr
                m = re.match(r"^(\$\w+)\s*:?=\s*(.*)$", expr, re.S)
                if m:
                    env[m.group(1)] = self.eval(m.group(2), dot, env)
                    continue
                if expr.startswith("template "):
                    continue
                out.append(self._show(self.eval(expr, dot, env)))
            elif n.kind in ("define", "block"):
                out.append(self.run(n.branches[0][1], dot, env))
            elif n.kind == "if":
                for cond, body in n.branches:
                    if _truthy(self.eval(cond, dot, env)):
                        out.append(self.run(body, dot, env))
                        break
                else:
                    out.append(self.run(n.else_body, dot, env))
            elif n.kind == "with":
                for cond, body in n.branches:
                    v = self.eval(cond, dot, env)
                    if _truthy(v):
                        out.append(self.run(body, v, env))
                        break
                else:
                    out.append(self.run(n.else_body, dot, env))
            elif n.kind == "range":
                cond, body = n.branches[0]
                m = re.match(r"^(\$\w+)\s*(?:,\s*(\$\w+))?\s*:=\s*(.*)$", cond, re.S)
                seq = self.eval(m.group(3) if m else cond, dot, env)
                items = list(seq.items()) if isinstance(seq, dict) else list(enumerate(seq or []))
                if not items:
                    out.append(self.run(n.else_body, dot, env))
                for k, v in items:
                    local = dict(env)
                    if m and m.group(2):
                        local[m.group(1)], local[m.group(2)] = k, v
                    elif m:
                        local[m.group(1)] = v
                    out.append(self.run(body, v, local))
        return Safe("".join(out))

    @staticmethod
    def _show(v: Any) -> str:
        if v is None or isinstance(v, _Method):
            return ""
        if isinstance(v, Safe):
            return v
        if isinstance(v, bool):
            return "true" if v else "false"
        return html.escape(str(v), quote=False)

    # -- expressions
    def _terms(self, s: str) -> list[str]:
        terms, i = [], 0
        while i < len(s):
            c = s[i]
            if c.isspace():
                i += 1
            elif c in '"`':
                m = _STR.match(s, i)
                terms.append(m.group(0))
                i = m.end()
            elif c == "(":
                depth, j = 0, i
                while j < len(s):
                    if s[j] in '"`':
                        j = _STR.match(s, j).end()
                        continue
                    depth += s[j] == "("
                    depth -= s[j] == ")"
                    j += 1
                    if depth == 0:
                        break
                terms.append(s[i:j])
                i = j
            elif c == "|":
                terms.append("|")
                i += 1
            else:
                j = i
                while j < len(s) and not s[j].isspace() and s[j] not in "()|":
                    j += 1
                terms.append(s[i:j])
                i = j
        return terms

    def eval(self, expr: str, dot: Any, env: dict[str, Any]) -> Any:
        terms = self._terms(expr)
        commands: list[list[str]] = [[]]
        for t in terms:
            if t == "|":
                commands.append([])
            else:
                commands[-1].append(t)
        value: Any = _MISSING
        for cmd in commands:
            value = self._command(cmd, dot, env, value)
        return None if value is _MISSING else value

    def _command(self, cmd: list[str], dot: Any, env: dict[str, Any], piped: Any) -> Any:
        head, args = cmd[0], cmd[1:]
        if re.match(r"^[A-Za-z_]\w*$", head) and head not in ("true", "false", "nil"):
            vals = [self._term(a, dot, env) for a in args]
            if piped is not _MISSING:
                vals.append(piped)
            return self._call(head, vals, dot)
        val = self._term(head, dot, env)
        if isinstance(val, _Method):
            vals = [self._term(a, dot, env) for a in args]
            if piped is not _MISSING:
                vals.append(piped)
            return val.fn(*vals)
        return val

    def _term(self, t: str, dot: Any, env: dict[str, Any]) -> Any:
        if t.startswith("("):
            return self.eval(t[1:-1], dot, env)
        if t[0] in '"`':
            m = _STR.match(t)
            if m.group(2) is not None:
                return m.group(2)
            return re.sub(r"\\(.)", lambda e: {"n": "\n", "t": "\t"}.get(e.group(1), e.group(1)), m.group(1))
        if t in ("true", "false"):
            return t == "true"
        if t == "nil":
            return None
        if re.match(r"^-?\d+(\.\d+)?$", t):
            return float(t) if "." in t else int(t)
        if t == ".":
            return dot
        if t.startswith("$"):
            name, _, path = t.partition(".")
            return _get_path(env.get(name), path)
        if t.startswith("."):
            return _get_path(dot, t[1:])
        raise ValueError(f"template term {t!r}")

    def _call(self, name: str, a: list[Any], dot: Any) -> Any:
        if name == "partial":
            path = self.partial_root + a[0]
            return self.render_file(path, a[1] if len(a) > 1 else None)
        if name == "dict":
            return {a[i]: a[i + 1] for i in range(0, len(a) - 1, 2)}
        if name == "eq":
            return any(a[0] == b for b in a[1:])
        if name == "ne":
            return a[0] != a[1]
        if name == "not":
            return not _truthy(a[0])
        if name == "and":
            for v in a:
                if not _truthy(v):
                    return v
            return a[-1]
        if name == "or":
            for v in a:
                if _truthy(v):
                    return v
            return a[-1]
        if name == "cond":
            return a[1] if _truthy(a[0]) else a[2]
        if name == "gt":
            return a[0] > a[1]
        if name == "lt":
            return a[0] < a[1]
        if name == "isset":
            return isinstance(a[0], dict) and a[1] in a[0]
        if name == "in":
            return a[1] in (a[0] or "")
        if name in ("lower", "upper"):
            s = "" if a[-1] is None else str(a[-1])
            return s.lower() if name == "lower" else s.upper()
        if name == "replaceRE":
            return re.sub(a[0], a[1].replace("$1", r"\1"), "" if a[2] is None else str(a[2]))
        if name == "delimit":
            return a[1].join(str(x) for x in (a[0] or []))
        if name in ("safeHTML", "safeURL", "safeHTMLAttr"):
            return Safe("" if a[-1] is None else str(a[-1]))
        if name in ("relURL", "absURL", "htmlUnescape", "plainify", "string"):
            return "" if a[-1] is None else str(a[-1])
        if name == "markdownify":
            return Safe(markdown_to_html(str(a[-1] or "")).strip())
        if name == "printf":
            fmt, rest = a[0], a[1:]
            if fmt == "%T":
                return "[]interface {}" if isinstance(rest[0], list) else "string"
            return re.sub(r"%[sdv]", lambda _m, it=iter(rest): str(next(it, "")), fmt)
        if name == "default":
            return a[1] if _truthy(a[1]) else a[0]
        if name == "len":
            return len(a[0] or [])
        if name in ("slice",):
            return list(a)
        if name == "append":
            return list(a[-1] or []) + a[:-1]
        raise ValueError(f"template function {name!r}")


_MISSING = object()


def _truthy(v: Any) -> bool:
    if isinstance(v, (Date, _Method)):
        return True
    return bool(v)


def _get_path(obj: Any, path: str) -> Any:
    for part in [p for p in path.split(".") if p]:
        if obj is None:
            return None
        if isinstance(obj, dict):
            obj = obj.get(part)
        else:
            obj = getattr(obj, part, None)
    return obj


# ---------------------------------------------------------------------------------------------------------------
# Content → pages.

_SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)([\w/-]+)(.*?)\s*[>%]\}\}", re.S)
_DROP_TAGS = re.compile(
    r"<(script|style|svg|button|form|iframe)\b.*?</\1>|<(img|input|source)\b[^>]*?/?>(?:\s*</img>)?", re.S | re.I
)


def _clean_html(s: str) -> str:
    s = re.sub(r"<!--.*?-->", "", s, flags=re.S)
    s = _DROP_TAGS.sub("", s)
    s = re.sub(r"\n\s*\n+", "\n", s)
    return s.strip()


class _Builder:
    def __init__(self, tree: GitTree) -> None:
        self.tree = tree
        self.tpl = _Template(tree)
        self.pages: dict[str, dict[str, Any]] = {}  # content path → page object
        self.site = {
            "Data": {
                "customers": yaml.safe_load(tree.read("data/customers.yaml")) or [],
                "community": yaml.safe_load(tree.read("data/community.yaml")) or [],
                "footer": tomllib.loads(tree.read("data/footer.toml")),
            },
            "Menus": {},
            "Params": {},
        }

    def shortcodes(self, body: str, page: dict[str, Any], bundle: str) -> tuple[str, dict[str, str]]:
        """Expand the shortcodes of a Markdown body; block outputs come back as placeholders to put in after rendering."""
        holders: dict[str, str] = {}

        def hold(html_out: str) -> str:
            key = f"SHORTCODEHOLDER{len(holders)}X"
            holders[key] = html_out
            return f"\n\n{key}\n\n"

        def paired(m: re.Match[str]) -> str:
            return hold(f'<div class="alert">{markdown_to_html(m.group(1))}</div>')

        body = re.sub(r"\{\{<\s*alert\b[^>]*>\}\}(.*?)\{\{<\s*/alert\s*>\}\}", paired, body, flags=re.S)

        def single(m: re.Match[str]) -> str:
            name, args = m.group(3), m.group(4)
            if m.group(2):
                return ""
            if name == "ref":
                target = re.search(r'"([^"]*)"', args).group(1)
                return target if target.startswith("#") else page_path(target)
            if name == "include":
                src = posixpath.join(bundle, re.search(r'"([^"]*)"', args).group(1))
                return hold(markdown_to_html(split_front_matter(self.tree.read(src))[1]))
            if name == "jobs/about-localstack":
                text = self.tree.read("layouts/shortcodes/jobs/about-localstack.md")
                return hold(f"<p>{html.escape(' '.join(text.split()), quote=False)}</p>")
            if name == "jobs/apply-action":
                return hold(self.tpl.render_file("layouts/shortcodes/jobs/apply-action.html", {"Page": page}))
            return ""  # img, img-simple, youtube: media

        body = _SHORTCODE.sub(single, body)
        return body, holders

    def load(self, path: str) -> dict[str, Any] | None:
        text = self.tree.read(path)
        meta, body = split_front_matter(text)
        if not meta:
            return None
        if meta.get("draft") is True:
            return None
        rel = path[len("content/") :]
        bundle = posixpath.dirname(path)
        base = posixpath.basename(rel)
        if base in ("_index.md", "index.md", "index.html"):
            url = page_path(posixpath.dirname(rel) or "/")
        else:
            url = page_path(rel)
        section = rel.split("/", 1)[0] if "/" in rel else ""
        date = meta.get("date") or meta.get("publishDate")
        page: dict[str, Any] = {
            "Title": meta.get("title") or "",
            "Description": meta.get("description") or "",
            "Params": meta,
            "RelPermalink": url,
            "Section": section,
            "Kind": "section" if base == "_index.md" else "page",
            "Layout": meta.get("layout") or "",
            "Type": meta.get("type") or section,
            "Site": self.site,
            "IsHome": url == "/",
            "PublishDate": Date(date) if date else Date("1970-01-01"),
            "Date": Date(date) if date else Date("1970-01-01"),
            "Resources": {"GetMatch": _Method(lambda *_a: None)},
            "_path": path,
            "_weight": meta.get("weight") or 0,
        }
        page["Page"] = page
        md, holders = self.shortcodes(body, page, bundle)
        content = md if path.endswith(".html") else markdown_to_html(md)
        if holders:
            for key, value in holders.items():
                content = content.replace(f"<p>{key}</p>", value).replace(key, value)
        page["Content"] = Safe(content)
        words = len(re.sub(r"<[^>]+>", " ", content).split())
        page["ReadingTime"] = max(1, math.ceil(words / 213))
        self.pages[path] = page
        return page

    def children(self, section_dir: str) -> list[dict[str, Any]]:
        """Hugo's .Pages of a section: its direct pages and subsections, by weight, date (newest first), title."""
        out = []
        for p in self.pages.values():
            d = posixpath.dirname(p["_path"])
            if p["_path"].endswith("/_index.md"):
                parent = posixpath.dirname(d)
                if parent == section_dir:
                    out.append(p)
            elif posixpath.basename(p["_path"]).startswith("index."):
                if posixpath.dirname(d) == section_dir:
                    out.append(p)
            elif d == section_dir:
                out.append(p)

        def key(p: dict[str, Any]) -> tuple:
            w = p["_weight"] or 0
            return (w == 0, w, -p["Date"].value.timestamp(), str(p["Title"]).lower(), p["_path"])

        return sorted(out, key=key)


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="LocalStack")
    b = _Builder(tree)
    menus = tomllib.loads(tree.read("config/_default/menus.toml"))

    for path in tree.files("content/", (".md", ".html")):
        b.load(path)

    def render_layout(layout: str, page: dict[str, Any]) -> str:
        return _clean_html(b.tpl.render_file(f"layouts/{layout}", page))

    def section_page(dir_: str, title: str) -> dict[str, Any]:
        path = f"{dir_}/_index.md"
        if path not in b.pages:
            url = page_path(dir_[len("content") :] or "/")
            b.pages[path] = {
                "Title": title,
                "Description": "",
                "Params": {},
                "RelPermalink": url,
                "Section": dir_.split("/")[1],
                "Kind": "section",
                "Content": Safe(""),
                "Site": b.site,
                "Date": Date("1970-01-01"),
                "_path": path,
                "_weight": 0,
                "Layout": "",
            }
        return b.pages[path]

    for dir_, title in (
        ("content/solutions", "Solutions"),
        ("content/products", "Products"),
        ("content/legal", "Legals"),
    ):
        section_page(dir_, title)

    for path, page in list(b.pages.items()):
        rel = path[len("content/") :]
        section = page["Section"]
        if section in ("faq",) and page["Kind"] == "page":
            continue
        if section == "tags":
            continue
        if page["Kind"] == "section" or rel == "_index.md":
            kids = b.children(posixpath.dirname(path))
            page["Data"] = {"Pages": kids}
            page["Pages"] = kids
            page["Paginator"] = {"Pages": kids}
            if rel == "_index.md":
                layout = "index.html"
            elif tree.exists(f"layouts/{section}/list.html"):
                layout = f"{section}/list.html"
            else:
                layout = "_default/list.html"
        else:
            lay = page["Layout"]
            if lay and tree.exists(f"layouts/{section}/{lay}.html"):
                layout = f"{section}/{lay}.html"
            elif lay and tree.exists(f"layouts/_default/{lay}.html"):
                layout = f"_default/{lay}.html"
            elif tree.exists(f"layouts/{section}/single.html"):
                layout = f"{section}/single.html"
            else:
                layout = "_default/single.html"
        body = render_layout(layout, page)
        site.add(page["RelPermalink"], str(page["Title"]) or "LocalStack", body, str(page["Description"]))

    main = sorted(menus["main"], key=lambda m: m.get("weight", 0))
    nav: list[tuple[str, str]] = []
    for m in [m for m in main if "parent" not in m]:
        nav.append((m["name"], m["url"]))
        nav += [(c["name"], c["url"]) for c in main if c.get("parent") == m["name"] and c["url"] != m["url"]]
    site.nav = [(label, url if url.startswith("http") else page_path(url)) for label, url in nav]
    footer = [(e["name"], e["url"]) for cat in b.site["Data"]["footer"]["categories"] for e in cat["entries"]]
    footer += [(m["name"], m["url"]) for m in sorted(menus["footerend"], key=lambda m: m["weight"]) if m["url"] != "#"]
    footer += [
        ("Twitter", "https://twitter.com/localstack"),
        ("LinkedIn", "https://www.linkedin.com/company/localstack-cloud"),
    ]
    site.footer = [(label, url if url.startswith("http") else page_path(url)) for label, url in footer]

    def fix(href: str) -> str:
        if href.startswith("https://localstack.cloud"):
            href = href[len("https://localstack.cloud") :] or "/"
        elif href.startswith("http://localstack.cloud"):
            href = href[len("http://localstack.cloud") :] or "/"
        if href.startswith("/") and not re.search(r"\.\w{2,5}$", href.split("#")[0]):
            path, _, frag = href.partition("#")
            return page_path(path) + (f"#{frag}" if frag else "")
        return href

    for page in site.pages.values():
        page.body_html = rewrite_links(page.body_html, fix)
    return site
