"""BigClown (HARDWARIO) — Czech IoT hardware maker (modular IoT kits for makers, schools and parents); bigclown.com.

Held-out company. The site (hardwario/bc-website) is a bilingual Hugo site, English at / and Czech at /cs/:
content pages are Markdown with a language suffix (`about/_index.en.md`, `kits/climate-monitor.cs.md`) whose front
matter carries much of the text (headings, prices, tech specs, team positions), and the layouts
(`layouts/section/<section>.html`, `layouts/<type>/single.html`, `layouts/index.html` and their partials) hold the
rest, mostly as `i18n` keys looked up in `i18n/*.<lang>.toml`.

The layouts are rendered by a small reading of Go templates: `define "main"` bodies with their partials inlined,
`i18n` keys, `.Params`, `.Title` and `.Content` substituted, `if` branches chosen where the condition can be read
(language, front-matter flags, page kind) and dropped otherwise; `range` loops over pages become the section's list
of pages (title, description, price / position), a kit's module loop lists its modules (`data/modules.toml`)
and other loops are dropped. HTML comments (much of the old
template is commented out) are not shown by a browser, so they are dropped with what they hold. Draft pages are
not served. The header menu, footer menu and support menu come from the pages' `menu` front matter, as Hugo
builds them; the footer's addresses are on every page.

The last commit (2022-06) only renamed the company in the LICENSE and README; the site's content is from 2019-2020
(last content change 2020-03), when the products were sold as BigClown on bigclown.com.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from bench.realsites.render import (
    GitTree,
    Site,
    Source,
    esc,
    markdown_to_html,
    own_link,
    page_path,
    rewrite_links,
    split_front_matter,
)

SOURCE = Source(
    host="bigclown.com",
    repo="hardwario/bc-website",
    commit="297aad5a58ad318c6970dce50413be8e59a7c3c1",
    kind="IoT hardware maker (Czech Republic; bilingual EN/CS Hugo site)",
    notes="Last commit (2022-06-13, LICENSE/README only); site content of 2019-2020.",
)

LANGS = ("en", "cs")
SHOP = {"en": "https://shop.bigclown.com/", "cs": "https://obchod.bigclown.cz"}


# --------------------------------------------------------------------------------------------------------------------
# Go templates, read just far enough


_TOKEN = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
_OPENERS = ("if", "range", "with", "define", "block")


def _parse(src: str) -> list[Any]:
    """Nested nodes: str | ("act", expr) | ("blk", kind, expr, body, else_body)."""
    root: list[Any] = []
    stack: list[tuple[list[Any], list[Any] | None, Any]] = []  # (body, else_body, node placeholder)
    cur = root
    pos = 0
    for m in _TOKEN.finditer(src):
        if m.start() > pos:
            cur.append(src[pos : m.start()])
        pos = m.end()
        expr = m.group(1).strip()
        if expr.startswith("/*"):
            continue
        word = expr.split(None, 1)[0] if expr else ""
        if word in _OPENERS:
            node = ["blk", word, expr[len(word) :].strip(), [], []]
            cur.append(node)
            stack.append((cur, None, node))
            cur = node[3]
        elif word == "else" and stack:
            node = stack[-1][2]
            rest = expr[4:].strip()
            if rest.startswith("if "):  # else if → nested if in the else branch
                inner = ["blk", "if", rest[3:].strip(), [], []]
                node[4].append(inner)
                stack.append((node[4], "elseif", inner))
                cur = inner[3]
            else:
                cur = node[4]
        elif word == "end" and stack:
            parent, tag, _ = stack.pop()
            while tag == "elseif" and stack:  # an `else if` chain closes with one end
                parent, tag, _ = stack.pop()
            cur = parent
        else:
            cur.append(("act", expr))
    if pos < len(src):
        cur.append(src[pos:])
    return root


class Ctx:
    def __init__(self, lang: str, page: dict[str, Any], i18n: dict[str, str], content: str, kind: str) -> None:
        self.lang = lang
        self.page = page
        self.params = page.get("meta", {})
        self.i18n = i18n
        self.content = content
        self.kind = kind
        self.vars: dict[str, Any] = {}
        self.partials: dict[str, str] = {}
        self.listing: str = ""
        self.modules: dict[str, Any] = {}


_ARG = re.compile(r'"[^"]*"|\([^()]*\)|\S+')


def _value(tok: str, ctx: Ctx) -> Any:
    tok = tok.strip()
    if tok.startswith('"'):
        return tok[1:-1]
    if tok.startswith("(") and tok.endswith(")"):
        return _eval(tok[1:-1], ctx)
    if tok in ("true", "false"):
        return tok == "true"
    if re.fullmatch(r"-?\d+", tok):
        return int(tok)
    if tok.startswith("$") and not tok.startswith("$."):
        return ctx.vars.get(tok.split(".")[0])
    t = tok[1:] if tok.startswith("$.") else tok
    if t in (".Site.Language.Lang", ".Lang", ".Language.Lang"):
        return ctx.lang
    if t == ".Type":
        return ctx.page.get("section", "")
    if t == ".Kind":
        return ctx.kind
    if t in (".IsHome",):
        return ctx.kind == "home"
    if t == ".Title":
        return ctx.page.get("title", "")
    if t in (".URL", ".Permalink", ".RelPermalink"):
        return ctx.page.get("url", "/")
    if t == ".Site.Params.shopURL":
        return SHOP[ctx.lang]
    if t == ".Site.Params.homeURL":
        return "/" if ctx.lang == "en" else "/cs/"
    if t.startswith(".Params."):
        v: Any = ctx.params
        for part in t[len(".Params.") :].split("."):
            v = v.get(part) if isinstance(v, dict) else None
        return v
    return None


def _eval(expr: str, ctx: Ctx) -> Any:
    expr = expr.strip()
    if "|" in expr:  # pipelines: only the first stage matters for the text (safeHTML, markdownify, ...)
        first, rest = expr.split("|", 1)
        v = _eval(first, ctx)
        if isinstance(v, str) and re.search(r"\b(abs|rel)LangURL\b", rest):
            return ("/" if ctx.lang == "en" else "/cs/") + v.lstrip("/")
        if isinstance(v, str) and re.search(r"\b(abs|rel)URL\b", rest):
            return "/" + v.lstrip("/")
        return v
    args = _ARG.findall(expr)
    if not args:
        return None
    f = args[0]
    vals = [_value(a, ctx) for a in args[1:]]
    if f == "eq" and len(vals) >= 2:
        return vals[0] == vals[1]
    if f == "ne" and len(vals) >= 2:
        return vals[0] != vals[1]
    if f == "not" and vals:
        return not vals[0]
    if f == "and":
        return all(vals)
    if f == "or":
        return any(vals)
    if f == "in" and len(vals) >= 2:
        return isinstance(vals[0], (list, str)) and vals[1] in vals[0]
    if f in ("isset", "index") and len(args) >= 3:
        base = vals[0]
        return base.get(vals[1]) if isinstance(base, dict) else None
    if f == "i18n" and vals:
        return ctx.i18n.get(str(vals[0]), "")
    if f == "T" and vals:
        return ctx.i18n.get(str(vals[0]), "")
    if len(args) == 1:
        return _value(f, ctx)
    return None


def _emit(nodes: list[Any], ctx: Ctx, depth: int = 0) -> str:
    out = []
    for n in nodes:
        if isinstance(n, str):
            out.append(n)
        elif n[0] == "act":
            out.append(_action(n[1], ctx, depth))
        else:
            _, kind, expr, body, other = n
            if kind in ("define", "block"):
                out.append(_emit(body, ctx, depth))
            elif kind == "if":
                out.append(_emit(body if _eval(expr, ctx) else other, ctx, depth))
            elif kind == "with":
                v = _eval(expr, ctx)
                if v:
                    saved = ctx.vars.get("."), ctx.params
                    out.append(_emit(body, ctx, depth).replace("\x00DOT\x00", esc(str(v))))
                    ctx.vars["."], ctx.params = saved
                else:
                    out.append(_emit(other, ctx, depth))
            elif kind == "range" and expr.strip() == ".Params.modules":
                items = []
                for key in ctx.params.get("modules") or []:
                    mod = ctx.modules.get(key) or {}
                    link = mod.get(f"{ctx.lang}_link") or mod.get("en_link") or ""
                    items.append(f'<li><a href="{esc(link)}">{esc(str(mod.get("name", key)))}</a></li>')
                out.append("<ul>" + "".join(items) + "</ul>")
            elif kind == "range":
                if re.search(r"\.(Data\.Pages|Pages)\b|GetPage|\.Site\.Pages|RegularPages", expr) and ctx.listing:
                    out.append(ctx.listing)
                    ctx.listing = ""  # once per page
    return "".join(out)


def _action(expr: str, ctx: Ctx, depth: int) -> str:
    m = re.match(r"(\$\w+)\s*:?=\s*(.*)", expr, re.S)
    if m:
        ctx.vars[m.group(1)] = _eval(m.group(2), ctx)
        return ""
    if expr == ".Content":
        return ctx.content
    if expr == ".":
        return "\x00DOT\x00"
    m = re.match(r'partial\s+"([^"]+)"\s*(.*)', expr, re.S)
    if m:
        name, arg = m.group(1), m.group(2)
        hm = re.search(r'dict\s+"heading"\s+(\S+)', arg)
        if hm:  # the heading partial, called with the page's mainHeading
            return f"<h1>{_text(_value(hm.group(1), ctx))}</h1>"
        if depth > 4 or name not in ctx.partials:
            return ""
        return _emit(_parse(_prepare(ctx.partials[name])), ctx, depth + 1)
    if expr.startswith(("template ", ".Render", "block ")):
        return ""
    v = _eval(expr, ctx)
    if v is None or isinstance(v, (bool, dict, list)):
        return ""
    return str(v)


def _text(v: Any) -> str:
    return "" if v is None else str(v)


def _prepare(src: str) -> str:
    src = re.sub(r"<!--.*?-->", "", src, flags=re.S)
    src = re.sub(r"\{\{-?\s*/\*.*?\*/\s*-?\}\}", "", src, flags=re.S)
    src = re.sub(r"<(script|style|svg)\b.*?</\1>", "", src, flags=re.S | re.I)
    return src


def _tidy(html_text: str) -> str:
    s = html_text.replace("\x00DOT\x00", "")
    s = re.sub(r"<(form|input|button|label|select|textarea)\b.*?(</\1>|/?>)", "", s, flags=re.S)
    s = re.sub(r'\s(class|style|id|target|data-[\w-]+|aria-[\w-]+|role|tabindex)="[^"]*"', "", s)
    s = re.sub(r"<(div|span|section|p)>\s*</\1>", "", s)
    s = re.sub(r"<(div|span|section)>\s*</\1>", "", s)
    s = re.sub(r"[ \t]+", " ", s)
    s = re.sub(r"\n\s*\n+", "\n", s)
    return s.strip()


# --------------------------------------------------------------------------------------------------------------------


def _i18n(tree: GitTree, lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    files = [p for p in tree.files("i18n/", (".toml",)) if p.endswith(f".{lang}.toml") or p == f"i18n/{lang}.toml"]
    for path in sorted(files, key=lambda p: (p != f"i18n/{lang}.toml", p)):
        try:
            data = tomllib.loads(tree.read(path))
        except tomllib.TOMLDecodeError:
            continue
        for k, v in data.items():
            if isinstance(v, dict):
                v = v.get("other", "")
            out.setdefault(k, str(v))
    return out


def _page_url(section: str, name: str, meta: dict[str, Any], lang: str) -> str:
    prefix = "/" if lang == "en" else "/cs/"
    if meta.get("url"):
        u = str(meta["url"])
        return page_path(u if lang == "en" or u.startswith("/cs") else prefix + u.lstrip("/"))
    if name == "_index":
        return page_path(prefix + section) if section else prefix
    slug = str(meta.get("slug") or name)
    return page_path(f"{prefix}{section}/{slug}".lower())


def _lang_of(path: str) -> tuple[str, str] | None:
    """(name, lang) of a content file, `about/_index.en.md` → ('_index', 'en'); files without a suffix are English."""
    base = path.rsplit("/", 1)[-1][: -len(".md")]
    m = re.match(r"(.*)\.(en|cs)$", base)
    if m:
        return m.group(1), m.group(2)
    return base, "en"


def _item(p: dict[str, Any]) -> str:
    meta = p["meta"]
    bits = [f'<a href="{esc(p["url"])}">{esc(p["title"])}</a>']
    if meta.get("position"):
        bits.append(f"<small>{esc(str(meta['position']))}</small>")
    if meta.get("price"):
        bits.append(f"<span>{esc(str(meta['price']))}</span>")
    desc = meta.get("description") or meta.get("perex") or ""
    if isinstance(desc, str) and desc:
        bits.append(f"<p>{esc(desc)}</p>")
    return "<li>" + " ".join(bits) + "</li>"


def _specs(meta: dict[str, Any], i18n: dict[str, str]) -> str:
    """A kit's tech specs, modules and shop link (the single-kit layout shows them from front matter)."""
    out = ""
    specs = meta.get("techSpecs")
    if isinstance(specs, dict) and specs:
        rows = "".join(
            f"<tr><th>{esc(str(v.get('heading', k)))}</th><td>{esc(str(v.get('text', '')))}</td></tr>"
            for k, v in specs.items()
            if isinstance(v, dict)
        )
        out += f"<h2>{esc(i18n.get('tech_specs', 'Tech specs'))}</h2><table>{rows}</table>"
    for key, label in (("included", "included"), ("notIncluded", "not_included")):
        vals = meta.get(key)
        if isinstance(vals, list) and vals:
            out += (
                f"<h3>{esc(i18n.get(label, key))}</h3><ul>" + "".join(f"<li>{esc(str(v))}</li>" for v in vals) + "</ul>"
            )
    return out


def _resolver_for(lang: str, urls: set[str]):
    def resolve(href: str) -> str:
        h = href
        for host in ("www.bigclown.com", "bigclown.com"):
            h, target, frag = own_link(h, host)
            if target is None:
                return h
        if not target.startswith("/") or target.startswith(("//", "/_assets", "/doc/", "/team/")):
            return h
        url = page_path(target)
        if url not in urls and lang == "cs" and page_path("/cs" + target) in urls:
            url = page_path("/cs" + target)
        return url + (f"#{frag}" if frag else "")

    return resolve


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="BigClown")
    partials = {p[len("layouts/partials/") :]: tree.read(p) for p in tree.files("layouts/partials/", (".html",))}
    i18ns = {lang: _i18n(tree, lang) for lang in LANGS}
    modules = tomllib.loads(tree.read("data/modules.toml")) if tree.exists("data/modules.toml") else {}

    pages: list[dict[str, Any]] = []
    for path in tree.files("content/", (".md",)):
        rel = path[len("content/") :]
        parts = rel.split("/")
        section = parts[0] if len(parts) > 1 else ""
        if section.startswith("blog-"):
            continue
        name, lang = _lang_of(path)
        meta, body = split_front_matter(tree.read(path))
        if meta.get("draft") is True or str(meta.get("draft")).lower() == "true":
            continue
        url = _page_url(section, name, meta, lang)
        pages.append(
            {
                "path": path,
                "section": section,
                "name": name,
                "lang": lang,
                "meta": meta,
                "body": body,
                "url": url,
                "title": str(meta.get("title") or name),
                "weight": meta.get("weight") if isinstance(meta.get("weight"), int) else 1000,
                "date": str(meta.get("date") or ""),
            }
        )
    urls = {p["url"] for p in pages}

    # The footer's addresses and contact e-mails, on every page (its menu loops are the site's footer links)
    footers = {}
    for lang in LANGS:
        fctx = Ctx(lang, {"meta": {}, "url": "/"}, i18ns[lang], "", "home")
        footer = _tidy(_emit(_parse(_prepare(partials.get("footer.html", ""))), fctx))
        footer = re.sub(r"<a\b[^>]*>\s*(facebook|twitter|instagram|youtube|linkedin|github)\s*</a>", "", footer)
        footers[lang] = f'<aside class="footer-text">{footer}</aside>'

    def children(p: dict[str, Any]) -> list[dict[str, Any]]:
        kids = [q for q in pages if q["section"] == p["section"] and q["lang"] == p["lang"] and q["name"] != "_index"]
        if p["section"] in ("blog", "projects", "academy"):
            return sorted(kids, key=lambda q: q["date"], reverse=True)
        return sorted(kids, key=lambda q: (q["weight"], q["title"]))

    for p in pages:
        lang, meta, section = p["lang"], p["meta"], p["section"]
        i18n = i18ns[lang]
        is_list = p["name"] == "_index"
        kind = "home" if is_list and not section else ("section" if is_list else "page")
        body_md = re.sub(
            r"\{\{<\s*(img|img-zoom|img-nm|img-float|svg-zoom|youtube)\b.*?>\}\}", "", p["body"], flags=re.S
        )
        content = markdown_to_html(body_md)
        if kind == "home":
            layout = "layouts/index.html"
        elif is_list:
            layout = f"layouts/section/{section}.html"
            if not tree.exists(layout):
                layout = "layouts/_default/list.html"
        else:
            layout = f"layouts/{section}/single.html"
            if not tree.exists(layout):
                layout = "layouts/_default/single.html"
        ctx = Ctx(lang, p, i18n, content, kind)
        ctx.partials = partials
        ctx.modules = modules
        listing = ""
        if is_list and section:
            kids = children(p)
            if kids:
                listing = "<ul>" + "".join(_item(q) for q in kids) + "</ul>"
        ctx.listing = listing
        body = _emit(_parse(_prepare(tree.read(layout))), ctx) if tree.exists(layout) else content
        if content.strip() and content.strip()[:80] not in body:
            body += content
        if ctx.listing:  # the layout had no loop over the section's pages
            body += ctx.listing
        if section == "kits" and not is_list:
            body += _specs(meta, i18n)
        if section == "team" and not is_list and meta.get("position"):
            body = f"<h1>{esc(p['title'])}</h1><p>{esc(str(meta['position']))}</p>" + body
        if "<h1" not in body and meta.get("mainHeading"):
            body = f"<h1>{esc(str(meta['mainHeading']))}</h1>" + body
        body = rewrite_links(_tidy(body), _resolver_for(lang, urls))
        body += footers[lang]
        title = str((meta.get("meta") or {}).get("title") if isinstance(meta.get("meta"), dict) else "") or p["title"]
        desc = meta.get("description") or ((meta.get("meta") or {}) if isinstance(meta.get("meta"), dict) else {}).get(
            "description", ""
        )
        site.add(p["url"], title, body, str(desc or ""))

    # Menus, from the pages' front matter (English, the default language)
    def menu(name: str, lang: str = "en") -> list[tuple[str, str]]:
        items = []
        for p in pages:
            m = p["meta"].get("menu")
            names = [m] if isinstance(m, str) else (list(m) if isinstance(m, (list, dict)) else [])
            if p["lang"] == lang and name in names:
                items.append((p["weight"], p["title"], p["url"]))
        return [(t, u) for _, t, u in sorted(items)]

    site.nav = [*menu("main"), ("Shop now", SHOP["en"]), ("CZE", "/cs/")]
    site.footer = (
        menu("footer")
        + menu("support")
        + [
            ("Documentation", "https://developers.bigclown.com"),
            ("Forum", "https://forum.bigclown.com"),
            ("GitHub", "https://github.com/bigclownlabs"),
        ]
    )
    return site
