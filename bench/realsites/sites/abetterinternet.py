"""ISRG (Internet Security Research Group) — nonprofit behind Let's Encrypt, Prossimo and Divvi Up; Hugo site.

Pages come from `content/en/` (HTML and Markdown pages, blog posts under `post/`, job ads under `careers/`,
newsletters under `newsletters/` which are e-mail HTML shown in an iframe on the live site). The home page, blog
and newsletter lists and the sponsor/anniversary shortcodes are Hugo templates over `data/*.yaml|json`; they are
assembled here from those files. URLs follow Hugo's rules (front-matter `slug`/`url`, paths lower-cased).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import yaml

from bench.realsites.render import GitTree, Site, Source, esc, markdown_to_html, split_front_matter

SOURCE = Source(
    host="abetterinternet.org",
    repo="abetterinternet/website",
    commit="ac281c26a0453d81a6499a2b37e621a33a3a9a5b",
    kind="nonprofit (ISRG, runs Let's Encrypt), Hugo",
)

ROOT = "content/en/"
ADDRESS = "548 Market St, PMB 77519, San Francisco, California 94104-5401"


def _plain(html_text: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html_text, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _summary(meta: dict[str, Any], body_html: str) -> str:
    if meta.get("excerpt"):
        return markdown_to_html(str(meta["excerpt"]))
    words = _plain(body_html).split()
    return "<p>" + esc(" ".join(words[:70])) + ("…" if len(words) > 70 else "") + "</p>"


def _post_item(url: str, meta: dict[str, Any], summary: str) -> str:
    date = meta.get("date")
    date_s = date.strftime("%b %-d, %Y") if hasattr(date, "strftime") else str(date or "")[:10]
    return (
        f'<a href="{esc(url)}" class="cmp-BlogPostItem"><div class="post-date">{esc(date_s)}</div>'
        f'<p class="title h2">{esc(str(meta.get("title", "")))}</p>'
        f'<div class="description">{summary}</div><span>Read more</span></a>'
    )


def _email_body(raw: str) -> str:
    """The visible part of a newsletter e-mail (the live page shows it in an iframe)."""
    m = re.search(r"<body\b[^>]*>(.*)</body>", raw, re.S | re.I)
    body = m.group(1) if m else raw
    body = re.sub(r"<(script|style|title|head)\b.*?</\1>", "", body, flags=re.S | re.I)
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    body = re.sub(r"\{\{.*?\}\}|\*\|.*?\|\*", "", body)
    return body


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Internet Security Research Group")
    data_sponsors = json.loads(tree.read("data/sponsors.json"))
    levchin = yaml.safe_load(tree.read("data/levchin.yaml")) or {}
    endorsements = yaml.safe_load(tree.read("data/endorsements.yaml")) or []
    highlights = yaml.safe_load(tree.read("data/isrg_highlights.yaml")) or []
    quotes = yaml.safe_load(tree.read("data/quotes.yaml")) or []
    tenth = yaml.safe_load(tree.read("data/tenthsponsors.yaml")) or []

    def sponsor_links(items: list[dict[str, Any]]) -> str:
        return (
            '<ul class="sponsor-group">'
            + "".join(
                f'<li><a class="sponsor-item" href="{esc(str(s.get("url", "")))}">{esc(str(s.get("name", "")))}</a></li>'
                for s in items
            )
            + "</ul>"
        )

    def quote_card(q: dict[str, Any]) -> str:
        return (
            f'<div class="endorsement-card"><p class="endorsement-text">&ldquo;{esc(str(q.get("text", "")))}&rdquo;</p>'
            f'<div class="endorsement-author">&mdash; {esc(str(q.get("name", "")))}</div>'
            f'<div class="endorsement-title">{q.get("title", "")}</div></div>'
        )

    # ---- read everything first: URLs are needed by the blog-post-item shortcode and the lists ---------------
    entries: list[tuple[str, str, dict[str, Any], str]] = []  # (src, url, meta, body)
    for path in tree.files(ROOT, (".md", ".html")):
        rel = path.removeprefix(ROOT)
        meta, body = split_front_matter(tree.read(path))
        stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        section = rel.split("/")[0] if "/" in rel else ""
        if stem in ("_index",):
            continue
        slug = str(meta.get("slug") or stem)
        if meta.get("url"):
            url = "/" + str(meta["url"]).strip("/") + "/"
        elif section:
            url = f"/{section}/{slug}/"
        else:
            url = f"/{slug}/"
        entries.append((path, url.lower(), meta, body))
    by_slug = {str(m.get("slug")): (u, m, b) for p, u, m, b in entries if p.startswith(ROOT + "post/")}

    def render_body(path: str, body: str) -> str:
        if path.endswith(".md"):
            return markdown_to_html(body)
        return body

    def shortcodes(text: str, meta: dict[str, Any]) -> str:
        def sub(m: re.Match[str]) -> str:
            name, _, args = m.group(1).strip().partition(" ")
            argv = re.findall(r'"([^"]*)"', args)
            if name == "open_positions":
                jobs = meta.get("open_positions") or []
                if not jobs:
                    return '<div class="text-center font-italic">No current openings</div>'
                out = []
                for j in jobs:
                    details = "".join(f"<p>{esc(str(d))}</p>" for d in j.get("details", []))
                    out.append(
                        f'<a href="{esc(str(j.get("apply_url", "")))}"><div class="h5">{esc(str(j.get("title", "")))}</div>{details}</a>'
                    )
                return "".join(out)
            if name == "sponsors-diamond":
                return sponsor_links(data_sponsors.get("diamond", []))
            if name == "sponsors-platinum":
                return sponsor_links(data_sponsors.get("platinum", []))
            if name == "sponsors-gold":
                return sponsor_links(data_sponsors.get("gold", []))
            if name == "sponsors-silver":
                return sponsor_links(data_sponsors.get("silver", [])[:30])
            if name == "sponsors-silver-2":
                return sponsor_links(data_sponsors.get("silver", [])[30:42])
            if name == "sponsors-silver-3":
                return sponsor_links(data_sponsors.get("silver", [])[42:])
            if name == "levchin-people":
                return (
                    "<section>" + "".join(f"<div>{esc(str(p))}</div>" for p in levchin.get("people", [])) + "</section>"
                )
            if name == "levchin-sponsors":
                return (
                    "<section>"
                    + "".join(f"<div>{esc(str(p))}</div>" for p in levchin.get("sponsors", []))
                    + "</section>"
                )
            if name == "carousel-endorsements":
                return "<div>" + "".join(quote_card(q) for q in endorsements) + "</div>"
            if name == "carousel-tenth-anniversary-quotes-stacked":
                if 'quotesPerSlide="1"' in args:
                    return ""  # the same quotes are shown twice (mobile and desktop layouts)
                return "<div>" + "".join(quote_card(q) for q in quotes) + "</div>"
            if name == "carousel-tenth-anniversary-history":
                return (
                    "<div>"
                    + "".join(
                        f'<div class="milestone"><div class="milestone-eyebrow">{esc(str(h.get("year", "")))}</div>'
                        f"<h3>{esc(str(h.get('title', '')))}</h3><p>{esc(str(h.get('copy', '')))}</p></div>"
                        for h in highlights
                    )
                    + "</div>"
                )
            if name == "all-tenth-sponsors":
                if argv and argv[0] == "tenthsponsors":
                    return sponsor_links(tenth)
                return sponsor_links(
                    data_sponsors.get("platinum", []) + data_sponsors.get("gold", []) + data_sponsors.get("silver", [])
                )
            if name == "blog-post-item" and argv and argv[0] in by_slug:
                u, m2, _ = by_slug[argv[0]]
                return _post_item(u, m2, markdown_to_html(str(m2["excerpt"])) if m2.get("excerpt") else "")
            return ""

        return re.sub(r"\{\{[<%]\s*(.*?)\s*[>%]\}\}", sub, text, flags=re.S)

    def hero(meta: dict[str, Any], is_post: bool = False) -> str:
        if meta.get("nohero"):
            return ""
        crumb = '<div class="post-breadcrumb"><a href="/blog/">Blog</a></div>' if is_post else ""
        sub = f'<h5 class="subtitle">{meta["subtitle"]}</h5>' if meta.get("subtitle") else ""
        return f'<section class="hero">{crumb}<h1 id="page-title">{esc(str(meta.get("title", "")))}</h1>{sub}</section>'

    footer_info = (
        f'<div class="site-footer-info"><p>&copy; Internet Security Research Group</p><p>{esc(ADDRESS)}</p>'
        "<p>Send all mail or inquiries to: PO Box 18666, Minneapolis, MN 55418-0666, USA</p>"
        '<p>Read all about our nonprofit work this year in our <a href="/documents/2025-ISRG-Annual-Report.pdf">2025 Annual Report</a>.</p></div>'
    )

    posts: list[tuple[str, dict[str, Any], str]] = []
    newsletters: list[tuple[str, dict[str, Any]]] = []
    redirects: dict[str, str] = {}
    for path, url, meta, body in entries:
        for alias in meta.get("aliases") or []:
            redirects["/" + str(alias).strip("/") + "/"] = url
        title = html.unescape(str(meta.get("title") or url))
        if path.startswith(ROOT + "newsletters/"):
            date = meta.get("date")
            content = _email_body(body)
            page = (
                f'<section class="hero"><h1 id="page-title">{esc(title)}</h1></section>'
                f'<nav><a href="/newsletters/">All Newsletters</a></nav>'
                f'<time>{esc(str(date)[:10])}</time><article class="newsletter">{content}</article>'
            )
            site.add(url, title, page + footer_info, _plain(str(meta.get("excerpt") or "")))
            newsletters.append((url, meta))
            continue
        content = shortcodes(render_body(path, body), meta)
        if path.startswith(ROOT + "post/"):
            date = meta.get("date")
            date_s = date.strftime("%b %-d, %Y") if hasattr(date, "strftime") else str(date or "")[:10]
            author = f'<p class="post-author">{esc(str(meta["author"]))}</p>' if meta.get("author") else ""
            support = ""
            if meta.get("display_support_us_footer") is True:
                support = (
                    '<div class="post-footer"><h6><span>Support Our Work</span></h6><p>ISRG is a 501(c)(3) nonprofit '
                    "organization that is 100% supported through the generosity of those who share our vision for "
                    "ubiquitous, open Internet security. If you'd like to support our work, please consider "
                    '<a href="/getinvolved/">getting involved</a>, <a href="/donate/">donating</a>, or encouraging '
                    'your company to <a href="/sponsor/">become a sponsor</a>.</p></div>'
                )
            page = (
                hero(meta, is_post=True)
                + f'<div class="post-meta"><div class="post-date">{esc(date_s)}</div>{author}</div>'
                + f'<article class="post-article">{content}</article>{support}'
            )
            site.add(url, title, page + footer_info, str(meta.get("excerpt") or ""))
            posts.append((url, meta, _summary(meta, content)))
            continue
        site.add(url, title, hero(meta) + content + footer_info, str(meta.get("description") or ""))

    def sort_key(item: tuple[Any, ...]) -> str:
        return str(item[1].get("date") or "")

    posts.sort(key=sort_key, reverse=True)
    newsletters.sort(key=sort_key, reverse=True)

    tabs = '<div class="tabs"><a href="/blog/">Blog</a> <a href="/newsletters/">Newsletters</a></div>'
    site.add(
        "/blog/",
        "Blog",
        '<section class="hero"><h1 id="page-title">Blog</h1></section>'
        + tabs
        + '<div class="cmp-BlogPostList">'
        + "".join(_post_item(u, m, s) for u, m, s in posts)
        + "</div>"
        + footer_info,
    )
    nl_intro = _plain(markdown_to_html(split_front_matter(tree.read(ROOT + "newsletters/_index.md"))[1]))
    site.add(
        "/newsletters/",
        "Newsletter Archive",
        '<section class="hero"><h1 id="page-title">Newsletter Archive</h1></section>'
        + tabs
        + f"<p>{esc(nl_intro)} You can sign up to receive these emails at the bottom of this page.</p>"
        + '<div class="cmp-BlogPostList">'
        + "".join(
            _post_item(u, m, markdown_to_html(str(m.get("excerpt"))) if m.get("excerpt") else "")
            for u, m in newsletters
        )
        + "</div>"
        + footer_info,
    )

    # ---- home page (layouts/index.html) ------------------------------------------------------------------------
    projects = tree.read("layouts/partials/isrg/isrg-projects-column.html")
    project_html = ""
    for args in re.findall(r"\(dict (.*?)\) \}\}", projects):
        d = dict(re.findall(r'"(\w+)" "((?:[^"\\]|\\.)*)"', args))
        project_html += (
            f'<section class="isrg-project"><h2>{esc(d.get("title", ""))}</h2><p class="lead">{esc(d.get("description", ""))}</p>'
            f'<a href="{esc(d.get("url", ""))}">{esc(d.get("buttonText", ""))}</a></section>'
        )
    home = (
        '<section class="hero"><h1 id="page-title">Internet Security Research Group</h1>'
        '<p class="lead">Digital infrastructure for a more secure and privacy-respecting world. Read all about our '
        'nonprofit work this year in our <a href="/documents/2025-ISRG-Annual-Report.pdf">2025 Annual Report</a>.</p>'
        '<div><a href="/about/">Learn about ISRG</a> <a href="/sponsor/">Become a sponsor</a> '
        '<a href="/annual-reports/">2025 Annual Report</a></div>'
        '<div><a href="https://letsencrypt.org">Let\'s Encrypt</a> <a href="https://memorysafety.org">Prossimo</a> '
        '<a href="https://divviup.org">Divvi Up</a></div></section>'
        '<section><h2><a href="/blog/">From our Blog</a></h2><div class="cmp-BlogPostList">'
        + "".join(_post_item(u, m, s) for u, m, s in posts[:3])
        + '</div></section><section id="isrg-projects-column"><h2>ISRG Projects</h2>'
        + project_html
        + '</section><section><h2><a href="/sponsors/">Our Sponsors &amp; Funders</a></h2>'
        + sponsor_links(data_sponsors.get("diamond", []))
        + '<a href="/sponsors/">See all sponsors</a></section>'
    )
    site.add("/", "Internet Security Research Group", home + footer_info)

    # ---- navigation (layouts/partials/header.html) and footer ----------------------------------------------
    header = tree.read("layouts/partials/header.html")
    nav: list[tuple[str, str]] = []
    for attrs, inner in re.findall(r"<a ([^>]*)>(.*?)</a>", header, re.S):
        m = re.search(r'href="([^"]*)"', attrs)
        label = _plain(inner)
        if m and label and m.group(1) not in ("#", "/") and (label, m.group(1)) not in nav:
            nav.append((label, m.group(1)))
    site.nav = nav
    site.footer = [
        ("Privacy Policy", "/privacy-policy/"),
        ("Trademark Policy", "/trademarks/"),
        ("Terms of Service", "/terms-of-service/"),
        ("2025 Annual Report", "/documents/2025-ISRG-Annual-Report.pdf"),
    ]

    # Documents that are in the repository (some annual reports are stored outside git and are absent).
    for path in tree.files(ROOT + "documents/", (".pdf",)):
        try:
            data = subprocess_bytes(tree, path)
        except Exception:
            continue
        if data.startswith(b"%PDF"):
            site.extra_files["/" + path.removeprefix(ROOT)] = data

    for src, dst in re.findall(
        r'from = "(/[^"*]*)"\s*\n\s*to = "([^"]+)"\s*\n\s*status = 301', tree.read("netlify.toml")
    ):
        redirects[src] = dst
    site.extra_files["_site.json"] = json.dumps({"redirects": redirects}, indent=1).encode()
    return site


def subprocess_bytes(tree: GitTree, path: str) -> bytes:
    return tree._git("show", f"{tree.commit}:{path}")
