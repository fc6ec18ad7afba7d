"""openstatus — open-source status page and uptime monitoring startup (Next.js site; MDX content in the monorepo)."""

from __future__ import annotations

import datetime as dt
import re

from bench.realsites.render import GitTree, Site, Source, esc, markdown_to_html, rewrite_links, split_front_matter

SOURCE = Source(
    host="openstatus.dev",
    repo="openstatusHQ/openstatus",
    commit="22df52eb0dbdafbad2c3fa41269f7a3a3cbf044b",
    kind="OSS monitoring SaaS (Next.js MDX content)",
    notes="apps/web/src/content/pages: home, unrelated (about, pricing, security, legal), product, blog, changelog, "
    "guides, compare, use-case, customers, tools, docs; header/footer from data/content.ts",
)

BASE = "apps/web/src/content/pages/"

# (source folder, URL prefix, listing title) for the collections the site lists on index pages.
COLLECTIONS = [
    ("blog", "/blog", "Blog"),
    ("changelog", "/changelog", "Changelog"),
    ("guides", "/guides", "Guides"),
    ("compare", "/compare", "Compare"),
    ("use-case", "/use-case", "Use Cases"),
    ("customers", "/customers", "Customers"),
    ("product/tooling", "/tooling", "Tooling"),
    ("tools", "/play", "Play"),
]

_FENCE = re.compile(r"(^```.*?^```[^\n]*$)", re.M | re.S)
_ATTR = r'{name}=(?:"([^"]*)"|\'([^\']*)\'|\{{"([^"]*)"\}})'


def _attr(tag: str, name: str) -> str | None:
    m = re.search(_ATTR.format(name=name), tag)
    if not m:
        return None
    return next(g for g in m.groups() if g is not None)


def _mdx_components(text: str) -> str:
    """Turn the site's MDX components that carry visible text into plain HTML/Markdown."""

    def details(m: re.Match[str]) -> str:
        summary = _attr(m.group(0), "summary") or ""
        return f"<details><summary>{esc(summary)}</summary>\n"

    def titled(m: re.Match[str]) -> str:
        title = _attr(m.group(0), "title")
        return f"\n**{title}**\n\n" if title else "\n"

    def image(m: re.Match[str]) -> str:
        alt, src = _attr(m.group(0), "alt"), _attr(m.group(0), "src")
        if not src:
            return ""
        return f'<img src="{esc(src)}" alt="{esc(alt or "")}">'

    def button(m: re.Match[str]) -> str:
        href = _attr(m.group(1), "href") or "#"
        return f'<a href="{esc(href)}">{m.group(2).strip()}</a>'

    def button_sc(m: re.Match[str]) -> str:
        href = _attr(m.group(1), "href") or "#"
        return f'<a href="{esc(href)}">{esc(_attr(m.group(1), "children") or "")}</a>'

    parts = _FENCE.split(text)
    for i in range(0, len(parts), 2):
        p = parts[i]
        p = re.sub(r"<Details\b[^>]*>", details, p)
        p = re.sub(r"</Details>", "</details>", p)
        p = re.sub(r"<(?:Aside|Card|LinkCard)\b[^>]*>", titled, p)
        p = re.sub(r"<Image\b.*?/>", image, p, flags=re.S)
        p = re.sub(r"<ButtonLink\b([^<>]*?)/>", button_sc, p, flags=re.S)
        p = re.sub(r"<ButtonLink\b([^>]*)>(.*?)</ButtonLink>", button, p, flags=re.S)
        parts[i] = p
    return "".join(parts)


def _resolver(href: str) -> str:
    m = re.match(r"^https?://(?:www\.)?openstatus\.dev(/[^?#]*)?([?#].*)?$", href)
    if m:
        return (m.group(1) or "/") + (m.group(2) or "")
    return href


def _date(meta: dict) -> dt.date:
    v = meta.get("publishedAt")
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v)[:10])
    except ValueError:
        return dt.date(1970, 1, 1)


def _slug(path: str) -> str:
    base = path.rsplit("/", 1)[-1].removesuffix(".mdx")
    return re.sub(r"[^a-z0-9-]", "", base.lower())


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="openstatus")

    def render(text: str) -> tuple[dict, str]:
        meta, body = split_front_matter(text)
        html_body = rewrite_links(markdown_to_html(_mdx_components(body)), _resolver)
        return meta, html_body

    def add_page(url: str, src: str, *, post: bool = False, listing_prefix: str = "") -> dict:
        meta, body = render(tree.read(src))
        title = str(meta.get("title") or url)
        heading = str(meta.get("hero") or title)
        head = f"<h1>{esc(heading)}</h1>\n"
        if post:
            author = str(meta.get("author") or "")
            cat = str(meta.get("category") or "")
            cat_link = (
                f' · <a href="{listing_prefix}/category/{esc(cat)}">{esc(cat)}</a>' if cat and listing_prefix else ""
            )
            head += f"<p>{_date(meta).isoformat()} · {esc(author)}{cat_link}</p>\n"
            if meta.get("description"):
                head += f"<p>{esc(str(meta['description']))}</p>\n"
        elif meta.get("description"):
            head += f'<p class="text-lg">{esc(str(meta["description"]))}</p>\n'
        site.add(url, title, head + body, str(meta.get("description") or ""))
        return meta

    # Home and the top-level pages.
    add_page("/", BASE + "home.mdx")
    for src in tree.files(BASE + "unrelated/", (".mdx",)):
        if _slug(src) != "not-found":
            add_page("/" + _slug(src), src)
    for src in tree.files(BASE + "product/", (".mdx",)):
        if "/tooling/" not in src:
            add_page("/" + _slug(src), src)

    # Collections with index and category pages.
    for folder, prefix, label in COLLECTIONS:
        entries = []
        for src in tree.files(BASE + folder + "/", (".mdx",)):
            if src.count("/") != (BASE + folder).count("/") + 1:
                continue
            slug = _slug(src)
            if folder == "tools" and slug.endswith("-slug"):
                continue
            meta = add_page(
                f"{prefix}/{slug}", src, post=folder in ("blog", "changelog", "guides"), listing_prefix=prefix
            )
            entries.append((_date(meta), slug, meta))
        entries.sort(key=lambda e: e[0], reverse=True)

        def listing(items: list, prefix: str = prefix) -> str:
            lis = "".join(
                f'<li><a href="{prefix}/{slug}/">{esc(str(m.get("title") or slug))}</a> — {d.isoformat()}'
                + (f"<br>{esc(str(m['description']))}" if m.get("description") else "")
                + "</li>"
                for d, slug, m in items
            )
            return f"<ul>{lis}</ul>"

        cats = sorted({str(m.get("category")) for _, _, m in entries if m.get("category")})
        cat_nav = ""
        if folder in ("blog", "changelog", "guides") and cats:
            cat_nav = (
                "<p>Categories: "
                + " · ".join(f'<a href="{prefix}/category/{esc(c)}/">{esc(c)}</a>' for c in cats)
                + "</p>"
            )
            site.add(
                f"{prefix}/category",
                f"{label} categories",
                "<ul>"
                + "".join(f'<li><a href="{prefix}/category/{esc(c)}/">{esc(c)}</a></li>' for c in cats)
                + "</ul>",
            )
            for c in cats:
                site.add(
                    f"{prefix}/category/{c}",
                    f"{label}: {c}",
                    listing([e for e in entries if str(e[2].get("category")) == c]),
                )
        site.add(prefix, label, f"<h1>{esc(label)}</h1>\n{cat_nav}\n{listing(entries)}")

    # Docs: /docs/<path>, with section landing pages listing their children.
    for src in tree.files(BASE + "docs/", (".mdx",)):
        rel = src.removeprefix(BASE + "docs/").removesuffix(".mdx")
        add_page("/docs/" + rel, src)
        parts = rel.split("/")[:-1]
        for i in range(len(parts) + 1):
            sec = "/docs/" + "/".join(parts[:i]) if i else "/docs"
            label = parts[i - 1].replace("-", " ").title() if i else "Documentation"
            site.add(sec, label, "")

    headers = [
        ("Status Page", "/status-page/"),
        ("Uptime Monitoring", "/uptime-monitoring/"),
        ("Docs", "/docs/"),
        ("Customers", "/customers/"),
        ("Use Cases", "/use-case/"),
        ("Blog", "/blog/"),
        ("Changelog", "/changelog/"),
        ("Tooling", "/tooling/"),
        ("Compare", "/compare/"),
        ("Pricing", "/pricing/"),
        ("Dashboard", "https://app.openstatus.dev/login"),
    ]
    site.nav = [(label, p) for label, p in headers if not p.startswith("/") or p in site.pages]
    footer = [
        ("Blog", "/blog/"),
        ("Customers", "/customers/"),
        ("Pricing", "/pricing/"),
        ("Docs", "/docs/"),
        ("Guides", "/guides/"),
        ("About", "/about/"),
        ("Changelog", "/changelog/"),
        ("Play", "/play/"),
        ("Shadcn Component Registry", "/registry/"),
        ("Terms", "/terms/"),
        ("Privacy", "/privacy/"),
        ("Subprocessors", "/subprocessors/"),
        ("Talk to the founders", "https://openstatus.dev/cal"),
        ("GitHub", "https://github.com/openstatushq/openstatus"),
    ]
    site.footer = [(label, p) for label, p in footer if not p.startswith("/") or p in site.pages]
    site.link_children()
    return site
