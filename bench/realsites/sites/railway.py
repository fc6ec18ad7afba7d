"""Railway — cloud deployment platform (PaaS); its documentation site docs.railway.com (Next.js + plain Markdown).

Rendered from `content/docs/**/*.md` (URL = file path) and `content/guides/*.md` (under /guides/), with the header
sections, section pages and homepage cards taken from `src/data/sidebar.ts`, `src/components/top-nav.tsx` and
`src/pages/index.tsx`. MDX components are turned into their visible text: `<Collapse title>` (FAQ entries) becomes a
heading, `<Card>`/`<Step>` titles and descriptions are kept, `<GraphQLCodeTabs query>` becomes a code block, images
are dropped. Code blocks are protected so placeholders such as `<SERVICE>` and `${{ VAR }}` survive.
"""

from __future__ import annotations

import json
import re

from bench.realsites.render import (
    GitTree,
    Site,
    Source,
    _md,
    clean_markup,
    esc,
    page_path,
    rewrite_links,
    split_front_matter,
)

SOURCE = Source(
    host="docs.railway.com",
    repo="railwayapp/docs",
    commit="c2a634f1b3891ac2947c2e875006d986748860a5",
    kind="dev-tool PaaS documentation (Next.js, plain Markdown)",
    notes="content/ moved from src/docs/ to content/docs/ at this commit; guides under content/guides/",
)

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_INLINE_CODE = re.compile(r"`[^`\n]+`")


def _attr(tag: str, name: str) -> str:
    m = re.search(rf'\b{name}=(?:"([^"]*)"|\'([^\']*)\'|\{{`(.*?)`\}}|\{{"([^"]*)"\}})', tag, re.S)
    if not m:
        return ""
    return next(g for g in m.groups() if g is not None)


def mdx_to_html(body: str) -> str:
    """Markdown/MDX → HTML, keeping code verbatim and the visible text of the site's components."""
    saved: list[str] = []

    def keep(text: str) -> str:
        saved.append(text)
        return f"\x00CODE{len(saved) - 1}\x00"

    # GraphQL example tabs → a fenced code block of the query
    def gql(m: re.Match[str]) -> str:
        q = _attr(m.group(0), "query")
        return "\n" + keep("```graphql\n" + q.strip() + "\n```") + "\n" if q else ""

    body = re.sub(r"<GraphQLCodeTabs\b.*?/>", gql, body, flags=re.S)
    body = _FENCE.sub(lambda m: keep(m.group(0)), body)
    body = _INLINE_CODE.sub(lambda m: keep(m.group(0)), body)

    def card(m: re.Match[str]) -> str:
        tag = m.group(0)
        title, desc, href = _attr(tag, "title"), _attr(tag, "description"), _attr(tag, "href")
        if not title:
            return ""
        item = f"[{title}]({href})" if href else f"**{title}**"
        return f"\n- {item}" + (f": {desc}" if desc else "") + "\n"

    body = re.sub(r"<Card\b[^<>]*?/?>", card, body, flags=re.S)
    body = re.sub(r"<Collapse\b[^<>]*>", lambda m: f"\n\n#### {_attr(m.group(0), 'title')}\n\n", body, flags=re.S)
    body = re.sub(r"<Step\b[^<>]*>", lambda m: f"\n\n**{_attr(m.group(0), 'title')}**\n\n", body, flags=re.S)
    # closing/opening wrappers on their own line must not glue to the following Markdown
    body = re.sub(r"^(\s*</?[A-Z][\w.]*\b[^<>]*>)\s*$", r"\n\1\n", body, flags=re.M)
    body = clean_markup(body)
    body = re.sub(r"\x00CODE(\d+)\x00", lambda m: saved[int(m.group(1))], body)
    # a second pass for code inside code-protected regions restored above
    body = re.sub(r"\x00CODE(\d+)\x00", lambda m: saved[int(m.group(1))], body)
    return _md.render(body)


def _resolve(href: str) -> str:
    if href.startswith("/") and not href.startswith("//"):
        path, _, frag = href.partition("#")
        path = path.split("?")[0]
        if not re.search(r"\.\w{2,4}$", path):
            path = page_path(path)
        return path + (f"#{frag}" if frag else "")
    if href.startswith(("https://docs.railway.com/", "https://docs.railway.app/")):
        return _resolve("/" + href.split("/", 3)[3])
    return href


def _sidebar(text: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(section title, section slug, [(page title, page slug)]) from src/data/sidebar.ts."""
    body = text.split("export const sidebarContent", 1)[1]
    # top-level sections are objects opened at two-space indentation
    chunks = re.split(r"\n  \{\n", body)
    sections = []
    for chunk in chunks:
        tm = re.search(r'^    title: "([^"]+)",\s*\n    slug: "([^"]+)"', chunk, re.M)
        pages = []
        for m in re.finditer(r'makePage\(\s*"([^"]+)"\s*(?:,\s*(undefined|"[^"]*")\s*)?(?:,\s*"([^"]*)"\s*)?\)', chunk):
            title, cat, slug = m.group(1), (m.group(2) or "").strip('"'), m.group(3)
            if cat == "undefined":
                cat = ""
            if not slug:
                slug = "/" + (cat + "/" if cat else "") + _slugify(title)
            pages.append((title, slug if slug.startswith("/") else "/" + slug))
        if tm:
            sections.append((tm.group(1), tm.group(2), pages))
        elif pages:
            sections.append(("", "", pages))
    return sections


def _slugify(title: str) -> str:
    s = title.lower().strip()
    s = re.sub(r"[^\w\s-]", "", s)
    return re.sub(r"[\s_]+", "-", s).strip("-")


def _home(tsx: str) -> str:
    """The homepage's headings, text and links from src/pages/index.tsx."""
    tsx = re.sub(r"<svg\b.*?</svg>", "", tsx, flags=re.S)
    tsx = re.sub(r"<img\b.*?/>", "", tsx, flags=re.S)
    tsx = re.sub(r"\{/\*.*?\*/\}", "", tsx, flags=re.S)
    main = tsx.split("return (", 1)[1]
    out: list[str] = []
    link: str | None = None
    texts: list[str] = []
    stack: list[str] = []

    def flush() -> None:
        nonlocal link, texts
        if link is not None and texts:
            head, *rest = texts
            extra = f" — {esc(' '.join(rest))}" if rest else ""
            out.append(f'<li><a href="{esc(_resolve(link))}">{esc(head)}</a>{extra}</li>')
        link, texts = None, []

    for m in re.finditer(r"<(/?)([A-Za-z][\w.]*)\b((?:[^<>\"]|\"[^\"]*\")*)>|([^<>]+)", main, re.S):
        closing, tag, attrs, text = m.group(1), m.group(2), m.group(3), m.group(4)
        if tag:
            if tag in ("Link", "a"):
                flush()
                if not closing:
                    hm = re.search(r'href="([^"]+)"', attrs or "")
                    link = hm.group(1) if hm else None
            elif not closing and not (attrs or "").rstrip().endswith("/"):
                stack.append(tag)
            elif closing and tag in stack:
                while stack and stack.pop() != tag:
                    pass
            continue
        text = " ".join((text or "").replace('{" "}', " ").split())
        if not text or text.startswith(("{", ")", "}")) or text in ("(", ");", "};", "/", "→"):
            continue
        if link is not None:
            texts.append(text)
        else:
            kind = stack[-1] if stack else "p"
            kind = kind if kind in ("h1", "h2") else "p"
            out.append(f"<{kind}>{esc(text)}</{kind}>")
    flush()
    html_out, in_list = [], False
    for piece in out:
        if piece.startswith("<li>") and not in_list:
            html_out.append("<ul>")
            in_list = True
        elif not piece.startswith("<li>") and in_list:
            html_out.append("</ul>")
            in_list = False
        html_out.append(piece)
    if in_list:
        html_out.append("</ul>")
    return "\n".join(html_out)


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Railway Docs")
    sections = _sidebar(tree.read("src/data/sidebar.ts"))

    def add(url: str, path: str) -> dict:
        meta, body = split_front_matter(tree.read(path))
        body_html = rewrite_links(mdx_to_html(body), _resolve)
        title = str(meta.get("title") or url)
        extra = ""
        if meta.get("date"):
            extra = f'<p class="meta">Published {esc(str(meta["date"]))}</p>'
        site.add(url, title, extra + body_html, str(meta.get("description") or ""))
        return meta

    for path in tree.files("content/docs/", (".md",)):
        add(page_path(path.removeprefix("content/docs/")), path)

    guides = []
    for path in tree.files("content/guides/", (".md",)):
        url = "/guides/" + page_path(path.removeprefix("content/guides/")).lstrip("/")
        meta = add(url, path)
        guides.append(
            (str(meta.get("topic") or ""), url, str(meta.get("title") or url), str(meta.get("description") or ""))
        )

    # section index pages: the sidebar's list of pages of that section
    for title, slug, pages in sections:
        if not slug:
            continue
        sp = page_path(slug)
        if sp not in site.pages:
            continue
        items = "".join(
            f'<li><a href="{esc(page_path(s))}">{esc(t)}</a></li>' for t, s in pages if page_path(s) in site.pages
        )
        site.pages[sp].body_html += f'\n<nav class="sidebar"><h2>{esc(title)}</h2><ul>{items}</ul></nav>'

    # /guides index (src/pages/guides/index.tsx lists every guide by topic)
    gtsx = tree.read("src/pages/guides/index.tsx")
    topics = re.findall(r'name: "([^"]+)",\s*id: TOPIC_IDS\.\w+,\s*description: "([^"]+)"', gtsx)
    topic_ids = dict(re.findall(r'(\w+): "(\w+)",', gtsx.split("TOPIC_IDS = {", 1)[1].split("}", 1)[0]))
    id_by_name = {}
    for key, tid in topic_ids.items():
        for name, _desc in topics:
            if name.upper() == key:
                id_by_name[name] = tid
    parts = []
    for name, desc in topics:
        tid = id_by_name.get(name, name.lower())
        items = "".join(
            f'<li><a href="{esc(u)}">{esc(t)}</a> — {esc(d)}</li>'
            for top, u, t, d in sorted(guides, key=lambda g: g[2])
            if top == tid
        )
        parts.append(f"<h2>{esc(name)}</h2><p>{esc(desc)}</p><ul>{items}</ul>")
    rest = [g for g in guides if g[0] not in set(id_by_name.values())]
    if rest:
        parts.append("<ul>" + "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for _, u, t, _ in rest) + "</ul>")
    site.add("/guides/", "Guides", "\n".join(parts))

    # homepage
    home = _home(tree.read("src/pages/index.tsx"))
    first = next((s for s in sections if not s[1]), None)
    if first:
        home += (
            "\n<h2>Get started</h2><ul>"
            + "".join(f'<li><a href="{esc(page_path(s))}">{esc(t)}</a></li>' for t, s in first[2])
            + "</ul>"
        )
    site.add("/", "Railway Docs", home)

    nav_tsx = tree.read("src/components/top-nav.tsx")
    top_links = re.findall(r'\{ title: "([^"]+)", href: "([^"]+)" \}', nav_tsx)
    site.nav = [(t, page_path(s)) for t, s, _ in sections if s] + top_links
    site.footer = [
        ("Go to Railway", "https://railway.com"),
        ("Book a Demo", "https://railway.com/book-demo"),
        ("Edit this page on GitHub", "https://github.com/railwayapp/docs"),
    ]
    # the live site's permanent redirects (redirects.js), for old links inside pages
    redirects = {}
    for src, dst in re.findall(r'source: "([^"]+)",\s*destination: "([^"]+)"', tree.read("redirects.js")):
        if ":" not in src and "*" not in src and "(" not in src:
            redirects[src] = _resolve(dst)
    site.extra_files["_site.json"] = json.dumps({"redirects": redirects}, indent=1).encode()
    site.link_children()
    return site
