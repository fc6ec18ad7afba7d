"""Supabase — open-source Firebase alternative (Postgres development platform); supabase.com is a Next.js site.

The marketing site is `apps/www/` of the supabase/supabase monorepo; the legal pages (terms, privacy, acceptable use,
SLA) live in the docs app (`apps/reference/docs/company/*.md`, served under /docs/company/).

Rendered:
- React pages (`apps/www/pages/*.tsx`: home, company, pricing, support, DPA, product pages, beta, contact): their
  static JSX turned into HTML by the JSX reader of `sites/inngest.py` (text, headings, lists, links, image alt
  text; `.map` over data arrays expanded, `.filter(x => x.field === value)` applied). Components imported from
  `components/` are rendered the same way where they are found, and data imported from `data/*.json|ts|tsx`
  (investors, community stats, press, companies…) is read as the page reads it.
- The pricing page is assembled from the `tiers` array of `pages/pricing/index.tsx` (plan cards), the feature
  comparison of `data/Pricing.json`, the add-ons of `data/PricingAddOn.json` and the FAQ of `data/PricingFAQ.json`.
- `pages/security.mdx`; blog posts (`_blog/*.mdx`) at /blog/<slug> (date prefix dropped, as `lib/posts.tsx` does);
  `_alternatives/*.mdx` at /alternatives/<slug>; the legal pages at /docs/company/<name>; humans.txt and
  lawyers.txt (the footer links them) from `apps/reference/static/`.
Careers link to an external site (about.supabase.com/careers), so there are no job pages. Header links come from
`components/Nav`, footer links from `data/Footer.json`.

The upstream supabase/supabase snapshot is over the size limit; the snapshot comes from a fork
(soares-eduardo/supabase) whose history contains upstream commit 35ffae9b (2022-08-23, "Merge pull request #8552
from supabase/dng-docs-auth-ui"), the last upstream commit before the fork's own changes. That commit is rendered
(the site as of August 2022).
"""

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
from bench.realsites.sites.inngest import _JS, JSX, js_consts

SOURCE = Source(
    host="supabase.com",
    repo="soares-eduardo/supabase",
    commit="35ffae9b6b88afe550f40354cd1939bb9bc76aed",
    kind="OSS dev-tool SaaS (Next.js TSX pages + JSON/TS data + MDX blog)",
    notes="Upstream supabase/supabase commit 35ffae9b (2022-08-23), read from a fork's snapshot.",
)

W = "apps/www/"
# the shared layout (header navigation and footer: the site's own nav/footer) is not rendered into each page
SKIP_COMPONENTS = {"Layout", "DefaultLayout", "Nav", "Footer"}
REDIRECTS = {"/careers": "https://about.supabase.com/careers"}


class _Renderer:
    """Renders a page file's default component, resolving the components and data it imports."""

    def __init__(self, tree: GitTree) -> None:
        self.tree = tree
        self.cache: dict[str, Any] = {}

    def _find(self, spec: str, base: str) -> str | None:
        if spec.startswith("~/"):
            spec = W + spec[2:]
        elif spec.startswith(("components/", "data/", "lib/")):
            spec = W + spec
        elif spec.startswith("."):
            import posixpath

            spec = posixpath.normpath(posixpath.join(posixpath.dirname(base), spec))
        else:
            return None
        for cand in (
            spec,
            spec + ".tsx",
            spec + ".ts",
            spec + ".js",
            spec + ".jsx",
            spec + ".json",
            spec + "/index.tsx",
            spec + "/index.js",
        ):
            if self.tree.exists(cand):
                return cand
        return None

    def data(self, path: str) -> Any:
        if path in self.cache:
            return self.cache[path]
        src = self.tree.read(path)
        val: Any = None
        if path.endswith(".json"):
            try:
                val = json.loads(src)
            except ValueError:
                val = None
        else:
            consts = js_consts(src)
            m = re.search(r"export\s+default\s+(\w+)\s*;?\s*$", src, re.M)
            if m and m.group(1) in consts:
                val = consts[m.group(1)]
            else:
                m = re.search(r"export\s+default\s+(?=[\[{])", src)
                if m:
                    try:
                        val = _JS(src[m.end() :], consts).value()
                    except (IndexError, ValueError):
                        val = None
        self.cache[path] = val
        return val

    def render(self, path: str, props: dict[str, Any] | None = None, depth: int = 0) -> str:
        src = self.tree.read(path)
        consts = js_consts(src)
        comps: dict[str, Any] = {}
        for m in re.finditer(r"^import\s+(\w+)(?:\s*,\s*\{[^}]*\})?\s+from\s+['\"]([^'\"]+)['\"]", src, re.M):
            name, spec = m.group(1), m.group(2)
            target = self._find(spec, path)
            if not target:
                continue
            if "/data/" in "/" + target or target.endswith(".json"):
                consts[name] = self.data(target)
            elif name in SKIP_COMPONENTS:
                continue
            elif name[0].isupper() and depth < 3 and target.endswith((".tsx", ".jsx", ".js")):
                comps[name] = lambda a, t=target, d=depth: self.render(t, a, d + 1)
        for m in re.finditer(r"^import\s+(\w+)\s+from\s+['\"](~/data/[^'\"]+|data/[^'\"]+)['\"]", src, re.M):
            target = self._find(m.group(2), path)
            if target:
                consts[m.group(1)] = self.data(target)
        jsx = JSX(src, consts=consts, components=comps)
        try:
            return jsx.render_default(props)
        except (IndexError, ValueError, KeyError, RecursionError):
            return ""


def _resolver(href: str) -> str:
    h = href
    for prefix in ("https://supabase.com", "https://www.supabase.com", "https://supabase.io", "http://supabase.com"):
        if h.startswith(prefix):
            h = h[len(prefix) :] or "/"
    if not h.startswith("/") or h.startswith("//"):
        return h
    target, _, frag = h.partition("#")
    target = target.split("?")[0]
    if target.rstrip("/") in REDIRECTS:
        return REDIRECTS[target.rstrip("/")]
    m = re.match(r"^/blog/\d{4}/\d{2}/\d{2}/([\w-]+)/?$", target)  # old dated blog URLs redirect to /blog/<slug>
    if m:
        target = f"/blog/{m.group(1)}"
    if re.search(r"\.\w{2,4}$", target):
        return target
    return page_path(target) + (f"#{frag}" if frag else "")


def _pricing_html(tree: GitTree) -> str:
    src = tree.read(W + "pages/pricing/index.tsx")
    m = re.search(r"const\s+tiers\s*=\s*", src)
    tiers = _JS(src[m.end() :]).value() if m else []
    pricing = json.loads(tree.read(W + "data/Pricing.json"))
    addons = json.loads(tree.read(W + "data/PricingAddOn.json"))
    faq = json.loads(tree.read(W + "data/PricingFAQ.json"))
    parts = ["<h1>Predictable pricing, no surprises</h1>"]
    h = re.search(r"<h1[^>]*>\s*(.*?)\s*</h1>", src, re.S)
    if h:
        heading = re.sub(r"<[^>]+>|\s+", " ", h.group(1)).strip()
        parts = [f"<h1>{esc(heading)}</h1>"]
    for t in tiers:
        price = ""
        if t.get("priceMonthly") is not None:
            price = ("From " if t.get("from") else "") + f"${t['priceMonthly']}" + (t.get("costUnit") or "")
        else:
            price = "Contact us for a quote"
        feats = "".join(f"<li>{esc(f)}</li>" for f in t.get("features", []))
        extra = "".join(
            f"<p>{esc(t[k])}</p>" for k in ("warning", "scale", "preface", "additional") if t.get(k) and k != "preface"
        )
        parts.append(
            f"<section><h2>{esc(t['name'])}</h2><p><strong>{esc(price)}</strong></p><p>{esc(t['description'])}</p>"
            f'<ul>{feats}</ul>{extra}<p><a href="{esc(_resolver(t["href"]))}">{esc(t["cta"])}</a></p></section>'
        )
    rows = []
    for key, section in pricing.items():
        if not isinstance(section, dict) or "features" not in section:
            continue
        rows.append(f'<tr><th colspan="4">{esc(section.get("title", key))}</th></tr>')
        for f in section["features"]:
            cells = []
            for tier in ("free", "pro", "enterprise"):
                v = (f.get("tiers") or {}).get(tier)
                cells.append("Yes" if v is True else ("No" if v is False or v is None else str(v)))
            tip = f" ({esc(f['tooltip'])})" if f.get("tooltip") else ""
            rows.append(f"<tr><th>{esc(f['title'])}{tip}</th>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    parts.append(
        "<h2>Compare plans</h2><table><thead><tr><th></th><th>Free</th><th>Pro</th><th>Enterprise</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    parts.append("<h2>Add-ons</h2>" + _addons_html(addons))
    parts.append("<h2>Frequently asked questions</h2><dl>")
    for q in faq:
        parts.append(f"<dt>{esc(q['question'])}</dt><dd>{markdown_to_html(q['answer'])}</dd>")
    parts.append("</dl>")
    return "".join(parts)


def _addons_html(data: Any) -> str:
    """Nested add-on tables (compute sizes, PITR…) as headings, lists and tables of their values."""
    if isinstance(data, dict):
        out = []
        for k, v in data.items():
            if k in ("icon", "img", "image"):
                continue
            if isinstance(v, (str, int, float)) and not isinstance(v, bool):
                out.append(
                    f"<p>{esc(str(k))}: {esc(str(v))}</p>" if k not in ("title", "name") else f"<h3>{esc(str(v))}</h3>"
                )
            else:
                out.append(_addons_html(v))
        return "".join(out)
    if isinstance(data, list):
        if data and all(isinstance(x, dict) for x in data):
            keys = [k for k in data[0] if k not in ("icon", "img")]
            if all(isinstance(x.get(k), (str, int, float, type(None))) for x in data for k in keys):
                head = "".join(f"<th>{esc(k)}</th>" for k in keys)
                body = "".join(
                    "<tr>" + "".join(f"<td>{esc(str(x.get(k, '')))}</td>" for k in keys) + "</tr>" for x in data
                )
                return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        return "".join(_addons_html(x) for x in data)
    return f"<p>{esc(str(data))}</p>" if data not in (None, "") else ""


def _mdx(text: str) -> str:
    """MDX without its imports, exported metadata objects and exported helper components."""
    text = re.sub(r"^import\s[\s\S]*?\sfrom\s+['\"][^'\"]+['\"];?\s*$", "", text, flags=re.M)
    text = re.sub(r"^export\s+const\s+\w+\s*=\s*\([^)]*\)\s*=>.*?^\)\s*$", "", text, flags=re.M | re.S)
    out, pos = [], 0
    for m in re.finditer(r"^export\s+const\s+\w+\s*=\s*", text, re.M):
        if m.start() < pos:
            continue
        js = _JS(text[m.end() :])
        try:
            js.value()
        except (IndexError, ValueError):
            continue
        out.append(text[pos : m.start()])
        pos = m.end() + js.i
    out.append(text[pos:])
    return "".join(out)


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Supabase")
    r = _Renderer(tree)

    def meta_of(src: str) -> tuple[str | None, str]:
        q = r"(?:'([^'\n]+)'|\"([^\"\n]+)\"|`([^`]+)`)"
        tm = re.search(r"(?:meta_title|title)\s*=\s*" + q, src)
        dm = re.search(r"(?:meta_description|description)\s*=\s*\n?\s*" + q, src)
        t = next((g for g in tm.groups() if g), None) if tm else None
        d = next((g for g in dm.groups() if g), "") if dm else ""
        return (t.removesuffix(" | Supabase") if t else None), d

    pages = {
        "/": "pages/index.tsx",
        "/company/": "pages/company.tsx",
        "/support/": "pages/support.tsx",
        "/legal/dpa/": "pages/legal/dpa.tsx",
        "/database/": "pages/database/index.tsx",
        "/auth/": "pages/auth/index.tsx",
        "/storage/": "pages/storage/index.tsx",
        "/edge-functions/": "pages/edge-functions/index.tsx",
        "/nextjs/": "pages/nextjs/index.tsx",
        "/beta/": "pages/beta.tsx",
        "/contact/enterprise/": "pages/contact/enterprise.tsx",
        "/brand-assets/": "pages/brand-assets.tsx",
        "/launch-week/": "pages/launch-week/index.tsx",
    }
    for path, src_path in pages.items():
        if not tree.exists(W + src_path):
            continue
        src = tree.read(W + src_path)
        body = r.render(W + src_path)
        # pages whose component is a thin wrapper around a sibling file (database/index.tsx → Database.tsx)
        if len(re.sub(r"<[^>]+>|\s", "", body)) < 200:
            m = re.search(r"^import\s+\w+\s+from\s+['\"]\./(\w+)['\"]", src, re.M)
            if m and tree.exists(W + src_path.rsplit("/", 1)[0] + f"/{m.group(1)}.tsx"):
                inner = W + src_path.rsplit("/", 1)[0] + f"/{m.group(1)}.tsx"
                body = r.render(inner)
                src = tree.read(inner)
        title, desc = meta_of(src)
        site.add(
            path, title or path.strip("/").replace("-", " ").title() or "Supabase", rewrite_links(body, _resolver), desc
        )

    site.add(
        "/pricing/",
        "Pricing & fees",
        rewrite_links(_pricing_html(tree), _resolver),
        "Explore Supabase fees and pricing information. Find our competitive pricing tiers, with no hidden pricing.",
    )

    sec = tree.read(W + "pages/security.mdx")
    site.add_markdown("/security/", _mdx(sec), title="Security", resolve=_resolver)

    # blog
    posts = []
    for p in tree.files(W + "_blog/", (".mdx", ".md")):
        text = tree.read(p)
        meta, _ = split_front_matter(text)
        name = p.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        slug = name[11:]
        posts.append((str(meta.get("date") or name[:10]), slug, meta, text))
    posts.sort(reverse=True)
    authors = {a.get("author_id"): a for a in json.loads(tree.read(W + "lib/authors.json")) if isinstance(a, dict)}
    items = []
    for date, slug, meta, text in posts:
        title = str(meta.get("title") or slug)
        site.add_markdown(f"/blog/{slug}/", _mdx(text), title=title, resolve=_resolver)
        page = site.pages[page_path(f"/blog/{slug}/")]
        author = ", ".join(
            ", ".join(
                x for x in (authors.get(a.strip(), {}).get("author"), authors.get(a.strip(), {}).get("position")) if x
            )
            or a.strip()
            for a in str(meta.get("author") or "").split(",")
            if a.strip()
        )
        byline = f"<p>{esc(date)}" + (f" · {esc(str(author))}" if author else "") + "</p>"
        sub = f"<p>{esc(str(meta.get('description')))}</p>" if meta.get("description") else ""
        page.body_html = f"<h1>{esc(title)}</h1>{sub}{byline}" + page.body_html
        items.append(f'<li><a href="/blog/{esc(slug)}/">{esc(title)}</a> — {esc(date)}</li>')
    site.add("/blog/", "Supabase Blog", "<h1>Blog</h1><ul>" + "".join(items) + "</ul>", "Get news and product updates")

    for p in tree.files(W + "_alternatives/", (".mdx", ".md")):
        slug = p.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        text = tree.read(p)
        meta, _ = split_front_matter(text)
        site.add_markdown(f"/alternatives/{slug}/", _mdx(text), title=str(meta.get("title") or slug), resolve=_resolver)

    for p in tree.files("apps/reference/docs/company/", (".md", ".mdx")):
        name = p.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        text = tree.read(p)
        meta, _ = split_front_matter(text)
        site.add_markdown(
            f"/docs/company/{name}/", text, title=str(meta.get("title") or name.title()), resolve=_resolver
        )
    for name in ("humans.txt", "lawyers.txt"):
        if tree.exists(f"apps/reference/static/{name}"):
            site.extra_files[f"/{name}"] = tree.read(f"apps/reference/static/{name}").encode()

    footer = json.loads(tree.read(W + "data/Footer.json"))
    site.footer = [
        (link["text"], _resolver(link["url"]))
        for col in footer
        for link in col.get("links", [])
        if link.get("url") and link.get("text")
    ]
    site.nav = [
        ("Database", "/database/"),
        ("Auth", "/auth/"),
        ("Storage", "/storage/"),
        ("Edge Functions", "/edge-functions/"),
        ("Pricing", "/pricing/"),
        ("Docs", "/docs/"),
        ("Blog", "/blog/"),
        ("Company", "/company/"),
    ]
    site.link_children()
    return site
