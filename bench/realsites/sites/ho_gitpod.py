"""Gitpod — cloud development environments (dev-tool SaaS); its 2021 SvelteKit website (Svelte pages, TS data, mdsvex)."""

from __future__ import annotations

import json
import re
from typing import Any

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
    host="gitpod.io",
    repo="gitpod-io/website",
    commit="a430a92083735b98d31fea4cce71a6fcc6b980af",
    kind="dev-tool SaaS (SvelteKit; snapshot of July 2021)",
    notes="Svelte pages reduced to their static HTML (scripts, styles, Svelte blocks and expressions removed; "
    "<Faq title> kept as headings); data-driven parts (pricing plans, other plans, careers and perks) rendered "
    "from src/contents/*.ts; prices are the ones the prerendered pages carry (the build runs in UTC, where the "
    "site's isEurope() is true, so euro prices); blog, docs and changelog from Markdown",
)

S = "src/"


# --- TypeScript object literals -> Python ----------------------------------------------------------------


def _js_value(src: str) -> Any:
    """Parse a JS/TS array or object literal (unquoted keys, '/\"/` strings, trailing commas)."""
    src = re.sub(r"isEurope\(\)\s*\?\s*(\"[^\"]*\"|'[^']*')\s*:\s*(\"[^\"]*\"|'[^']*')", r"\1", src)
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            i = src.find("\n", i)
            i = n if i < 0 else i
            continue
        if src.startswith("/*", i):
            i = src.find("*/", i) + 2
            continue
        if c in "\"'`":
            j, buf = i + 1, []
            while j < n and src[j] != c:
                if src[j] == "\\" and j + 1 < n:
                    buf.append({"n": "\n", "t": "\t"}.get(src[j + 1], src[j + 1]))
                    j += 2
                    continue
                buf.append(src[j])
                j += 1
            val = "".join(buf)
            if c == "`":
                val = re.sub(r"\$\{\s*[\"']([^\"']*)[\"']\s*\}", r"\1", val)
            out.append(json.dumps(val))
            i = j + 1
            continue
        m = re.match(r"[A-Za-z_$][\w$]*", src[i:])
        if m:
            word = m.group(0)
            rest = src[i + len(word) :].lstrip()
            if rest.startswith(":"):
                out.append(json.dumps(word))
            elif word in ("true", "false", "null"):
                out.append(word)
            else:
                out.append("null")
            i += len(word)
            continue
        out.append(c)
        i += 1
    text = "".join(out)
    text = re.sub(r",(\s*[\]}])", r"\1", text)
    return json.loads(text)


def _export(tree: GitTree, path: str, name: str, subst: dict[str, Any] | None = None) -> Any:
    text = tree.read(path)
    for pattern, value in (subst or {}).items():
        text = re.sub(pattern, lambda m, v=value: json.dumps(v, ensure_ascii=False), text)
    m = re.search(r"export const " + re.escape(name) + r"(?:\s*:\s*[\w\[\]<>]+)?\s*=\s*", text)
    if not m:
        return None
    start = m.end()
    depth, i = 0, start
    in_str = None
    while i < len(text):
        ch = text[i]
        if in_str:
            if ch == "\\":
                i += 2
                continue
            if ch == in_str:
                in_str = None
        elif ch in "\"'`":
            in_str = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return _js_value(text[start : i + 1])
        i += 1
    return None


# --- Svelte markup -> static HTML ------------------------------------------------------------------------


def _strip_braces(text: str) -> str:
    """Remove every {...} Svelte expression/block tag (brace-aware); `{" "}` becomes a space."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text[i] == "{":
            depth, j = 0, i
            while j < n:
                if text[j] == "{":
                    depth += 1
                elif text[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            inner = text[i + 1 : j].strip()
            if inner in ('" "', "' '"):
                out.append(" ")
            i = j + 1
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _svelte_static(text: str) -> str:
    text = re.sub(
        r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<svelte:head>.*?</svelte:head>|<svg\b.*?</svg>|<button\b.*?</button>",
        "",
        text,
        flags=re.S,
    )
    text = re.sub(r"\{\s*isEurope\(\)\s*\?\s*\"([^\"]*)\"\s*:\s*\"[^\"]*\"\s*\}", r"\1", text)

    # Component tags: <Faq title="..."> becomes a heading; other components disappear (children kept).
    def comp(m: re.Match[str]) -> str:
        tag = m.group(0)
        t = re.search(r'\btitle="([^"]*)"', tag)
        if tag.startswith("<Faq") and t:
            return f"<h3>{t.group(1)}</h3>"
        return ""

    out, i = [], 0
    for m in re.finditer(r"</?[A-Z][\w.]*", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        # find the end of the tag, skipping over {...}
        j, depth = m.end(), 0
        while j < len(text):
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
            elif text[j] == ">" and depth == 0:
                break
            j += 1
        out.append(comp(re.match(r".*", text[m.start() : j + 1], re.S)))
        i = j + 1
    out.append(text[i:])
    text = "".join(out)
    text = re.sub(r"\s[\w:|-]+=\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}", "", text)
    text = _strip_braces(text)
    text = re.sub(r'\s(?:class|style|role)="[^"]*"', "", text)
    return re.sub(r"\n\s*\n+", "\n", text)


def _resolve(href: str) -> str:
    m = re.match(r"^https?://(?:www\.)?gitpod\.io(/[^#?]*)?([#?].*)?$", href)
    if m and (m.group(1) or "/").split("/")[1] in (
        "",
        "docs",
        "blog",
        "pricing",
        "careers",
        "about",
        "contact",
        "changelog",
        "features",
        "self-hosted",
        "privacy",
        "terms",
        "imprint",
        "media-kit",
        "enterprise-license",
        "screencasts",
    ):
        href = (m.group(1) or "/") + (m.group(2) or "")
    return href


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Gitpod")

    def add(path: str, title: str, body: str, desc: str = "") -> None:
        site.add(path, title, rewrite_links(body, _resolve), desc)

    def og(text: str) -> tuple[str, str]:
        t = re.search(r'title:\s*"([^"]*)"', text)
        d = re.search(r'description:\s*\n?\s*"([^"]*)"', text)
        return (t.group(1) if t else ""), (d.group(1) if d else "")

    # Plain Svelte pages.
    special = {"index", "pricing", "careers", "$layout", "$error", "extension-activation", "extension-uninstall"}
    for p in tree.files(S + "routes/", (".svelte",)):
        rel = p.removeprefix(S + "routes/").removesuffix(".svelte")
        rel = rel.removesuffix("/index")
        if "/" in rel or rel in special:
            continue
        text = tree.read(p)
        title, desc = og(text)
        add("/" + rel, title or rel.replace("-", " ").title(), _svelte_static(text), desc)

    # Pricing: plans from contents/pricing.ts, then the other plans and the FAQ component.
    plans = _export(tree, S + "contents/pricing.ts", "pricingPlans") or []
    other = _export(tree, S + "contents/pricing.ts", "otherPlans") or []
    boxes = "".join(
        f"<div><h2>{esc(pl['title'])}</h2><div>{pl['price']}</div><div>{esc(pl.get('duration') or '')}</div>"
        + "<ul>"
        + "".join(f"<li>{esc(f)}</li>" for f in pl.get("features") or [])
        + "</ul>"
        + (f'<a href="{esc(pl["btnHref"])}">{esc(pl.get("btnText") or "")}</a>' if pl.get("btnHref") else "")
        + "</div>"
        for pl in plans
    )
    others = "".join(
        f"<div><h3>{esc(o['title'])}</h3>"
        + "".join(f"<p>{para}</p>" for para in o.get("paragraphs") or [])
        + (f'<a href="{esc(o["btnHref"])}">{esc(o.get("btnText") or "")}</a>' if o.get("btnHref") else "")
        + "</div>"
        for o in other
    )
    faqs = _svelte_static(tree.read(S + "components/pricing/faqs.svelte"))
    ptitle, pdesc = og(tree.read(S + "routes/pricing.svelte"))
    add(
        "/pricing",
        ptitle or "Pricing",
        f"<h1>Plans and pricing</h1>\n{boxes}\n<h2>Open source, self hosting, and students</h2>\n{others}\n{faqs}",
        pdesc,
    )

    # Careers: the page's static text, the perks and the open positions.
    perks = _export(tree, S + "contents/careers.ts", "perks") or []
    careers = (
        _export(
            tree,
            S + "contents/careers.ts",
            "careers",
            {r"\bperks\.map\(\(\w+\)\s*=>\s*\w+\.title\)": [p["title"] for p in perks]},
        )
        or []
    )
    ctext = tree.read(S + "routes/careers.svelte")
    ctitle, cdesc = og(ctext)
    static = _svelte_static(ctext).replace("View  openings", f"View {len(careers)} openings")
    perk_html = "<ul>" + "".join(f"<li>{esc(p['title'])}</li>" for p in perks) + "</ul>"
    jobs = []
    for c in careers:
        anchor = re.sub(r"\s", "-", c["title"].lower())
        parts = [f'<h3 id="{esc(anchor)}">{esc(c["title"])}</h3>', f"<p>{esc(c.get('intro') or '')}</p>"]
        parts.append(markdown_to_html(re.sub(r"^[ \t]+", "", c.get("paragraphs") or "", flags=re.M)))
        for lst in c.get("lists") or []:
            parts.append(
                f"<h4>{esc(lst.get('title') or '')}</h4><ul>"
                + "".join(f"<li>{esc(x)}</li>" for x in lst.get("items") or [])
                + "</ul>"
            )
        for k, v in c.items():
            if (
                k not in ("title", "intro", "paragraphs", "lists", "date", "rendered")
                and isinstance(v, str)
                and len(v) > 20
            ):
                parts.append(f"<p>{v}</p>")
        jobs.append("<section>" + "\n".join(parts) + "</section>")
    add(
        "/careers",
        ctitle or "Careers",
        static + "\n<h2>Perks</h2>\n" + perk_html + '\n<h2 id="jobs">Open positions</h2>\n' + "\n".join(jobs),
        cdesc,
    )

    # Home page: its static markup (the sections are components).
    htitle, hdesc = og(tree.read(S + "routes/index.svelte"))
    hero = _svelte_static(tree.read(S + "components/index/hero.svelte"))
    feats = _export(tree, S + "contents/home/features.ts", "features") or []
    feat_html = "".join(
        f"<h2>{esc(f.get('title') or '')}</h2><p>{esc(f.get('paragraph') or '')}</p>"
        + (
            f'<p><a href="{esc(f["moreButton"]["href"])}">{esc(f["moreButton"]["text"])}</a></p>'
            if isinstance(f.get("moreButton"), dict)
            else ""
        )
        for f in feats
    )
    testimonials = _export(tree, S + "contents/home/index.ts", "testimonials") or []
    brands = _export(tree, S + "contents/home/index.ts", "brands") or []
    t_html = "".join(
        f"<blockquote>{t.get('text') or ''}<p>{esc(t.get('name') or '')}, {esc(t.get('role') or '')} {' '.join((t.get('org') or '').split())}</p></blockquote>"
        for t in testimonials
    )
    b_html = (
        "<ul>"
        + "".join(
            f'<li><a href="{esc(b.get("href") or "")}"><img src="/{esc(b.get("logo") or "")}" alt="{esc(b.get("alt") or "")}"></a></li>'
            for b in brands
        )
        + "</ul>"
    )
    gs = (
        _svelte_static(tree.read(S + "components/index/get-started/index.svelte"))
        if tree.exists(S + "components/index/get-started/index.svelte")
        else ""
    )
    add(
        "/",
        htitle or "Gitpod",
        hero + feat_html + "<h2>Used by 400,000+ developers.</h2>" + t_html + b_html + gs,
        hdesc,
    )

    # Blog, docs, changelog (Markdown with mdsvex front matter).
    def md_page(path: str, url: str, with_meta: bool = False) -> dict:
        meta, body = split_front_matter(tree.read(path))
        body = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", "", body, flags=re.S)
        body = re.sub(r"^<[A-Z][^>]*/>\s*$", "", body, flags=re.M)
        h = markdown_to_html(body)
        head = ""
        if with_meta:
            head = f"<h1>{esc(str(meta.get('title') or ''))}</h1>"
            if meta.get("subtitle"):
                head += f"<p>{esc(str(meta['subtitle']))}</p>"
            head += f"<p>{esc(str(meta.get('date') or ''))} · {esc(str(meta.get('author') or ''))}</p>"
        add(url, str(meta.get("title") or url), head + h, str(meta.get("excerpt") or meta.get("description") or ""))
        return meta

    posts = []
    for p in tree.files(S + "routes/blog/", (".md",)):
        slug = p.rsplit("/", 1)[-1].removesuffix(".md")
        meta = md_page(p, f"/blog/{slug}", with_meta=True)
        posts.append(
            (str(meta.get("date") or ""), slug, str(meta.get("title") or slug), str(meta.get("excerpt") or ""))
        )

    def date_key(s: str) -> tuple:
        m = re.search(r"(\w{3}) (\w{3}) (\d{1,2}) (\d{4})", s)
        months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
        return (
            (int(m.group(4)), months.index(m.group(2)) + 1, int(m.group(3)))
            if m and m.group(2) in months
            else (0, 0, 0)
        )

    posts.sort(key=lambda x: date_key(x[0]), reverse=True)
    add(
        "/blog",
        "Blog",
        "<h1>Blog</h1><ul>"
        + "".join(f'<li><a href="/blog/{s}">{esc(t)}</a><br>{esc(e)}</li>' for _, s, t, e in posts)
        + "</ul>",
    )

    for p in tree.files(S + "routes/docs/", (".md",)):
        rel = p.removeprefix(S + "routes/docs/").removesuffix(".md")
        rel = re.sub(r"(^|/)index$", "", rel)
        md_page(p, "/docs/" + rel if rel else "/docs")
    for p in sorted(tree.files(S + "contents/changelog/", (".md",)), reverse=True):
        md_page(p, "/changelog/" + p.rsplit("/", 1)[-1].removesuffix(".md"))
    site.add("/changelog", "Changelog", "<h1>Changelog</h1>")
    # The docs sidebar: every docs page, listed on the docs home.
    docs = sorted(p for p in site.pages if p.startswith("/docs/") and p != "/docs/")
    if "/docs/" in site.pages:
        site.pages["/docs/"].body_html += (
            "\n<nav><ul>"
            + "".join(f'<li><a href="{p}">{esc(site.pages[p].title)}</a></li>' for p in docs)
            + "</ul></nav>"
        )

    site.nav = [
        ("Features", "/features"),
        ("Pricing", "/pricing"),
        ("Blog", "/blog"),
        ("Docs", "/docs"),
        ("Changelog", "/changelog"),
        ("We're hiring", "/careers"),
    ]
    site.footer = [
        ("Home", "/"),
        ("Features", "/features"),
        ("Pricing", "/pricing"),
        ("Changelog", "/changelog"),
        ("Self-Hosted", "/self-hosted"),
        ("Status", "https://www.gitpodstatus.com/"),
        ("Screencasts", "/screencasts"),
        ("Blog", "/blog"),
        ("Documentation", "/docs"),
        ("About", "/about"),
        ("Careers", "/careers"),
        ("Contact", "/contact"),
        ("Media Kit", "/media-kit"),
        ("Imprint", "/imprint"),
        ("Terms of Service", "/terms"),
        ("Privacy Policy", "/privacy"),
    ]
    site.nav = [(label, page_path(p) if p.startswith("/") else p) for label, p in site.nav]
    site.footer = [(label, page_path(p) if p.startswith("/") else p) for label, p in site.footer]
    site.link_children()
    return site
