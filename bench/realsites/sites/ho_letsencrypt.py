"""Let's Encrypt — nonprofit certificate authority run by ISRG (Hugo site; English content, i18n strings, data files)."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib

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
    host="letsencrypt.org",
    repo="letsencrypt/website",
    commit="b89871ef735cbb447f8d72c86146fcc8e62fc4ab",
    kind="nonprofit certificate authority (Hugo)",
    notes="content/en pages, docs and blog posts; home and donate pages composed from theme le-2025 partials with "
    "i18n/en.toml strings; sponsors and ACME clients from data/*.json; only the current CP/CPS document is rendered",
)

THEME = "themes/le-2025/layouts/"


class _Tpl:
    """A tiny interpreter for the few Hugo partials the home and donate pages are made of."""

    def __init__(self, tree: GitTree, strings: dict[str, str], params: dict[str, str]) -> None:
        self.tree = tree
        self.t = strings
        self.params = params

    def tr(self, key: str, args: dict[str, str] | None = None) -> str:
        val = self.t.get(key, "")
        for k, v in (args or {}).items():
            val = re.sub(r"\{\{\s*\." + re.escape(k) + r"\s*\}\}", lambda m, v=v: v, val)
        return val

    def _value(self, expr: str, vars: dict[str, str]) -> str:
        expr = expr.strip()
        m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', expr)
        if m:
            return m.group(1).replace('\\"', '"')
        m = re.fullmatch(r"\$(\w+)", expr)
        if m:
            return vars.get(m.group(1), "")
        m = re.fullmatch(r"site\.Params\.(\w+)", expr)
        if m:
            return self.params.get(m.group(1), "")
        m = re.fullmatch(r'\(?\s*(?:T|i18n)\s+"(\w+)"\s*(?:\(dict(.*)\))?\s*\)?(?:\s*\|\s*safeHTML)?', expr, re.S)
        if m:
            args = self._dict(m.group(2) or "", vars)
            return self.tr(m.group(1), args)
        m = re.fullmatch(r'printf\s+"((?:[^"\\]|\\.)*)"\s+(.*)', expr, re.S)
        if m:
            fmt = m.group(1).replace('\\"', '"')
            args = [self._value(a, vars) for a in re.findall(r'"[^"]*"|\$\w+|site\.Params\.\w+', m.group(2))]
            for a in args:
                fmt = fmt.replace("%s", a, 1)
            return fmt
        return ""

    def _dict(self, body: str, vars: dict[str, str]) -> dict[str, str]:
        out = {}
        for m in re.finditer(r'"(\w+)"\s+(\((?:[^()]|\([^()]*\))*\)|"[^"]*"|\$\w+|site\.Params\.\w+|true|false)', body):
            v = m.group(2)
            out[m.group(1)] = (
                v if v in ("true", "false") else self._value(v.strip("()") if v.startswith("(") else v, vars)
            )
        return out

    def component(self, name: str, d: dict[str, str]) -> str:
        if name in ("components/basic-hero", "components/basic-hero.html"):
            return (
                f"<h3>{d.get('title', '')}</h3>\n<p>{d.get('description', '')}</p>\n"
                f'<p><a href="{esc(d.get("buttonUrl", ""))}">{d.get("buttonText", "")}</a></p>\n'
            )
        if name.startswith("components/accordion-item-2026"):
            return f"<h3>{d.get('title', '')}</h3>\n" + self.partial(d.get("content_partial", ""), {})
        if name.startswith("components/accordion-item"):
            link = (
                f'<p><a href="{esc(d.get("link_url", ""))}">{d.get("link_text", "")}</a></p>'
                if d.get("link_url")
                else ""
            )
            return f"<h3>{d.get('title', '')}</h3>\n<p>{d.get('content', '')}</p>\n{link}\n"
        if name.startswith("components/project-card"):
            return f'<h3><a href="{esc(d.get("url", ""))}">{d.get("name", "")}</a></h3>\n<p>{d.get("description", "")}</p>\n'
        if name.startswith("components/post-hero-image"):
            return f"<h1>{d.get('title', '')}</h1>\n"
        return ""

    def render(self, text: str, vars: dict[str, str]) -> str:
        vars = dict(vars)
        text = re.sub(
            r"<script\b.*?</script>|<style\b.*?</style>|<iframe\b.*?</iframe>|<svg\b.*?</svg>", "", text, flags=re.S
        )
        text = re.sub(r"\{\{/\*.*?\*/\}\}", "", text, flags=re.S)

        def action(m: re.Match[str]) -> str:
            body = m.group(1).strip()
            a = re.fullmatch(r"\$(\w+)\s*:?=\s*(.*)", body, re.S)
            if a:
                vars[a.group(1)] = self._value(a.group(2), vars)
                return ""
            p = re.fullmatch(r'partial\s+"([^"]+)"\s*(?:\(dict(.*)\)|\.)?', body, re.S)
            if p:
                if p.group(2) is not None and p.group(1).startswith("components/"):
                    return self.component(p.group(1), self._dict(p.group(2), vars))
                return self.partial(p.group(1), vars)
            if re.match(r'\(?\s*(?:safeHTML\s+\()?(?:T|i18n)\s+"', body):
                return self._value(re.sub(r"^safeHTML\s+", "", body), vars)
            return ""

        return re.sub(r"\{\{-?(.*?)-?\}\}", action, text, flags=re.S)

    def partial(self, name: str, vars: dict[str, str]) -> str:
        if not name.endswith(".html"):
            name += ".html"
        path = THEME + "partials/" + name
        if not self.tree.exists(path):
            return ""
        return self.render(self.tree.read(path), vars)


_DEF = re.compile(r"\{\{%\s*def\s+(.*?)%\}\}(.*?)\{\{%\s*/def\s*%\}\}", re.S)
_LINK_SC = re.compile(r'\{\{<\s*link\s+"([^"]+)"(?:\s+"([^"]+)")?\s*>\}\}')


def _date(meta: dict) -> dt.date | None:
    v = meta.get("date")
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def _post_url(src: str, meta: dict) -> str:
    d = _date(meta)
    slug = str(meta.get("slug") or re.sub(r"^\d+-\d+-\d+-", "", src.rsplit("/", 1)[-1].rsplit(".", 1)[0]))
    # Hugo lowercases permalinks.
    return (f"/{d.year:04d}/{d.month:02d}/{d.day:02d}/{slug}/" if d else f"/post/{slug}/").lower()


def _resolver(href: str) -> str:
    m = re.match(r"^https?://(?:www\.)?letsencrypt\.org(/[^#]*)?(#.*)?$", href)
    if m:
        href = (m.group(1) or "/") + (m.group(2) or "")
    if href.startswith("/"):
        path, _, frag = href.partition("#")
        if re.match(r"^/\d{4}/\d\d/\d\d/.+\.html$", path):
            path = path[: -len(".html")].lower() + "/"
        elif not re.search(r"\.(pdf|docx?|txt|xml|json|pem|der|zip|csv|png|jpe?g|svg)$", path, re.I):
            path = path.rstrip("/") + "/"
        return path + (f"#{frag}" if frag else "")
    return href


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Let's Encrypt")
    strings = {
        k: v.get("other", "") for k, v in tomllib.loads(tree.read("i18n/en.toml")).items() if isinstance(v, dict)
    }
    conf = tomllib.loads(tree.read("config/_default/hugo.toml"))
    params = {k: str(v) for k, v in conf.get("params", {}).items()}
    tpl = _Tpl(tree, strings, params)
    clients = json.loads(tree.read("data/clients.json"))
    sponsors = json.loads(tree.read("data/sponsors.json"))

    def clients_html() -> str:
        out = []
        for cat in clients.get("categories", []):
            items = "".join(
                f'<li><a href="{esc(c.get("url", ""))}">{esc(c.get("name", ""))}</a> {markdown_to_html(str(c.get("category_comments") or c.get("comments") or "")).strip()}</li>'
                for c in clients.get("list", [])
                if c.get("category") == cat
            )
            out.append(f"<h2>{esc(cat)}</h2>\n<ul>{items}</ul>")
        out.append("<h1>Libraries</h1>")
        for lib in clients.get("libraries", []):
            items = "".join(
                f'<li><a href="{esc(c.get("library_url") or c.get("url", ""))}">{esc(c.get("name", ""))}</a></li>'
                for c in clients.get("list", [])
                if c.get("library") == lib
            )
            out.append(f"<h2>{esc(lib)}</h2>\n<ul>{items}</ul>")
        return "\n".join(out)

    def preprocess(body: str) -> str:
        def definition(m: re.Match[str]) -> str:
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
            name = attrs.get("name", "")
            abbr = f" ({attrs['abbr']})" if attrs.get("abbr") else ""
            anchor = f'<a id="def-{esc(attrs.get("id", ""))}"></a>'
            return f"\n\n{anchor}**{name}**{abbr}: {m.group(2).strip()}\n\n"

        body = _DEF.sub(definition, body)
        body = _LINK_SC.sub(
            lambda m: (
                f'<a href="{m.group(2) or m.group(1)}">{m.group(1) if m.group(2) else "https://letsencrypt.org" + m.group(1)}</a>'
            ),
            body,
        )
        body = re.sub(
            r"\{\{<\s*clients\b[^>]*>\}\}(.*?)\{\{<\s*/clients\s*>\}\}", lambda m: clients_html(), body, flags=re.S
        )
        body = re.sub(r"\{\{<\s*clients\b[^>]*>\}\}", lambda m: clients_html(), body)
        body = re.sub(r"\{\{<\s*clientslastmod\s*>\}\}", str(clients.get("lastmod", "")), body)
        return body

    def render_body(body: str) -> str:
        return rewrite_links(markdown_to_html(preprocess(body)), _resolver)

    posts = []

    def add_content(src: str, url: str | None = None) -> None:
        meta, body = split_front_matter(tree.read(src))
        if meta.get("draft"):
            return
        rel = src.removeprefix("content/en/")
        is_post = rel.startswith("post/")
        if url is None:
            if is_post:
                url = _post_url(src, meta)
            else:
                folder = rel.rsplit("/", 1)[0] + "/" if "/" in rel else ""
                url = page_path(folder + str(meta.get("slug") or rel.rsplit("/", 1)[-1]))
        title = str(meta.get("title") or url)
        head = f"<h1>{esc(title)}</h1>\n"
        if is_post:
            d = _date(meta)
            head = '<p><a href="/blog/">Blog</a></p>\n' + head
            head += f"<p>{d.strftime('%B %-d, %Y') if d else ''} · {esc(str(meta.get('author') or ''))}</p>\n"
            posts.append((d or dt.date(1970, 1, 1), url, title, str(meta.get("excerpt") or "")))
        elif meta.get("lastmod"):
            head += f"<p>Last updated: {esc(str(meta['lastmod']))}</p>\n"
        if src.endswith(".html"):
            html_body = rewrite_links(preprocess(body), _resolver)
            html_body = re.sub(r"\{\{[<%].*?[>%]\}\}", "", html_body, flags=re.S)
            html_body = re.sub(r"<script\b.*?</script>|<style\b.*?</style>|<link\b[^>]*>", "", html_body, flags=re.S)
        else:
            html_body = render_body(body)
        site.add(url, title, head + html_body, str(meta.get("description") or meta.get("excerpt") or ""))

    for src in tree.files("content/en/", (".md", ".markdown", ".html")):
        rel = src.removeprefix("content/en/")
        if rel.startswith("documents/") or rel in (
            "donate.html",
            "docs/_index.md",
            "post/_index.md",
            "i18n.md",
            "opt-in.html",
        ):
            continue
        add_content(src)

    # Current policy documents (older versions are listed on /repository/ but not rendered).
    docs_html = [p for p in tree.files("content/en/documents/", (".html",))]
    latest: dict[str, tuple[tuple[int, ...], str]] = {}
    for p in docs_html:
        m = re.match(r".*/(ISRG-[A-Z-]+?)-v([\d.]+)\.html$", p)
        if m:
            ver = tuple(int(x) for x in m.group(2).split("."))
            if m.group(1) not in latest or ver > latest[m.group(1)][0]:
                latest[m.group(1)] = (ver, p)
    repo_page = tree.read("content/en/repository.html")
    current = re.sub(r'<div class="collapsible-content".*?</div>', "", repo_page, flags=re.S)
    for _, p in latest.values():
        meta, _ = split_front_matter(tree.read(p))
        slug = str(meta.get("slug") or "")
        if slug and f"/documents/{slug}/" in current:
            add_content(p, f"/documents/{slug}/")

    # Blog index and docs index.
    posts.sort(reverse=True)
    items = "".join(
        f'<li><a href="{u}">{esc(t)}</a> — {d.strftime("%B %-d, %Y")}' + (f"<br>{esc(e)}" if e else "") + "</li>"
        for d, u, t, e in posts
    )
    site.add("/blog/", "Blog", f"<h1>Blog</h1>\n<ul>{items}</ul>")
    dmeta, _ = split_front_matter(tree.read("content/en/docs/_index.md"))
    doc_items = sorted((p, pg.title) for p, pg in site.pages.items() if p.startswith("/docs/") and p != "/docs/")
    site.add(
        "/docs/",
        str(dmeta.get("title") or "Documentation"),
        "<h1>Documentation</h1>\n<ul>"
        + "".join(f'<li><a href="{p}">{esc(t)}</a></li>' for p, t in doc_items)
        + "</ul>",
    )

    # Donate page: the donate-2026 layout.
    meta, _ = split_front_matter(tree.read("content/en/donate.html"))
    donate = tpl.render(tree.read(THEME + "page/donate-2026.html"), {})
    donate = re.sub(r"\{\{\s*define.*?\}\}|\{\{\s*end\s*\}\}", "", donate)
    site.add("/donate/", str(meta.get("title") or "Donate"), donate, str(meta.get("description") or ""))

    # Home page: hero, latest posts, getting started, support, projects, sponsors.
    hero = tpl.partial("sections/home-hero", {})
    # The certificate count is printed twice (an invisible sizer and the animated figure): keep one.
    hero = re.sub(r"<span[^>]*><span[^>]*>([^<]*)</span><span[^>]*>[^<]*</span></span>", r"\1", hero)
    latest_posts = "".join(
        f'<li><a href="{u}">{esc(t)}</a> — {d.strftime("%B %-d, %Y")}</li>' for d, u, t, _ in posts[:3]
    )
    blog = f'<h2>{tpl.tr("blog_section_heading")}</h2>\n<ul>{latest_posts}</ul>\n<p><a href="/blog/">{tpl.tr("blog_section_see_all")}</a></p>'
    gs = tpl.partial("sections/getting-started", {})
    support = tpl.partial("sections/support", {})
    projects = tpl.partial("sections/projects", {})
    tiers = []
    for tier in ("diamond", "platinum", "gold", "silver"):
        lis = "".join(
            f'<li><a href="{esc(s.get("url", ""))}">{esc(s.get("name", ""))}</a></li>' for s in sponsors.get(tier, [])
        )
        tiers.append(f"<h3>{tpl.tr('sponsors_' + tier)}</h3>\n<ul>{lis}</ul>")
    spons = (
        f'<h2><a href="https://www.abetterinternet.org/sponsors/">{tpl.tr("sponsors_heading")}</a></h2>\n'
        + "\n".join(tiers)
        + f'\n<p><a href="https://www.abetterinternet.org/sponsor/">{tpl.tr("support_sponsor_button")}</a></p>'
    )
    home = "\n".join([hero, blog, gs, support, projects, spons])
    home = home.replace('href="/sponsor"', 'href="https://www.abetterinternet.org/sponsor/"')
    site.add("/", "Let's Encrypt", home, str(params.get("description", "")))

    # The footer text every page carries (description and the legal and mailing addresses).
    foot = (
        f'<div class="site-footer"><p>{params.get("description", "")}</p>'
        f"<p>{tpl.tr('footer_legal_address')}: 548 Market St, PMB 77519, San Francisco, CA 94104-5401, USA</p>"
        f"<p>{tpl.tr('footer_mailing')}: PO Box 18666, Minneapolis, MN 55418-0666, USA</p></div>"
    )
    for p, page in site.pages.items():
        if not p.startswith("/documents/"):
            page.body_html += "\n" + foot

    site.nav = [
        ("Documentation", "/docs/"),
        ("Get Help", "https://community.letsencrypt.org/"),
        ("Blog", "/blog/"),
        ("Donate", "/donate/"),
        ("Get Involved", "/getinvolved/"),
        ("Become a Sponsor", "https://www.abetterinternet.org/sponsor/"),
        ("Current Sponsors & Funders", "https://www.abetterinternet.org/sponsors/"),
        ("About Let's Encrypt", "/about/"),
        ("Internet Security Research Group (ISRG)", "https://www.abetterinternet.org/about/"),
        ("Frequently Asked Questions (FAQ)", "/docs/faq/"),
        ("Policy and Legal Repository", "/repository/"),
        ("Service Status", "https://letsencrypt.status.io/"),
        ("Statistics", "/stats/"),
        ("Contact", "/contact/"),
        ("Careers", "https://www.abetterinternet.org/careers/"),
        ("Annual reports", "https://www.abetterinternet.org/annual-reports/"),
    ]
    site.nav = [(label, p) for label, p in site.nav if not p.startswith("/") or p in site.pages]
    site.footer = [
        ("GitHub", "https://github.com/letsencrypt"),
        ("LinkedIn", params.get("linkedin_url", "")),
        ("Terms of Service", "https://www.abetterinternet.org/terms-of-service"),
        ("Privacy", "/privacy/"),
        ("Trademark Policy", "https://www.abetterinternet.org/trademarks"),
    ]
    return site
