"""Pulumi — infrastructure-as-code company (Seattle); pulumi.com's marketing pages from pulumi/pulumi-hugo.

Until mid-2023 the marketing site (about, leadership, pricing, careers, legal, security, blog, case studies…) was the
Hugo theme repository pulumi/pulumi-hugo (`themes/default/`), later merged into pulumi/docs. Rendered here:
- Content pages (`themes/default/content/**.md`) at their Hugo URLs. Where a page names a layout (`layout:` in
  front matter, or a section's `list.html`), the layout's Go template is evaluated by the small reader below:
  its static HTML, `{{ .Params.x }}` values, `{{ range }}` over front-matter lists and `data/*.yaml|json` files
  (awards, press releases…), `{{ relref }}` links, `{{ .Content }}`; partials are left out except the page hero
  title. Pages without a layout are their Markdown body. Hugo shortcodes are removed.
- The blog is capped at the 150 most recent posts (by `date`); docs, learn/templates/resources pages and event
  landing pages are left out.
Header and footer links come from the `menu:` entries of the pages' front matter (Hugo menus `header`,
`footer1`…`footer4`).

The pulumi/pulumi-hugo snapshot is over the size limit; the snapshot comes from a fork (Yuhta28/pulumi-hugo)
whose HEAD is upstream commit e2602f2a (2023-06-03, "Update go.mod") — the site as of June 2023.
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

import yaml

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
    host="pulumi.com",
    repo="Yuhta28/pulumi-hugo",
    commit="e2602f2a08435feb245a6a185a28f8fb0c440abb",
    kind="dev-tool SaaS (Hugo content + Go-template layouts + YAML data)",
    notes="Upstream pulumi/pulumi-hugo commit e2602f2a (2023-06-03), read from a fork's snapshot.",
)

T = "themes/default/"
C = T + "content/"
BLOG_CAP = 150
SKIP_SECTIONS = (
    "docs/",
    "learn/",
    "templates/",
    "resources/",
    "registry/",
    "confirmation/",
    "challenge/",
    "cloud-engineering-summit/",
    "pulumi-up/",
    "reinvent/",
    "kubecon/",
    "microsoft-build/",
    "devops-days-2022/",
    "show/",
)


# --------------------------------------------------------------------------------------------------------------------
# A reader of Hugo's Go templates (enough for static layouts that range over front matter and data files)

_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)


class GoTemplate:
    def __init__(self, data: dict[str, Any], page: dict[str, Any]) -> None:
        self.data = data
        self.page = page

    def render_layout(self, src: str) -> str:
        blocks = dict(
            re.findall(
                r"\{\{-?\s*define\s+\"(\w+)\"\s*-?\}\}(.*?)\{\{-?\s*end\s*-?\}\}\s*(?=\{\{-?\s*define|\Z)", src, re.S
            )
        )
        if blocks:
            return self.render(blocks.get("hero", "")) + self.render(blocks.get("main", ""))
        return self.render(src)

    # -- expressions
    def path(self, expr: str, dot: Any, vars: dict[str, Any]) -> Any:
        expr = expr.strip()
        if expr.startswith("(") and expr.endswith(")"):
            return self.expr(expr[1:-1], dot, vars)
        if expr.startswith('"') and expr.endswith('"'):
            return expr[1:-1]
        if re.fullmatch(r"-?\d+", expr):
            return int(expr)
        if expr in ("true", "false"):
            return expr == "true"
        if expr == ".":
            return dot
        if expr.startswith("$."):
            cur: Any = self.page
            parts = expr[2:].split(".")
        elif expr.startswith("$"):
            name, _, rest = expr[1:].partition(".")
            cur = vars.get(name)
            parts = rest.split(".") if rest else []
        elif expr.startswith("."):
            cur = dot
            parts = expr[1:].split(".")
        else:
            return None
        for p in parts:
            if not p:
                continue
            if isinstance(cur, dict):
                cur = cur.get(p, cur.get(p.lower()))
            else:
                return None
        return cur

    def expr(self, e: str, dot: Any, vars: dict[str, Any]) -> Any:
        e = e.strip()
        if "|" in e and not e.startswith('"'):
            e = e.split("|")[0].strip()
        toks = re.findall(r'"[^"]*"|\([^()]*(?:\([^()]*\)[^()]*)*\)|\S+', e)
        if not toks:
            return None
        fn, args = toks[0], toks[1:]
        if fn == "first" and len(args) == 2:
            seq = self.expr(args[1], dot, vars)
            return list(seq)[: int(args[0])] if isinstance(seq, list) else []
        if fn == "where" and len(args) >= 3:
            seq = self.expr(args[0], dot, vars)
            key = args[1].strip('"').lstrip(".")
            val = self.path(args[-1], dot, vars)
            return [x for x in seq or [] if isinstance(x, dict) and x.get(key) == val]
        if fn == "sort" and args:
            seq = self.expr(args[0], dot, vars)
            items = list(seq.values()) if isinstance(seq, dict) else list(seq or [])
            if len(args) > 1:
                key = args[1].strip('"')
                items.sort(key=lambda x: (x.get(key) is None, x.get(key, 0)) if isinstance(x, dict) else (True, 0))
            return items
        if fn == "relref" and len(args) >= 2:
            return page_path(args[-1].strip('"'))
        if fn in ("not",) and args:
            return not self.truthy(" ".join(args), dot, vars)
        if fn in ("and", "or") and args:
            vals = [self.truthy(a, dot, vars) for a in args]
            return all(vals) if fn == "and" else any(vals)
        if fn in ("eq", "ne") and len(args) == 2:
            same = self.expr(args[0], dot, vars) == self.expr(args[1], dot, vars)
            return same if fn == "eq" else not same
        if fn in ("markdownify", "safeHTML", "htmlUnescape", "plainify", "upper", "lower", "title") and args:
            return self.expr(" ".join(args), dot, vars)
        if len(toks) == 1:
            return self.path(fn, dot, vars)
        return None

    def truthy(self, e: str, dot: Any, vars: dict[str, Any]) -> bool:
        return bool(self.expr(e, dot, vars))

    # -- template
    def render(self, src: str, dot: Any = None, vars: dict[str, Any] | None = None) -> str:
        if dot is None:
            dot = self.page
        vars = dict(vars or {})
        src = re.sub(r"\{\{-?\s*/\*.*?\*/\s*-?\}\}", "", src, flags=re.S)
        out: list[str] = []
        pos = 0
        while True:
            m = _ACTION.search(src, pos)
            if not m:
                out.append(src[pos:])
                break
            out.append(src[pos : m.start()])
            act = m.group(1).strip()
            pos = m.end()
            word = act.split(None, 1)[0] if act else ""
            if word in ("range", "with", "if"):
                body, else_body, pos = self._block(src, pos)
                arg = act[len(word) :].strip()
                var = None
                vm = re.match(r"\$(\w+)\s*:=\s*(.*)", arg, re.S)
                if vm:
                    var, arg = vm.group(1), vm.group(2)
                vm = re.match(r"\$(\w+)\s*,\s*\$(\w+)\s*:=\s*(.*)", arg, re.S)
                if vm:
                    var, arg = vm.group(2), vm.group(3)
                if word == "range":
                    seq = self.expr(arg, dot, vars)
                    items = list(seq.values()) if isinstance(seq, dict) else (seq or [])
                    if items:
                        for item in items:
                            v2 = {**vars, var: item} if var else vars
                            out.append(self.render(body, item, v2))
                    elif else_body:
                        out.append(self.render(else_body, dot, vars))
                elif word == "with":
                    val = self.expr(arg, dot, vars)
                    if val:
                        out.append(self.render(body, val, vars))
                    elif else_body:
                        out.append(self.render(else_body, dot, vars))
                else:
                    out.append(self.render(body if self.truthy(arg, dot, vars) else else_body, dot, vars))
                continue
            if word in ("end", "else", "define", "block", "template"):
                continue
            if word == "partial":
                pm = re.search(r'partial\s+"hero(?:\.html)?"\s+\(dict\s+"title"\s+("[^"]+"|[.$][\w.]+)', act)
                if pm:
                    title = self.expr(pm.group(1), dot, vars)
                    if isinstance(title, str):
                        out.append(f"<h1>{esc(title)}</h1>")
                continue
            am = re.match(r"\$(\w+)\s*:?=\s*(.*)", act, re.S)
            if am:
                vars[am.group(1)] = self.expr(am.group(2), dot, vars)
                continue
            val = self.expr(act, dot, vars)
            if isinstance(val, (str, int, float)) and not isinstance(val, bool):
                s = str(val)
                if act.startswith(".Content") or "markdownify" in act or "safeHTML" in act:
                    out.append(s if act.startswith(".Content") else _inline_md(s))
                else:
                    out.append(esc(s))
        return "".join(out)

    def _block(self, src: str, pos: int) -> tuple[str, str, int]:
        """Body (and else-body) of a block action starting at pos, and the position after its `end`."""
        depth = 0
        body_start = pos
        else_at = None
        for m in _ACTION.finditer(src, pos):
            w = m.group(1).strip().split(None, 1)[0] if m.group(1).strip() else ""
            if w in ("range", "with", "if", "define", "block"):
                depth += 1
            elif w == "end":
                if depth == 0:
                    if else_at:
                        return src[body_start : else_at[0]], src[else_at[1] : m.start()], m.end()
                    return src[body_start : m.start()], "", m.end()
                depth -= 1
            elif w == "else" and depth == 0 and else_at is None:
                rest = m.group(1).strip()[4:].strip()
                if rest.startswith("if "):  # else if: treat the rest as a nested if
                    body, else_body, end = self._block(src, m.end())
                    nested = (
                        "{{ if "
                        + rest[3:]
                        + " }}"
                        + body
                        + ("{{ else }}" + else_body if else_body else "")
                        + "{{ end }}"
                    )
                    return src[body_start : m.start()], nested, end
                else_at = (m.start(), m.end())
        return src[body_start:], "", len(src)


def _inline_md(s: str) -> str:
    h = markdown_to_html(s).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", h, flags=re.S)


# --------------------------------------------------------------------------------------------------------------------


def _load_data(tree: GitTree) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for p in tree.files(T + "data/", (".yaml", ".yml", ".json", ".toml")):
        rel = p[len(T + "data/") :].rsplit(".", 1)[0].split("/")
        try:
            text = tree.read(p)
            val = (
                json.loads(text)
                if p.endswith(".json")
                else (tomllib.loads(text) if p.endswith(".toml") else yaml.safe_load(text))
            )
        except Exception:
            continue
        cur = data
        for part in rel[:-1]:
            cur = cur.setdefault(part, {})
        cur[rel[-1]] = val
    return data


def _url_of(path: str, meta: dict[str, Any]) -> str:
    if meta.get("url"):
        return page_path(str(meta["url"]))
    rel = path[len(C) :]
    rel = re.sub(r"(^|/)_index\.md$", r"\1", rel)
    rel = re.sub(r"(^|/)index\.md$", r"\1", rel)
    return page_path(rel)


def _resolver(href: str) -> str:
    h = href
    for prefix in ("https://www.pulumi.com", "https://pulumi.com", "http://www.pulumi.com"):
        if h.startswith(prefix):
            h = h[len(prefix) :] or "/"
    if not h.startswith("/") or h.startswith("//"):
        return h
    target, _, frag = h.partition("#")
    target = target.split("?")[0]
    if re.search(r"\.\w{2,4}$", target):
        return target
    return page_path(target) + (f"#{frag}" if frag else "")


def _clean_body(body: str) -> str:
    body = re.sub(
        r"\{\{[<%]\s*/?\s*(?:youtube|figure|video|chooser|choosable|notes|/notes|tweet|gist)[^>%]*[>%]\}\}", "", body
    )
    body = re.sub(r"<!--more-->", "", body)
    return body


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Pulumi")
    data = _load_data(tree)
    layouts = set(tree.files(T + "layouts/", (".html",)))
    menus: dict[str, list[tuple[int, str, str]]] = {}
    blog: list[tuple[str, str, dict[str, Any], str]] = []

    for p in tree.files(C, (".md",)):
        rel = p[len(C) :]
        if rel.startswith(SKIP_SECTIONS):
            continue
        text = tree.read(p)
        meta, body = split_front_matter(text)
        if meta.get("draft") or meta.get("redirect_to") or meta.get("_build", {}) == {"render": "never"}:
            continue
        url = _url_of(p, meta)
        for mname, entry in (meta.get("menu") or {}).items() if isinstance(meta.get("menu"), dict) else []:
            weight = entry.get("weight", 100) if isinstance(entry, dict) else 100
            label = (
                (entry.get("name") if isinstance(entry, dict) else None) or meta.get("linktitle") or meta.get("title")
            )
            menus.setdefault(mname, []).append((int(weight or 100), str(label), url))
        if rel.startswith("blog/") and not rel.endswith("_index.md"):
            blog.append((str(meta.get("date") or ""), p, meta, body))
            continue
        section = rel.split("/")[0] if "/" in rel else ""
        layout_name = meta.get("layout")
        kind = meta.get("type") or section or "page"
        cands = []
        if layout_name:
            cands += [
                f"{T}layouts/{kind}/{layout_name}.html",
                f"{T}layouts/page/{layout_name}.html",
                f"{T}layouts/_default/{layout_name}.html",
            ]
        if rel.endswith("_index.md") and section:
            cands.append(f"{T}layouts/{section}/list.html")
        layout = next((c for c in cands if c in layouts), None)
        content_html = markdown_to_html(_clean_body(body))
        title = str(meta.get("title") or url.strip("/").split("/")[-1] or "Pulumi")
        if layout:
            page_ctx = {
                "Params": meta,
                "Content": content_html,
                "Title": title,
                "Site": {"Data": data},
            }
            html_out = GoTemplate(data, page_ctx).render_layout(tree.read(layout))
            html_out = re.sub(r"\n\s*\n+", "\n", html_out)
            if "<h1" not in html_out:
                html_out = f"<h1>{esc(title)}</h1>" + html_out
        else:
            html_out = f"<h1>{esc(title)}</h1>" + content_html
        html_out = re.sub(r'\s(?:class|style|data-[\w-]+|id="[^"]*-btn")="[^"]*"', "", html_out)
        site.add(
            url,
            str(meta.get("meta_title") or title),
            rewrite_links(html_out, _resolver),
            str(meta.get("meta_desc") or ""),
        )

    blog.sort(key=lambda x: x[0], reverse=True)
    items = []
    for date, p, meta, body in blog[:BLOG_CAP]:
        url = _url_of(p, meta)
        title = str(meta.get("title") or url)
        authors = meta.get("authors") or []
        who = ", ".join(str(a) for a in authors) if isinstance(authors, list) else str(authors)
        head = f"<h1>{esc(title)}</h1><p>{esc(date[:10])}" + (f" · {esc(who)}" if who else "") + "</p>"
        site.add(
            url,
            title,
            rewrite_links(head + markdown_to_html(_clean_body(body)), _resolver),
            str(meta.get("meta_desc") or ""),
        )
        items.append(f'<li><a href="{esc(url)}">{esc(title)}</a> — {esc(date[:10])}</li>')
    blog_index = site.pages.get("/blog/")
    listing = "<ul>" + "".join(items) + "</ul>"
    if blog_index:
        blog_index.body_html += listing
    else:
        site.add("/blog/", "Pulumi Blog", "<h1>Pulumi Blog</h1>" + listing)

    def menu(name: str) -> list[tuple[str, str]]:
        return [(label, url) for _, label, url in sorted(menus.get(name, []))]

    site.nav = menu("header")
    site.footer = [x for k in sorted(menus) if k.startswith("footer") for x in menu(k)]
    site.link_children()
    return site
